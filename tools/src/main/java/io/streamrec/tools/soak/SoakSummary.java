package io.streamrec.tools.soak;

import java.util.List;
import java.util.function.ToLongFunction;

/** What a soak's samples say, in one block of lines: each memory figure's first, last and largest value, and drift. */
record SoakSummary(List<MemorySample> samples, int rate) {
    SoakSummary {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples");
        samples = List.copyOf(samples);
    }

    MemorySample last() {
        return samples.get(samples.size() - 1);
    }

    /** Largest value over the run. */
    long max(ToLongFunction<MemorySample> f) {
        return samples.stream().mapToLong(f).max().orElse(-1);
    }

    /**
     * Change per hour over the second half of the run (least squares), MB/h: start-up and warm-up are over by then;
     * near zero means the figure settled.
     */
    double driftMbPerHour(ToLongFunction<MemorySample> f) {
        List<MemorySample> half = samples.subList(samples.size() / 2, samples.size());
        if (half.size() < 2) return Double.NaN;
        double n = half.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (MemorySample m : half) {
            double x = m.seconds() / 3600, y = f.applyAsLong(m) / 1048576.0;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double den = n * sxx - sx * sx;
        return den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
    }

    String text() {
        MemorySample first = samples.get(0), last = last();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("soak: %.0f s at %,d events/s: %,d events produced, %,d lists received, input lag at the end %,d"
                        + " (largest %,d)%n", last.seconds(), rate, last.eventsProduced(), last.listsReceived(), last.inputLag(),
                max(MemorySample::inputLag)));
        line(sb, "heap used", first.heapUsed(), last.heapUsed(), max(MemorySample::heapUsed), driftMbPerHour(MemorySample::heapUsed));
        line(sb, "RSS", first.rss(), last.rss(), max(MemorySample::rss), driftMbPerHour(MemorySample::rss));
        line(sb, "RocksDB block cache", first.rocksdbBlockCache(), last.rocksdbBlockCache(),
                max(MemorySample::rocksdbBlockCache), driftMbPerHour(MemorySample::rocksdbBlockCache));
        line(sb, "RocksDB memtables", first.rocksdbMemtables(), last.rocksdbMemtables(),
                max(MemorySample::rocksdbMemtables), driftMbPerHour(MemorySample::rocksdbMemtables));
        line(sb, "RocksDB table readers", first.rocksdbTableReaders(), last.rocksdbTableReaders(),
                max(MemorySample::rocksdbTableReaders), driftMbPerHour(MemorySample::rocksdbTableReaders));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String what, long first, long last, long max, double drift) {
        sb.append(String.format("  %-22s first %,8.1f MB  last %,8.1f MB  largest %,8.1f MB  second-half drift %+,.1f MB/h%n",
                what, first / 1048576.0, last / 1048576.0, max / 1048576.0, drift));
    }
}
