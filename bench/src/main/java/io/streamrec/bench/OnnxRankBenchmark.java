package io.streamrec.bench;

import io.streamrec.trainer.train.TrainConfig;

import io.streamrec.model.GeneratedModel;
import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.rank.RankerNetwork;
import io.streamrec.model.onnx.OnnxExporter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Scoring 50, 200 and 1000 candidates in one batch with the ranking network (the trainer's shape,
 * 3·64+30 → 64 → 32 → 2, exported to ONNX by the trainer's exporter) through {@link OnnxRanker}
 * (ONNX Runtime, 1 intra-op thread, reused direct buffers), and the plain-Java forward pass
 * ({@link RankerNetwork}) for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class OnnxRankBenchmark {
    @Param({"50", "200", "1000"})
    int candidates;

    static final int DIM = 64;
    RankerNetwork network;
    OnnxRanker onnx;
    float[] user, item, itemFeatures, userFeatures, pairFeatures, out;

    @Setup
    public void setup() {
        network = GeneratedModel.ranker(DIM, TrainConfig.defaults().hidden(), 42);
        onnx = OnnxRanker.load(OnnxExporter.export(network, Map.of()), new FeatureSpec(DIM), candidates);
        SplittableRandom rnd = new SplittableRandom(1);
        user = random(rnd, candidates * DIM);
        item = random(rnd, candidates * DIM);
        itemFeatures = random(rnd, candidates * FeatureSpec.ITEM_SIZE);
        userFeatures = random(rnd, candidates * FeatureSpec.USER_SIZE);
        pairFeatures = random(rnd, candidates * FeatureSpec.PAIR_SIZE);
        out = new float[candidates * Ranker.OUTPUTS];
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) a[k] = (float) (rnd.nextDouble() - 0.5);
        return a;
    }

    @TearDown
    public void close() {
        onnx.close();
    }

    @Benchmark
    public float onnxRuntime() {
        onnx.score(candidates, user, item, itemFeatures, userFeatures, pairFeatures, out);
        return out[0];
    }

    @Benchmark
    public float plainJava() {
        network.score(candidates, user, item, itemFeatures, userFeatures, pairFeatures, out);
        return out[0];
    }
}
