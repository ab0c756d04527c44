package io.streamrec.app;

import io.streamrec.app.topology.TestModels;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels' warm-up beside the model read runs queries until it is stopped, for a large catalogue only (the test
 * model's manifest plus headroom makes one), and nothing without a manifest.
 */
class KernelWarmUpTest {
    @Test
    void runsQueriesUntilStopped() throws InterruptedException {
        KernelWarmUp warmUp = KernelWarmUp.start(TestModels.modelDir(), ServingWarmUp.SLICED_FROM, 50);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (warmUp.queries() < 3 && System.nanoTime() < deadline) Thread.sleep(10);
        int ran = warmUp.stop();
        assertTrue(ran >= 3, "ran " + ran);
        assertTrue(warmUp.ended(Duration.ofSeconds(30)), "its thread ends once stopped");
        assertTrue(warmUp.queries() <= ran + 1, "at most the query under way when stopped");
    }

    @Test
    void aSmallCatalogueIsLeftToTheServingWarmUp() {
        KernelWarmUp warmUp = KernelWarmUp.start(TestModels.modelDir(), 0, 50);
        assertTrue(warmUp.ended(Duration.ZERO));
        assertEquals(0, warmUp.stop());
    }

    @Test
    void withoutAManifestItDoesNothing() {
        KernelWarmUp warmUp = KernelWarmUp.start(Path.of("no-such-model-dir"), 0, 50);
        assertTrue(warmUp.ended(Duration.ZERO));
        assertEquals(0, warmUp.stop());
    }
}
