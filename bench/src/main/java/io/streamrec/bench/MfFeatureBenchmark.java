package io.streamrec.bench;

import io.streamrec.core.learn.BiasedMf;
import io.streamrec.core.simd.FloatKernels;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The ranker's MF feature (μ + b_u + b_i + p_u·q_i) for the 200 retrieved candidates of one event,
 * at the trained model's rating dimension 256: {@code perRowDot} is how
 * {@code RecommendationPipeline} computed it before (one scalar {@link BiasedMf#predict} per
 * candidate, 27% of the stream thread in the trained-model profile), {@code gathered} how it does
 * now (one {@link FloatKernels#gatherScores} over the candidates' rows, Vector API).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class MfFeatureBenchmark {
    @Param({"256", "64"})
    int ratingDim;

    @Param({"200"})
    int candidates;

    static final int ITEMS = 9742;
    float[] q, bi, p, out;
    int[] rows;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(42);
        q = new float[ITEMS * ratingDim];
        bi = new float[ITEMS];
        p = new float[ratingDim];
        for (int k = 0; k < q.length; k++) q[k] = (float) rnd.nextGaussian() * 0.1f;
        for (int i = 0; i < ITEMS; i++) bi[i] = (float) rnd.nextGaussian() * 0.3f;
        for (int f = 0; f < ratingDim; f++) p[f] = (float) rnd.nextGaussian() * 0.1f;
        rows = new int[candidates];
        for (int r = 0; r < candidates; r++) rows[r] = rnd.nextInt(ITEMS);
        out = new float[candidates];
    }

    @Benchmark
    public float[] perRowDot() {
        for (int r = 0; r < candidates; r++) {
            int i = rows[r];
            out[r] = BiasedMf.predict(3.5f, 0.1f, bi[i], p, 0, q, i * ratingDim, ratingDim);
        }
        return out;
    }

    @Benchmark
    public float[] gathered() {
        FloatKernels.gatherScores(p, q, bi, rows, candidates, ratingDim, out);
        float base = 3.5f + 0.1f;
        for (int r = 0; r < candidates; r++) out[r] += base;
        return out;
    }
}
