package io.streamrec.model.onnx;

import ai.onnx.proto.OnnxMl;
import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.rank.Mlp;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.rank.RankerNetwork;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports a {@link RankerNetwork} as an ONNX model that {@link OnnxRanker} serves.
 *
 * <p>The graph takes the five float inputs named in {@link OnnxRanker} ({@code user} [N, dim],
 * {@code item} [N, dim], {@code item_features} [N, ITEM_SIZE], {@code user_features}
 * [N, USER_SIZE], {@code pair_features} [N, PAIR_SIZE]), with N a dynamic dimension
 * ({@code dim_param "batch"}), and builds the network input exactly as
 * {@link FeatureSpec#assemble} does:
 * <pre>
 *   x = Concat(axis=1)(user, item, Mul(user, item), item_features, user_features, pair_features)
 *   h = Relu(Gemm(h, W_l, b_l, transB=1))   for the hidden layers
 *   scores = Gemm(h, W_L, b_L, transB=1)     linear output, [N, 2]
 * </pre>
 * Weights stay in the {@link Mlp} layout ([out][in], row-major) and Gemm transposes them
 * ({@code transB=1}).
 *
 * <p>Built with tribuo-util-onnx's graph builder; Relu is added in {@link ExtraOnnxOperators}.
 * tribuo only builds the graph, so the {@code ModelProto} is assembled here: IR version
 * {@value #IR_VERSION} and an opset import for the default domain (without both, ONNX Runtime
 * refuses the model), producer {@value #PRODUCER}, and the caller's metadata as
 * {@code metadata_props}.
 */
public final class OnnxExporter {
    /** ONNX IR version written into the model; 8 is accepted by ONNX Runtime 1.23-1.29. */
    public static final long IR_VERSION = 8;
    /** Default-domain opset: the one tribuo's operator definitions are written against (13). */
    public static final int OPSET_VERSION = ONNXOperators.getOpsetVersion();
    public static final String PRODUCER = "streamrec";
    public static final String GRAPH_NAME = "streamrec_ranker";

    private OnnxExporter() {}

    /**
     * Serialises the network as an ONNX model.
     *
     * @param net      the network; its output layer must have {@link Ranker#OUTPUTS} units
     * @param metadata written as {@code metadata_props} (sorted by key, so the bytes are
     *                 deterministic); the caller supplies model version, dim, feature order,
     *                 output description
     * @return the serialised {@code ModelProto}
     */
    public static byte[] export(RankerNetwork net, Map<String, String> metadata) {
        return model(net, metadata).toByteArray();
    }

    /** {@link #export} written to {@code file} (through a temporary file and a rename). */
    public static void write(RankerNetwork net, Map<String, String> metadata, Path file) throws IOException {
        byte[] bytes = export(net, metadata);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static OnnxMl.ModelProto model(RankerNetwork net, Map<String, String> metadata) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(metadata, "metadata");
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET_VERSION))
                .setProducerName(PRODUCER)
                .setDocString("streamrec ranking network: scores[:, 0] relevance logit, scores[:, 1] rating correction")
                .setGraph(graph(net));
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            if (e.getValue() == null) throw new IllegalArgumentException("metadata value for '" + e.getKey() + "' is null");
            model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return model.build();
    }

    static OnnxMl.GraphProto graph(RankerNetwork net) {
        FeatureSpec spec = net.spec();
        Mlp mlp = net.mlp();
        if (mlp.outputSize() != Ranker.OUTPUTS) {
            throw new IllegalArgumentException("network has " + mlp.outputSize() + " outputs, the ranker contract needs " + Ranker.OUTPUTS);
        }
        int dim = spec.dim();
        ONNXContext ctx = new ONNXContext();
        ctx.setName(GRAPH_NAME);

        ONNXPlaceholder user = ctx.floatInput(OnnxRanker.INPUT_USER, dim);
        ONNXPlaceholder item = ctx.floatInput(OnnxRanker.INPUT_ITEM, dim);
        ONNXPlaceholder itemFeatures = ctx.floatInput(OnnxRanker.INPUT_ITEM_FEATURES, FeatureSpec.ITEM_SIZE);
        ONNXPlaceholder userFeatures = ctx.floatInput(OnnxRanker.INPUT_USER_FEATURES, FeatureSpec.USER_SIZE);
        ONNXPlaceholder pairFeatures = ctx.floatInput(OnnxRanker.INPUT_PAIR_FEATURES, FeatureSpec.PAIR_SIZE);

        ONNXRef<?> product = ctx.operation(ONNXOperators.MUL, List.<ONNXRef<?>>of(user, item), "user_x_item");
        ONNXRef<?> h = ctx.operation(ONNXOperators.CONCAT,
                List.<ONNXRef<?>>of(user, item, product, itemFeatures, userFeatures, pairFeatures),
                "network_input", Map.of("axis", 1));

        for (int l = 0; l < mlp.layers(); l++) {
            int in = mlp.size(l), out = mlp.size(l + 1);
            float[] w = mlp.weights(l), b = mlp.biases(l);
            ONNXInitializer weights = ctx.floatTensor("W" + l, List.of(out, in), buf -> buf.put(w));
            ONNXInitializer biases = ctx.floatTensor("b" + l, List.of(out), buf -> buf.put(b));
            h = ctx.operation(ONNXOperators.GEMM, List.<ONNXRef<?>>of(h, weights, biases), "gemm" + l,
                    Map.of("transB", 1));
            if (l < mlp.layers() - 1) {
                h = ctx.operation(ExtraOnnxOperators.RELU, List.<ONNXRef<?>>of(h), "relu" + l);
            }
        }
        // operation(...) suffixes output names to keep them unique; an Identity node gives
        // the graph output its exact public name.
        ctx.assignTo(h, ctx.floatOutput(OnnxRanker.OUTPUT_SCORES, Ranker.OUTPUTS));
        return ctx.buildGraph();
    }
}
