package io.streamrec.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * The {@link PrequentialBenchmark} loops measured in thread CPU time instead of wall time: events
 * per CPU-second, the median over rounds of one full pass over the stream each, starting from
 * nothing. On a machine shared with other work this is what one core would do if it were ours.
 * <pre>java -cp bench/target/benchmarks.jar io.streamrec.bench.PrequentialCpuTime [data-dir|synthetic] [dim]</pre>
 */
public final class PrequentialCpuTime {
    private static final int ROUNDS = 11;

    private PrequentialCpuTime() {}

    public static void main(String[] args) {
        PrequentialBenchmark b = new PrequentialBenchmark();
        b.data = args.length > 0 ? args[0] : "synthetic";
        b.dim = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        b.load();
        System.out.printf("%s: %,d events, %,d users, %,d items, dim %d%n", b.data, b.events, b.users, b.items, b.dim);
        report("biasedMf (River's protocol)", b, () -> b.biasedMf());
        report("biasedMf + BPR (our prequential model)", b, () -> b.biasedMfAndBpr());
        report("serving learner (OnlineLearner)", b, () -> b.servingLearner());
    }

    private static void report(String name, PrequentialBenchmark b, DoubleSupplier step) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] rates = new double[ROUNDS];
        double sink = 0;
        for (int r = 0; r < ROUNDS; r++) {
            b.reset();
            long t0 = threads.getCurrentThreadCpuTime();
            for (int e = 0; e < b.events; e++) sink += step.getAsDouble();
            rates[r] = b.events / ((threads.getCurrentThreadCpuTime() - t0) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf("  %-42s %,12.0f events per CPU-second (median of %d passes; min %,.0f, max %,.0f)%s%n", name,
                rates[ROUNDS / 2], ROUNDS, rates[0], rates[ROUNDS - 1], Double.isNaN(sink) ? "" : " ");
    }
}
