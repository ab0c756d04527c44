package io.streamrec.app.lifecycle;

import io.streamrec.app.topology.TestModels;
import io.streamrec.model.ModelDirectory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code /health} may show of a failure (no reason: it can name paths) and what the log and tests keep. */
class ServedModelTest {

    @Test
    void failuresKeepTheReasonButTheSummaryNamesOnlyVersions() {
        ServedModel served = new ServedModel(ModelDirectory.read(TestModels.modelDir()));
        String current = served.version();
        assertNull(served.lastFailureSummary());

        served.loadFailed("v9", "cannot read /mnt/models/v9/manifest.json");
        assertEquals("model v9 not loaded, still serving " + current, served.lastFailureSummary());
        assertTrue(served.lastFailure().endsWith("cannot read /mnt/models/v9/manifest.json"), served.lastFailure());

        served.followingStopped("org.apache.kafka.common.KafkaException: broker kafka-0.internal:9092");
        assertEquals("published models no longer followed (restart the instance), still serving " + current,
                served.lastFailureSummary());
        assertFalse(served.lastFailureSummary().contains("kafka-0"));
        assertTrue(served.lastFailure().contains("kafka-0.internal"), served.lastFailure());
        assertEquals(2, served.loadFailures());
    }
}
