package io.streamrec.trainer.export;

import io.streamrec.model.onnx.OnnxExporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.streamrec.core.features.FeatureSpec;
import io.streamrec.trainer.rank.Examples;
import io.streamrec.trainer.rank.HeadLoss;
import io.streamrec.core.rank.Mlp;
import io.streamrec.trainer.rank.MlpTrainer;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.rank.RankerNetwork;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's exported ONNX graph, served by {@link OnnxRanker}, computes what the Java
 * reference {@link RankerNetwork} computes: on random and trained weights, for batch sizes
 * 1, 7 and 1000 with one session, and exactly on a hand-computed tiny network.
 */
class OnnxParityTest {
    private static final FeatureSpec SPEC = new FeatureSpec(8);
    private static final int MAX_BATCH = 1000;
    private static final double TOLERANCE = 1e-5;

    @Test
    void initialisedNetworkMatchesJavaForwardPass() {
        RankerNetwork net = new RankerNetwork(SPEC, Mlp.initialise(new int[] {SPEC.inputSize(), 64, 32, 2}, 11L));
        assertParity(net, 101L);
    }

    @Test
    void trainedNetworkMatchesJavaForwardPass() {
        Mlp initial = Mlp.initialise(new int[] {SPEC.inputSize(), 64, 32, 2}, 12L);
        Examples train = randomExamples(2000, 1L), validation = randomExamples(500, 2L);
        MlpTrainer trainer = new MlpTrainer(new HeadLoss[] {HeadLoss.LOGISTIC, HeadLoss.SQUARED},
                new MlpTrainer.Options(4, 64, 1e-2f, 1e-4f, 10, 42L));
        MlpTrainer.Result result = trainer.train(initial, train, validation, "test", EpochListener.NONE);
        Mlp trained = result.best();
        assertTrue(result.bestEpoch() > 0, "training improved on nothing");
        assertFalse(Arrays.equals(initial.weights(0), trained.weights(0)), "weights did not move from the initialisation");
        assertParity(new RankerNetwork(SPEC, trained), 202L);
    }

