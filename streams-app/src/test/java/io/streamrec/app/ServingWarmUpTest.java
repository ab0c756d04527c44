package io.streamrec.app;

import io.streamrec.app.topology.TestModels;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.Int4ScreenRetriever;
import io.streamrec.core.retrieval.UpdatableRetriever;
import io.streamrec.model.GeneratedModel;
import io.streamrec.model.ModelDirectory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The start-up warm-up runs the served path on synthetic users, and gives way as soon as real events flow. */
class ServingWarmUpTest {
    private static final ModelDirectory.Loaded MODEL = ModelDirectory.read(TestModels.modelDir());

    @Test
    void runsUpToItsEventCount() {
        assertEquals(40, ServingWarmUp.run(MODEL, 50, 10, Duration.ofMinutes(1), 40, () -> false));
    }

    @Test
    void stopsOnceRealEventsFlow() {
        assertEquals(0, ServingWarmUp.run(MODEL, 50, 10, Duration.ofMinutes(1), 1000, () -> true));
        AtomicInteger asked = new AtomicInteger();
        assertEquals(7, ServingWarmUp.run(MODEL, 50, 10, Duration.ofMinutes(1), 1000, () -> asked.incrementAndGet() > 7),
                "asked before each synthetic event");
    }

    @Test
    void aLargeCatalogueHasItsRetrieverWarmedOnASliceFirst() {
        RecommenderModel large = GeneratedModel.model(100_000, 8, 1);
        UpdatableRetriever screen = CandidateRetriever.forModel(large);
        assertInstanceOf(Int4ScreenRetriever.class, screen, "the approximate screen from 100,000 items");
        assertEquals(3, ServingWarmUp.warmRetriever(large, screen, 50, Long.MAX_VALUE, 3));
        assertEquals(0, ServingWarmUp.warmRetriever(large, screen, 50, System.nanoTime(), 3), "not past its deadline");
        RecommenderModel smaller = GeneratedModel.model(ServingWarmUp.SLICED_FROM - 1, 8, 1);
        assertEquals(0, ServingWarmUp.warmRetriever(smaller, CandidateRetriever.forModel(smaller), 50, Long.MAX_VALUE, 3),
                "a smaller catalogue compiles on its own events");
    }

    @Test
    void theSliceIsAQuarterOfTheCatalogueUpToItsSize() {
        assertEquals(0, ServingWarmUp.sliceItems(ServingWarmUp.SLICED_FROM - 1));
        assertEquals(ServingWarmUp.SLICED_FROM / 4, ServingWarmUp.sliceItems(ServingWarmUp.SLICED_FROM));
        assertEquals(25_250, ServingWarmUp.sliceItems(101_000));
        assertEquals(ServingWarmUp.SLICE_ITEMS, ServingWarmUp.sliceItems(1_001_000));
    }
}
