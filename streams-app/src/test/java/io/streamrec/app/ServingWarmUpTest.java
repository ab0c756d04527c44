package io.streamrec.app;

import io.streamrec.app.topology.TestModels;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.model.GeneratedModel;
import io.streamrec.model.ModelDirectory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        RecommenderModel large = GeneratedModel.model(ServingWarmUp.SLICE_ITEMS + 1_000, 8, 1);
        assertEquals(3, ServingWarmUp.warmRetriever(large, CandidateRetriever.forModel(large), 50, Long.MAX_VALUE, 3));
        RecommenderModel small = GeneratedModel.model(ServingWarmUp.SLICE_ITEMS, 8, 1);
        assertEquals(0, ServingWarmUp.warmRetriever(small, CandidateRetriever.forModel(small), 50, Long.MAX_VALUE, 3),
                "a catalogue no larger than the slice compiles on its own events");
    }
}
