package io.streamrec.core.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.core.features.FeatureSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load-time contract of {@link OnnxRanker} that needs no real model (core has no ONNX
 * exporter): bad input fails early with a message saying what is wrong. Parity with
 * {@link RankerNetwork}, the known-weights contract and shape checks against real models live
 * in the trainer's {@code OnnxParityTest}, next to the exporter.
 */
class OnnxRankerLoadTest {
    private static final FeatureSpec SPEC = new FeatureSpec(8);

    @Test
    void garbageBytesAreRejectedWithAClearError() {
        byte[] garbage = "this is not an ONNX model".getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxRanker.load(garbage, SPEC, 16));
        assertTrue(e.getMessage().contains("not a loadable ONNX model"), e.getMessage());
        assertTrue(e.getMessage().contains(garbage.length + " bytes"), e.getMessage());
    }

    @Test
    void emptyOrNullBytesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> OnnxRanker.load(new byte[0], SPEC, 16));
        assertThrows(IllegalArgumentException.class, () -> OnnxRanker.load((byte[]) null, SPEC, 16));
    }

    @Test
    void badArgumentsAreRejectedBeforeTouchingTheModel() {
        byte[] any = {1, 2, 3};
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> OnnxRanker.load(any, SPEC, 0));
        assertTrue(batch.getMessage().contains("maxBatch"), batch.getMessage());
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class, () -> OnnxRanker.load(any, SPEC, 8, 0));
        assertTrue(threads.getMessage().contains("intraOpThreads"), threads.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OnnxRanker.load(any, null, 8));
    }

    @Test
    void missingFileIsAnIoError(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> OnnxRanker.load(dir.resolve("absent.onnx"), SPEC, 8));
    }

    @Test
    void expectedInputsFollowTheFeatureSpec() {
        var widths = OnnxRanker.expectedInputs(new FeatureSpec(5));
        assertEquals(java.util.List.of("user", "item", "item_features", "user_features", "pair_features"),
                java.util.List.copyOf(widths.keySet()));
        assertEquals(5, widths.get("user"));
        assertEquals(5, widths.get("item"));
        assertEquals(FeatureSpec.ITEM_SIZE, widths.get("item_features"));
        assertEquals(FeatureSpec.USER_SIZE, widths.get("user_features"));
        assertEquals(FeatureSpec.PAIR_SIZE, widths.get("pair_features"));
        // the graph's concatenation is exactly the network input the spec describes
        int total = 3 * 5 + FeatureSpec.ITEM_SIZE + FeatureSpec.USER_SIZE + FeatureSpec.PAIR_SIZE;
        assertEquals(new FeatureSpec(5).inputSize(), total);
    }
}