    /**
     * Contract test with hand-set weights: dim 2, sizes {36, 2, 2}. The network input is
     * [user 0-1 | item 2-3 | user∘item 4-5 | item_features 6-29 | user_features 30-33 | pair 34-35];
     * <pre>
     *   h0 = relu(1·user[0] + 2·(user∘item)[1] + 0.5·item_features[0] + 0.25·pair[1] + 0.1)
     *   h1 = relu(-1·user[1] + 1·user_features[3] - 0.5)
     *   relevance = 1·h0 - 2·h1 + 0.3
     *   rating    = 0.5·h0 + 0.5·h1 - 1
     * </pre>
     * so it also pins the concatenation order of the five inputs and the Relu placement.
     */
    @Test
    void knownWeightsGiveHandComputedScores() {
        FeatureSpec spec = new FeatureSpec(2);
        int in = spec.inputSize();
        assertEquals(36, in);
        int prod = 2 * spec.dim(), itemF = 3 * spec.dim(), userF = itemF + FeatureSpec.ITEM_SIZE,
                pair = userF + FeatureSpec.USER_SIZE;
        float[] w0 = new float[2 * in];
        w0[0] = 1f;                 // h0 <- user[0]
        w0[prod + 1] = 2f;          // h0 <- (user∘item)[1]
        w0[itemF] = 0.5f;           // h0 <- item_features[0]
        w0[pair + 1] = 0.25f;       // h0 <- pair_features[1]
        w0[in + 1] = -1f;           // h1 <- user[1]
        w0[in + userF + 3] = 1f;    // h1 <- user_features[3]
        float[] b0 = {0.1f, -0.5f};
        float[] w1 = {1f, -2f, 0.5f, 0.5f};
        float[] b1 = {0.3f, -1f};
        RankerNetwork net = new RankerNetwork(spec,
                new Mlp(new int[] {in, 2, 2}, new float[][] {w0, w1}, new float[][] {b0, b1}));

        int rows = 3;
        float[] user = {1f, 2f, /**/ -1f, 3f, /**/ 2f, 0f};
        float[] item = {3f, 0.5f, /**/ 2f, -1f, /**/ 1f, 1f};
        float[] itemFeatures = new float[rows * FeatureSpec.ITEM_SIZE];
        float[] userFeatures = new float[rows * FeatureSpec.USER_SIZE];
        float[] pairFeatures = new float[rows * FeatureSpec.PAIR_SIZE];
        // row 0: h0 = 1 + 2·(2·0.5) + 0.5·1 + 0.25·2 + 0.1 = 4.1, h1 = -2 + 4 - 0.5 = 1.5
        itemFeatures[0] = 1f;
        pairFeatures[1] = 2f;
        userFeatures[3] = 4f;
        // row 1: h0 = -1 + 2·(3·-1) + 0.1 = -6.9 -> 0, h1 = -3 + 1 - 0.5 = -2.5 -> 0
        userFeatures[FeatureSpec.USER_SIZE + 3] = 1f;
        // row 2: h0 = 2 + 0 + 0.5·2 + 0.25·-4 + 0.1 = 2.1, h1 = 0 + 0 - 0.5 -> 0
        itemFeatures[2 * FeatureSpec.ITEM_SIZE] = 2f;
        pairFeatures[2 * FeatureSpec.PAIR_SIZE + 1] = -4f;
        float[] expected = {
                4.1f - 3f + 0.3f, 2.05f + 0.75f - 1f,   // 1.4, 1.8
                0.3f, -1f,                              // both hidden units clipped by Relu
                2.1f + 0.3f, 1.05f - 1f                 // 2.4, 0.05
        };

        float[] onnx = new float[rows * Ranker.OUTPUTS];
        try (OnnxRanker ranker = OnnxRanker.load(OnnxExporter.export(net, Map.of()), spec, 4)) {
            ranker.score(rows, user, item, itemFeatures, userFeatures, pairFeatures, onnx);
        }
        assertArrayEquals(expected, onnx, 1e-6f, "ONNX Runtime scores");
        float[] java = new float[rows * Ranker.OUTPUTS];
        net.score(rows, user, item, itemFeatures, userFeatures, pairFeatures, java);
        assertArrayEquals(expected, java, 1e-6f, "Java reference scores");
    }

    @Test
    void metadataRoundTrips() {
        RankerNetwork net = new RankerNetwork(SPEC, Mlp.initialise(new int[] {SPEC.inputSize(), 4, 2}, 3L));
        Map<String, String> metadata = Map.of(
                "model_version", "2024-06-01T12:00:00Z-abc123",
                "dim", Integer.toString(SPEC.dim()),
                "feature_order", String.join(",", SPEC.inputNames()),
                "outputs", "scores[:,0]=relevance logit; scores[:,1]=rating correction");
        try (OnnxRanker ranker = OnnxRanker.load(OnnxExporter.export(net, metadata), SPEC, 8)) {
            assertEquals(metadata, ranker.metadata());
        }
    }

