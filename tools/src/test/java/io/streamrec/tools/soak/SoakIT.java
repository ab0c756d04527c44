package io.streamrec.tools.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak for seconds, so {@code ./recsys soak} cannot rot: its own broker, the app in a child JVM at a small rate,
 * and every sample must have read the app's heap, RSS and RocksDB memory while lists kept coming.
 */
class SoakIT {

    @Test
    @Timeout(240)
    void samplesTheAppsHeapRssAndRocksDbMemoryWhileItServes(@TempDir Path work) throws Exception {
        Path csv = work.resolve("out/soak.csv");
        SoakRun.ensureParent(csv);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<MemorySample> samples = new SoakRun(new SoakRun.Settings(Duration.ofSeconds(20), 50, 500, 16, 1000, 2,
                Duration.ofSeconds(4), "384m", 3, work, csv), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String text = log.toString(StandardCharsets.UTF_8) + new SoakSummary(samples, 50).text();
        System.out.println(text);
        assertTrue(samples.size() >= 5, "a sample every 4 s over 20 s: " + text);
        for (MemorySample s : samples) {
            assertTrue(s.heapUsed() > 0 && s.heapCommitted() >= s.heapUsed(), "heap read from /metrics: " + s);
            assertTrue(s.rss() > s.heapUsed(), "RSS read from /proc, above the heap in use: " + s);
        }
        // the first sample may come before the stores are open (-1: no RocksDB metric yet); from the next one on, every
        // sample has them
        for (MemorySample s : samples.subList(1, samples.size())) {
            assertTrue(s.rocksdbBlockCache() >= 0 && s.rocksdbMemtables() >= 0 && s.rocksdbTableReaders() >= 0,
                    "RocksDB metrics read: " + s);
        }
        MemorySample last = samples.get(samples.size() - 1);
        assertTrue(last.seconds() >= 20, "ran its length: " + last);
        assertTrue(last.eventsProduced() >= 0.8 * 50 * 20, "paced at about 50 events/s: " + last);
        assertTrue(last.listsReceived() > 0.5 * last.eventsProduced(), "lists kept coming: " + last);
        assertTrue(last.rocksdbBlockCache() > 0, "the stores hold data in the cache by the end: " + last);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(MemorySample.csvHeader(), lines.get(0));
        assertEquals(samples.size() + 1, lines.size(), "one CSV row per sample");
    }
}
