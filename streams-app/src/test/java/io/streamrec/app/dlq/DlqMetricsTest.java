package io.streamrec.app.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamrec.schemas.DlqReasons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DlqMetricsTest {

    @Test
    void everyReasonStartsAtZero() {
        Map<String, Long> snapshot = new DlqMetrics().snapshot();
        assertEquals(DlqReasons.ALL.size(), snapshot.size());
        for (String reason : DlqReasons.ALL) {
            assertEquals(0L, snapshot.get(reason), reason);
        }
    }

    @Test
    void countsPerReasonFromManyThreads() throws Exception {
        DlqMetrics metrics = new DlqMetrics();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        metrics.increment(DlqReasons.DESERIALIZATION);
                        if (i % 10 == 0) {
                            metrics.increment(DlqReasons.KEY_MISMATCH);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(40_000, metrics.count(DlqReasons.DESERIALIZATION));
        assertEquals(4_000, metrics.count(DlqReasons.KEY_MISMATCH));
        assertEquals(0, metrics.count(DlqReasons.NULL_KEY));
        assertEquals(44_000, metrics.total());
        assertEquals(40_000L, metrics.snapshot().get(DlqReasons.DESERIALIZATION));
    }

    @Test
    void snapshotIsACopy() {
        DlqMetrics metrics = new DlqMetrics();
        Map<String, Long> before = metrics.snapshot();
        metrics.increment(DlqReasons.BAD_ID);
        assertEquals(0L, before.get(DlqReasons.BAD_ID));
        assertEquals(1L, metrics.snapshot().get(DlqReasons.BAD_ID));
        assertThrows(UnsupportedOperationException.class, () -> metrics.snapshot().put("x", 1L));
    }
}
