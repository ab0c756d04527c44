package io.streamrec.bench;

import io.streamrec.core.retrieval.BruteForceRetriever;
import io.streamrec.core.retrieval.SimdScanRetriever;
import io.streamrec.core.retrieval.TopK;
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
import java.util.function.IntPredicate;

/**
 * Exact top-200 retrieval over random item vectors, excluding 50 "seen" items as the serving path
 * does: {@code simdTopK} is what serves now ({@link SimdScanRetriever}: JDK Vector API over a
 * dimension-major copy, selection instead of a heap when 200 is a large share of the catalogue);
 * {@code topK} the scalar scan it replaced ({@link BruteForceRetriever}: four items per pass,
 * bounded heap); {@code topKOneAtATime} the loop before that. 1,682 items is the MovieLens-100k
 * catalogue of the trained-model runs. The HNSW index is measured by {@code ./recsys bench --retrieval}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-modules=jdk.incubator.vector"})
public class RetrievalBenchmark {
    @Param({"1682", "10000", "100000", "1000000"})
    int items;

    @Param({"32", "64"})
    int dim;

    @Param({"200"})
    int n;

    BruteForceRetriever retriever;
    SimdScanRetriever simd;
    float[] vectors, bias;
    boolean[] active;
    TopK heap;
    int[] out;
    float[] scores;
    float[][] queries;
    IntPredicate exclude;
    int next;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(42);
        vectors = new float[items * dim];
        bias = new float[items];
        active = new boolean[items];
        for (int k = 0; k < vectors.length; k++) vectors[k] = (float) (rnd.nextDouble() - 0.5) * 0.2f;
        for (int i = 0; i < items; i++) {
            bias[i] = (float) rnd.nextDouble() * 0.1f;
            active[i] = true;
        }
        retriever = new BruteForceRetriever(vectors, bias, active, dim);
        simd = new SimdScanRetriever(vectors, bias, active, dim);
        heap = new TopK(n);
        out = new int[n];
        scores = new float[n];
        queries = new float[16][dim];
        for (float[] q : queries) for (int f = 0; f < dim; f++) q[f] = (float) (rnd.nextDouble() - 0.5) * 0.2f;
        java.util.BitSet seen = new java.util.BitSet(items);
        for (int k = 0; k < 50; k++) seen.set(rnd.nextInt(items));
        exclude = seen::get;
    }

    @Benchmark
    public int simdTopK() {
        float[] q = queries[next++ & 15];
        return simd.topK(q, n, exclude, heap, out, scores);
    }

    @Benchmark
    public int topK() {
        float[] q = queries[next++ & 15];
        return retriever.topK(q, n, exclude, heap, out, scores);
    }

    /**
     * The loop {@link BruteForceRetriever} had before it scored four items per pass (one item, one
     * running sum at a time), kept here so the before/after is measured in one run on one machine.
     */
    @Benchmark
    public int topKOneAtATime() {
        float[] q = queries[next++ & 15];
        heap.reset(Math.min(n, items));
        final float[] v = vectors;
        final int d = dim;
        for (int i = 0, off = 0; i < items; i++, off += d) {
            if (!active[i]) continue;
            float s = bias[i];
            for (int f = 0; f < d; f++) s += q[f] * v[off + f];
            if (s >= heap.threshold() && !exclude.test(i)) heap.offer(i, s);
        }
        return heap.drainSorted(out, scores);
    }
}