    @Test
    void modelProtoHasVersionOpsetProducerAndDynamicBatch() throws Exception {
        RankerNetwork net = new RankerNetwork(SPEC, Mlp.initialise(new int[] {SPEC.inputSize(), 4, 2}, 3L));
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(OnnxExporter.export(net, Map.of("k", "v")));
        assertEquals(8, model.getIrVersion());
        assertEquals(1, model.getOpsetImportCount());
        assertEquals("", model.getOpsetImport(0).getDomain());
        assertEquals(OnnxExporter.OPSET_VERSION, model.getOpsetImport(0).getVersion());
        assertEquals("streamrec", model.getProducerName());
        OnnxMl.GraphProto graph = model.getGraph();
        assertEquals(List.of("user", "item", "item_features", "user_features", "pair_features"),
                graph.getInputList().stream().map(OnnxMl.ValueInfoProto::getName).collect(Collectors.toList()));
        for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
            assertEquals("batch", input.getType().getTensorType().getShape().getDim(0).getDimParam(), input.getName());
        }
        assertEquals(List.of("scores"), graph.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).collect(Collectors.toList()));
        assertEquals(List.of("Mul", "Concat", "Gemm", "Relu", "Gemm", "Identity"),
                graph.getNodeList().stream().map(OnnxMl.NodeProto::getOpType).collect(Collectors.toList()));
    }

    @Test
    void wrongDimFailsAtLoadNamingTheInputAndBothShapes() {
        RankerNetwork net = new RankerNetwork(SPEC, Mlp.initialise(new int[] {SPEC.inputSize(), 4, 2}, 3L));
        byte[] model = OnnxExporter.export(net, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxRanker.load(model, new FeatureSpec(16), 8));
        String message = e.getMessage();
        assertTrue(message.contains("'user'"), message);
        assertTrue(message.contains("[batch, 8]"), message);
        assertTrue(message.contains("[batch, 16]"), message);
    }

    @Test
    void batchDimensionIsDynamicAndBoundedByMaxBatch() {
        RankerNetwork net = new RankerNetwork(SPEC, Mlp.initialise(new int[] {SPEC.inputSize(), 16, 2}, 5L));
        try (OnnxRanker ranker = OnnxRanker.load(OnnxExporter.export(net, Map.of()), SPEC, MAX_BATCH)) {
            // full batches run on tensors made once over the reused buffers: new data each time must give new scores
            int[] sizes = {1, MAX_BATCH, 1, 3, MAX_BATCH, MAX_BATCH};
            for (int k = 0; k < sizes.length; k++) {
                int rows = sizes[k];
                Batch b = Batch.random(SPEC, rows, 300L + rows + 17L * k);
                float[] out = new float[rows * Ranker.OUTPUTS];
                ranker.score(rows, b.user, b.item, b.itemFeatures, b.userFeatures, b.pairFeatures, out);
                float[] expected = new float[rows * Ranker.OUTPUTS];
                net.score(rows, b.user, b.item, b.itemFeatures, b.userFeatures, b.pairFeatures, expected);
                assertArrayEquals(expected, out, (float) TOLERANCE, rows + " rows");
            }
            Batch big = Batch.random(SPEC, MAX_BATCH + 1, 1L);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ranker.score(MAX_BATCH + 1,
                    big.user, big.item, big.itemFeatures, big.userFeatures, big.pairFeatures, new float[2 * (MAX_BATCH + 1)]));
            assertTrue(e.getMessage().contains("maxBatch=" + MAX_BATCH), e.getMessage());
            Batch small = Batch.random(SPEC, 2, 1L);
            IllegalArgumentException shortArray = assertThrows(IllegalArgumentException.class, () -> ranker.score(3,
                    small.user, small.item, small.itemFeatures, small.userFeatures, small.pairFeatures, new float[6]));
            assertTrue(shortArray.getMessage().contains("user"), shortArray.getMessage());
        }
    }

    @Test
    void writesAFileThatLoadsFromPath(@TempDir Path dir) throws Exception {
        RankerNetwork net = new RankerNetwork(SPEC, Mlp.initialise(new int[] {SPEC.inputSize(), 8, 2}, 9L));
        Path file = dir.resolve("models/ranker.onnx");
        OnnxExporter.write(net, Map.of("dim", "8"), file);
        try (OnnxRanker ranker = OnnxRanker.load(file, SPEC, 16)) {
            assertEquals("8", ranker.metadata().get("dim"));
            Batch b = Batch.random(SPEC, 16, 4L);
            float[] out = new float[32], expected = new float[32];
            ranker.score(16, b.user, b.item, b.itemFeatures, b.userFeatures, b.pairFeatures, out);
            net.score(16, b.user, b.item, b.itemFeatures, b.userFeatures, b.pairFeatures, expected);
            assertArrayEquals(expected, out, (float) TOLERANCE);
        }
    }

    @Test
    void closedRankerRefusesToScore() {
        RankerNetwork net = new RankerNetwork(SPEC, Mlp.initialise(new int[] {SPEC.inputSize(), 4, 2}, 3L));
        OnnxRanker ranker = OnnxRanker.load(OnnxExporter.export(net, Map.of()), SPEC, 4);
        ranker.close();
        ranker.close(); // idempotent
        Batch b = Batch.random(SPEC, 1, 1L);
        assertThrows(IllegalStateException.class,
                () -> ranker.score(1, b.user, b.item, b.itemFeatures, b.userFeatures, b.pairFeatures, new float[2]));
    }

    @Test
    void exporterRejectsANetworkWithoutTwoOutputs() {
        RankerNetwork net = new RankerNetwork(SPEC, Mlp.initialise(new int[] {SPEC.inputSize(), 4, 1}, 3L));
        assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(net, Map.of()));
    }

    private static void assertParity(RankerNetwork net, long seed) {
        byte[] model = OnnxExporter.export(net, Map.of("dim", "8"));
        try (OnnxRanker ranker = OnnxRanker.load(model, SPEC, MAX_BATCH)) {
            for (int rows : new int[] {1, 7, MAX_BATCH}) {
                Batch b = Batch.random(SPEC, rows, seed + rows);
                float[] onnx = new float[rows * Ranker.OUTPUTS];
                float[] java = new float[rows * Ranker.OUTPUTS];
                ranker.score(rows, b.user, b.item, b.itemFeatures, b.userFeatures, b.pairFeatures, onnx);
                net.score(rows, b.user, b.item, b.itemFeatures, b.userFeatures, b.pairFeatures, java);
                double maxDiff = 0;
                for (int k = 0; k < onnx.length; k++) maxDiff = Math.max(maxDiff, Math.abs(onnx[k] - java[k]));
                assertTrue(maxDiff <= TOLERANCE, rows + " rows: max |onnx - java| = " + maxDiff);
            }
        }
    }

    /** Random training data in the network's input layout, with a learnable target. */
    private static Examples randomExamples(int rows, long seed) {
        Batch b = Batch.random(SPEC, rows, seed);
        int in = SPEC.inputSize();
        float[] x = new float[rows * in], y = new float[rows * 2], w = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            SPEC.assemble(b.user, r * SPEC.dim(), b.item, r * SPEC.dim(), b.itemFeatures, r * FeatureSpec.ITEM_SIZE,
                    b.userFeatures, r * FeatureSpec.USER_SIZE, b.pairFeatures, r * FeatureSpec.PAIR_SIZE, x, r * in);
            float dot = 0;
            for (int f = 0; f < SPEC.dim(); f++) dot += b.user[r * SPEC.dim() + f] * b.item[r * SPEC.dim() + f];
            y[2 * r] = dot + b.pairFeatures[r * FeatureSpec.PAIR_SIZE] > 0 ? 1f : 0f;
            y[2 * r + 1] = 0.5f * dot - b.userFeatures[r * FeatureSpec.USER_SIZE + 1];
            w[2 * r] = 1f;
            w[2 * r + 1] = 1f;
        }
        return new Examples(in, 2, rows, x, y, w, new float[rows * 2]);
    }

    /** One batch of random rows in the {@link Ranker} layout. */
    record Batch(float[] user, float[] item, float[] itemFeatures, float[] userFeatures, float[] pairFeatures) {
        static Batch random(FeatureSpec spec, int rows, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            return new Batch(gaussian(rnd, rows * spec.dim(), 0.5),
                    gaussian(rnd, rows * spec.dim(), 0.5),
                    gaussian(rnd, rows * FeatureSpec.ITEM_SIZE, 1.0),
                    gaussian(rnd, rows * FeatureSpec.USER_SIZE, 1.0),
                    gaussian(rnd, rows * FeatureSpec.PAIR_SIZE, 1.0));
        }

        private static float[] gaussian(SplittableRandom rnd, int n, double std) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                double u1 = 1.0 - rnd.nextDouble(), u2 = rnd.nextDouble();
                a[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
            }
            return a;
        }
    }
}
