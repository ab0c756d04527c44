package io.streamrec.app.topology;

import io.streamrec.avro.RatingEvent;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code metrics.stage.cpu}: the per-user step's CPU by stage, counted for every event when on and not at all when off. */
class StageCpuTopologyTest {
    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static ModelDirectory.Loaded model;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void loadModel() {
        model = ModelDirectory.read(TestModels.modelDir());
    }

    static void rateMany(TopologyHarness h, int events) {
        for (int i = 0; i < events; i++) {
            long user = i % 7;
            int movie = model.model().items().movieId(i);
            h.ratings.pipeInput(Keys.userKey(user), RecordSerdes.ratingEvent().serialize("ratings",
                    new RatingEvent(user, movie, 3.5f, NOW - 10_000 + i, null)));
        }
    }

    @Test
    void everyEventIsTimedAndItsPartsFitInsideIt() {
        try (TopologyHarness h = new TopologyHarness(model, Map.of("metrics.stage.cpu", "true"), stateDir, NOW)) {
            rateMany(h, 40);
            assertEquals(40, h.recommendations.readValuesToList().size());
            StageCpu stages = h.quality.stages();
            assertTrue(stages.enabled());
            assertEquals(40, stages.events());
            long parts = 0;
            for (StageCpu.Stage s : StageCpu.Stage.values()) {
                assertTrue(stages.nanos(s) > 0, s + " was not timed");
                if (s != StageCpu.Stage.EVENT) parts += stages.nanos(s);
            }
            // each part is measured on the same thread clock inside the event's interval
            assertTrue(parts <= stages.nanos(StageCpu.Stage.EVENT), parts + " ns of parts > " + stages.nanos(StageCpu.Stage.EVENT) + " ns of events");
        }
    }

    @Test
    void offByDefault() {
        try (TopologyHarness h = new TopologyHarness(model, Map.of(), stateDir, NOW)) {
            rateMany(h, 5);
            assertEquals(5, h.recommendations.readValuesToList().size());
            assertEquals(0, h.quality.stages().events());
            for (StageCpu.Stage s : StageCpu.Stage.values()) assertEquals(0, h.quality.stages().nanos(s));
        }
    }
}
