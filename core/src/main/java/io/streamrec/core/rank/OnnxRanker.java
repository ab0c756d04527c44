package io.streamrec.core.rank;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.streamrec.core.features.FeatureSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Serves the ranking network with ONNX Runtime: the exported graph (see the trainer's
 * {@code OnnxExporter}) takes five named float inputs, {@value #INPUT_USER} [N, dim],
 * {@value #INPUT_ITEM} [N, dim], {@value #INPUT_ITEM_FEATURES} [N, ITEM_SIZE],
 * {@value #INPUT_USER_FEATURES} [N, USER_SIZE], {@value #INPUT_PAIR_FEATURES} [N, PAIR_SIZE],
 * with a dynamic batch dimension N, builds the {@link FeatureSpec} concatenation itself and
 * returns {@value #OUTPUT_SCORES} [N, {@value Ranker#OUTPUTS}]. Loading checks these names
 * and widths against the {@link FeatureSpec} and fails with a message that names the
 * offending input and both shapes, so a model/spec mismatch is caught at start-up, not on the
 * first event.
 *
 * <p><b>Not thread-safe: use one instance per thread.</b> Each instance owns one ONNX Runtime
 * session (intra-op threads {@value #DEFAULT_INTRA_OP_THREADS} by default: the app scales by
 * stream threads, not inside one call) and one set of direct, native-order
 * {@link FloatBuffer}s sized for {@code maxBatch} rows, which every {@link #score} call
 * overwrites. The buffers are reused on purpose: ONNX Runtime reads a direct buffer in place,
 * whereas heap arrays are copied into fresh native memory on each call, which measured 2-5x
 * slower per call at our batch sizes; allocating direct buffers per call would be slower
 * still. The output is written by ONNX Runtime straight into this instance's output buffer
 * (a pre-allocated "pinned" output), so a call allocates no tensor data at all.
 */
public final class OnnxRanker implements Ranker, AutoCloseable {
    public static final String INPUT_USER = "user";
    public static final String INPUT_ITEM = "item";
    public static final String INPUT_ITEM_FEATURES = "item_features";
    public static final String INPUT_USER_FEATURES = "user_features";
    public static final String INPUT_PAIR_FEATURES = "pair_features";
    public static final String OUTPUT_SCORES = "scores";
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final FeatureSpec spec;
    private final int maxBatch;
    private final Map<String, String> metadata;
    private final FloatBuffer user, item, itemFeatures, userFeatures, pairFeatures, scores;
    /**
     * Tensors over the whole buffers ({@code maxBatch} rows), made on the first full call and reused by every call
     * with {@code maxBatch} rows (the serving case: as many candidates as configured): ONNX Runtime reads a direct
     * buffer's memory when the session runs, so refilling the buffers is enough, and each call saves six native
     * tensor wrappers and two maps.
     */
    private Map<String, OnnxTensor> fullInputs, fullOutputs;
    private boolean closed;

    private OnnxRanker(OrtEnvironment env, OrtSession session, FeatureSpec spec, int maxBatch,
                       Map<String, String> metadata) {
        this.env = env;
        this.session = session;
        this.spec = spec;
        this.maxBatch = maxBatch;
        this.metadata = metadata;
        int d = spec.dim();
        this.user = directFloats(maxBatch, d);
        this.item = directFloats(maxBatch, d);
        this.itemFeatures = directFloats(maxBatch, FeatureSpec.ITEM_SIZE);
        this.userFeatures = directFloats(maxBatch, FeatureSpec.USER_SIZE);
        this.pairFeatures = directFloats(maxBatch, FeatureSpec.PAIR_SIZE);
        this.scores = directFloats(maxBatch, OUTPUTS);
    }

    /** Loads a model with {@value #DEFAULT_INTRA_OP_THREADS} intra-op thread(s). */
    public static OnnxRanker load(byte[] modelBytes, FeatureSpec spec, int maxBatch) {
        return load(modelBytes, spec, maxBatch, DEFAULT_INTRA_OP_THREADS);
    }

    public static OnnxRanker load(Path modelFile, FeatureSpec spec, int maxBatch) throws IOException {
        return load(Files.readAllBytes(modelFile), spec, maxBatch);
    }

    public static OnnxRanker load(Path modelFile, FeatureSpec spec, int maxBatch, int intraOpThreads) throws IOException {
        return load(Files.readAllBytes(modelFile), spec, maxBatch, intraOpThreads);
    }

    /**
     * Creates the session and checks the model's inputs and output against {@code spec}.
     *
     * @param maxBatch       the most rows one {@link #score} call may pass; sizes the buffers
     * @param intraOpThreads ONNX Runtime threads used inside one call (1 = run on the caller)
     * @throws IllegalArgumentException if the bytes are not a loadable ONNX model or its inputs
     *                                  or output do not match {@code spec}
     */
    public static OnnxRanker load(byte[] modelBytes, FeatureSpec spec, int maxBatch, int intraOpThreads) {
        if (modelBytes == null || modelBytes.length == 0) {
            throw new IllegalArgumentException("ONNX model bytes are empty");
        }
        if (spec == null) throw new IllegalArgumentException("feature spec is null");
        if (maxBatch <= 0) throw new IllegalArgumentException("maxBatch must be > 0, got " + maxBatch);
        if (intraOpThreads <= 0) throw new IllegalArgumentException("intraOpThreads must be > 0, got " + intraOpThreads);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = sessionOptions(intraOpThreads)) {
            session = env.createSession(modelBytes, options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("not a loadable ONNX model (" + modelBytes.length + " bytes): " + e.getMessage(), e);
        }
        try {
            checkSignature(session, spec);
            Map<String, String> metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
            return new OnnxRanker(env, session, spec, maxBatch, metadata);
        } catch (RuntimeException | OrtException e) {
            closeQuietly(session, e);
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalArgumentException("cannot read the ONNX model's signature: " + e.getMessage(), e);
        }
    }

    /**
     * The session options every ranker uses: graph optimisation level ALL (constant folding,
     * node fusions such as Gemm+Relu, layout optimisations), {@code intraOpThreads} threads
     * inside one call, one inter-op thread (the graph is a chain). The caller closes them.
     */
    public static OrtSession.SessionOptions sessionOptions(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** The model's {@code metadata_props} (model version, dim, feature order, ...), unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public FeatureSpec spec() {
        return spec;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Scores {@code rows} rows (see {@link Ranker}); {@code rows} must be at most
     * {@link #maxBatch()}. Copies the rows into this instance's direct buffers, runs the
     * session and copies {@value #OUTPUT_SCORES} into {@code out[0 .. rows·2)}.
     *
     * @throws IllegalArgumentException if rows is negative or above maxBatch, or an array is
     *                                  shorter than rows × its width
     * @throws IllegalStateException    if the ranker is closed or ONNX Runtime fails
     */
    @Override
    @SuppressWarnings("try") // the Result is only closed: its one output is our pinned tensor
    public void score(int rows, float[] user, float[] item, float[] itemFeatures, float[] userFeatures,
                      float[] pairFeatures, float[] out) {
        if (closed) throw new IllegalStateException("OnnxRanker is closed");
        if (rows < 0 || rows > maxBatch) {
            throw new IllegalArgumentException("rows must be in [0, maxBatch=" + maxBatch + "], got " + rows);
        }
        if (rows == 0) return;
        int d = spec.dim();
        fill(this.user, user, rows, d, INPUT_USER);
        fill(this.item, item, rows, d, INPUT_ITEM);
        fill(this.itemFeatures, itemFeatures, rows, FeatureSpec.ITEM_SIZE, INPUT_ITEM_FEATURES);
        fill(this.userFeatures, userFeatures, rows, FeatureSpec.USER_SIZE, INPUT_USER_FEATURES);
        fill(this.pairFeatures, pairFeatures, rows, FeatureSpec.PAIR_SIZE, INPUT_PAIR_FEATURES);
        int n = rows * OUTPUTS;
        checkLength(out, n, "out");
        scores.clear().limit(n);

        try {
            if (rows == maxBatch) {
                if (fullInputs == null) makeFullTensors();
                try (OrtSession.Result result = session.run(fullInputs, fullOutputs)) {
                    scores.get(0, out, 0, n);
                }
                return;
            }
            try (OnnxTensor u = tensor(this.user, rows, d);
                 OnnxTensor i = tensor(this.item, rows, d);
                 OnnxTensor itf = tensor(this.itemFeatures, rows, FeatureSpec.ITEM_SIZE);
                 OnnxTensor uf = tensor(this.userFeatures, rows, FeatureSpec.USER_SIZE);
                 OnnxTensor pf = tensor(this.pairFeatures, rows, FeatureSpec.PAIR_SIZE);
                 OnnxTensor s = tensor(scores, rows, OUTPUTS);
                 OrtSession.Result result = session.run(
                         Map.of(INPUT_USER, u, INPUT_ITEM, i, INPUT_ITEM_FEATURES, itf,
                                 INPUT_USER_FEATURES, uf, INPUT_PAIR_FEATURES, pf),
                         Map.of(OUTPUT_SCORES, s))) {
                // ONNX Runtime wrote the output into the pinned tensor, i.e. into `scores`.
                scores.get(0, out, 0, n);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed scoring " + rows + " rows: " + e.getMessage(), e);
        }
    }

    private void makeFullTensors() throws OrtException {
        int d = spec.dim();
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        try {
            in.put(INPUT_USER, tensor(whole(user), maxBatch, d));
            in.put(INPUT_ITEM, tensor(whole(item), maxBatch, d));
            in.put(INPUT_ITEM_FEATURES, tensor(whole(itemFeatures), maxBatch, FeatureSpec.ITEM_SIZE));
            in.put(INPUT_USER_FEATURES, tensor(whole(userFeatures), maxBatch, FeatureSpec.USER_SIZE));
            in.put(INPUT_PAIR_FEATURES, tensor(whole(pairFeatures), maxBatch, FeatureSpec.PAIR_SIZE));
            OnnxTensor out = tensor(whole(scores), maxBatch, OUTPUTS);
            fullOutputs = Map.of(OUTPUT_SCORES, out);
            fullInputs = Map.copyOf(in);
        } catch (OrtException | RuntimeException e) {
            in.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    /** A view of the whole buffer from position 0, whatever the last fill left its position and limit at. */
    private static FloatBuffer whole(FloatBuffer b) {
        return b.duplicate().clear();
    }

    /** Closes the session; the buffers are freed by the garbage collector. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (fullInputs != null) {
            fullInputs.values().forEach(OnnxTensor::close);
            fullOutputs.values().forEach(OnnxTensor::close);
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("failed to close the ONNX Runtime session", e);
        }
    }

    private OnnxTensor tensor(FloatBuffer buffer, int rows, int width) throws OrtException {
        return OnnxTensor.createTensor(env, buffer, new long[] {rows, width});
    }

    private static void fill(FloatBuffer dst, float[] src, int rows, int width, String name) {
        int n = rows * width;
        checkLength(src, n, name);
        dst.clear();
        dst.put(src, 0, n);
        dst.flip();
    }

    private static void checkLength(float[] a, int n, String name) {
        if (a == null) throw new IllegalArgumentException(name + " is null");
        if (a.length < n) {
            throw new IllegalArgumentException(name + " has " + a.length + " floats, need at least " + n);
        }
    }

    private static FloatBuffer directFloats(int rows, int width) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(Math.multiplyExact(rows, width), Float.BYTES))
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /** Expected width of each input, in graph order. */
    static Map<String, Integer> expectedInputs(FeatureSpec spec) {
        Map<String, Integer> widths = new LinkedHashMap<>();
        widths.put(INPUT_USER, spec.dim());
        widths.put(INPUT_ITEM, spec.dim());
        widths.put(INPUT_ITEM_FEATURES, FeatureSpec.ITEM_SIZE);
        widths.put(INPUT_USER_FEATURES, FeatureSpec.USER_SIZE);
        widths.put(INPUT_PAIR_FEATURES, FeatureSpec.PAIR_SIZE);
        return widths;
    }

    private static void checkSignature(OrtSession session, FeatureSpec spec) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, Integer> expected = expectedInputs(spec);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            NodeInfo info = inputs.get(e.getKey());
            if (info == null) {
                throw new IllegalArgumentException("ONNX model has no input '" + e.getKey() + "'; model inputs "
                        + new TreeSet<>(inputs.keySet()) + ", expected " + expected.keySet());
            }
            String source = e.getKey().equals(INPUT_USER) || e.getKey().equals(INPUT_ITEM)
                    ? "FeatureSpec(dim=" + spec.dim() + ")" : "FeatureSpec";
            checkTensor("input", e.getKey(), info, e.getValue(), source);
        }
        Set<String> extra = new TreeSet<>(inputs.keySet());
        extra.removeAll(expected.keySet());
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException("ONNX model has unexpected inputs " + extra + "; expected exactly " + expected.keySet());
        }
        NodeInfo out = session.getOutputInfo().get(OUTPUT_SCORES);
        if (out == null) {
            throw new IllegalArgumentException("ONNX model has no output '" + OUTPUT_SCORES + "'; model outputs "
                    + new TreeSet<>(session.getOutputInfo().keySet()));
        }
        checkTensor("output", OUTPUT_SCORES, out, OUTPUTS, "the Ranker contract (relevance logit, rating correction)");
    }

    private static void checkTensor(String kind, String name, NodeInfo node, int width, String source) {
        ValueInfo info = node.getInfo();
        if (!(info instanceof TensorInfo tensor)) {
            throw new IllegalArgumentException("ONNX " + kind + " '" + name + "' is not a tensor: " + info);
        }
        if (tensor.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException("ONNX " + kind + " '" + name + "' has element type " + tensor.type + ", expected FLOAT");
        }
        long[] shape = tensor.getShape();
        boolean ok = shape.length == 2 && shape[1] == width && shape[0] < 0;
        if (!ok) {
            String why = shape.length == 2 && shape[1] == width ? " (the batch dimension must be dynamic)" : "";
            throw new IllegalArgumentException("ONNX " + kind + " '" + name + "' has shape " + describe(tensor)
                    + " but " + source + " expects [batch, " + width + "]" + why);
        }
    }

    /** The shape with symbolic dimensions by name, e.g. {@code [batch, 8]}. */
    static String describe(TensorInfo tensor) {
        long[] shape = tensor.getShape();
        String[] names = tensor.getDimensionNames();
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < shape.length; k++) {
            if (k > 0) sb.append(", ");
            if (shape[k] >= 0) sb.append(shape[k]);
            else sb.append(names != null && k < names.length && names[k] != null && !names[k].isEmpty() ? names[k] : "?");
        }
        return sb.append(']').toString();
    }

    private static void closeQuietly(OrtSession session, Exception cause) {
        try {
            session.close();
        } catch (OrtException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
