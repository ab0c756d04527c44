package io.streamrec.bench;

import io.streamrec.core.learn.BiasedMf;
import io.streamrec.core.retrieval.BruteForceRetriever;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.SimdScanRetriever;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.core.simd.FloatKernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Before/after of the per-event kernels in thread CPU time (what other tenants of a shared machine
 * disturb least; JMH's wall clock swings 2× there). Alternates the variants round after round and
 * prints the median CPU µs per call of each:
 * <ul>
 *   <li>exact top-200 retrieval: the scalar scan ({@link BruteForceRetriever}, bounded heap), the
 *       SIMD scan with the heap only, and the SIMD scan as served (selection when 200 is a large
 *       share of the catalogue), over 1,682 (MovieLens 100k) to 1M items, d = 32 and 64;</li>
 *   <li>the MF feature of 200 candidates at rating dimension 256: one scalar dot per candidate
 *       (before) against one gathered SIMD matrix-vector product (now).</li>
 * </ul>
 * <pre>java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar io.streamrec.bench.KernelCpuTime</pre>
 */
public final class KernelCpuTime {
    private static final int N = 200, ROUNDS = 11;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private KernelCpuTime() {}

    public static void main(String[] args) {
        System.out.printf("SIMD %s, %d lanes%n", FloatKernels.SIMD, FloatKernels.LANES);
        System.out.printf("%10s %4s %14s %16s %16s %9s%n", "items", "dim", "scalar heap µs", "SIMD heap µs", "SIMD served µs", "speed-up");
        for (int dim : new int[] {32, 64}) {
            for (int items : new int[] {1_682, 10_000, 100_000, 1_000_000}) retrieval(items, dim);
        }
        mfFeature(256);
        mfFeature(64);
    }

    static void retrieval(int items, int dim) {
        SplittableRandom rnd = new SplittableRandom(42);
        float[] v = new float[items * dim], bias = new float[items];
        boolean[] active = new boolean[items];
        for (int k = 0; k < v.length; k++) v[k] = (float) rnd.nextGaussian() * 0.1f;
        for (int i = 0; i < items; i++) {
            bias[i] = (float) rnd.nextDouble() * 0.3f;
            active[i] = true;
        }
        float[][] qs = new float[16][dim];
        for (float[] q : qs) for (int f = 0; f < dim; f++) q[f] = (float) rnd.nextGaussian() * 0.5f;
        java.util.BitSet seen = new java.util.BitSet(items);
        for (int k = 0; k < 50; k++) seen.set(rnd.nextInt(items));
        IntPredicate exclude = seen::get;
        CandidateRetriever[] variants = {new BruteForceRetriever(v, bias, active, dim),
                new SimdScanRetriever(v, bias, active, dim, 0), new SimdScanRetriever(v, bias, active, dim)};
        TopK heap = new TopK(N);
        int[] out = new int[N];
        float[] scores = new float[N];
        int reps = Math.max(3, 10_000_000 / items);
        double[][] us = new double[variants.length][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int x = 0; x < variants.length; x++) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                for (int k = 0; k < reps; k++) variants[x].topK(qs[k & 15], N, exclude, heap, out, scores);
                us[x][r] = (THREADS.getCurrentThreadCpuTime() - t0) / 1e3 / reps;
            }
        }
        double a = Median.of(us[0]), b = Median.of(us[1]), c = Median.of(us[2]);
        System.out.printf("%,10d %4d %14.1f %16.1f %16.1f %8.1fx%n", items, dim, a, b, c, a / c);
    }

    static void mfFeature(int ratingDim) {
        int items = 9_742;
        SplittableRandom rnd = new SplittableRandom(7);
        float[] q = new float[items * ratingDim], bi = new float[items], p = new float[ratingDim], out = new float[N];
        for (int k = 0; k < q.length; k++) q[k] = (float) rnd.nextGaussian() * 0.1f;
        for (int i = 0; i < items; i++) bi[i] = (float) rnd.nextGaussian() * 0.3f;
        for (int f = 0; f < ratingDim; f++) p[f] = (float) rnd.nextGaussian() * 0.1f;
        int[] rows = new int[N];
        for (int r = 0; r < N; r++) rows[r] = rnd.nextInt(items);
        int reps = 20_000;
        double[] before = new double[ROUNDS], after = new double[ROUNDS];
        float sink = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int k = 0; k < reps; k++) {
                for (int c = 0; c < N; c++) out[c] = BiasedMf.predict(3.5f, 0.1f, bi[rows[c]], p, 0, q, rows[c] * ratingDim, ratingDim);
                sink += out[k % N];
            }
            long t1 = THREADS.getCurrentThreadCpuTime();
            for (int k = 0; k < reps; k++) {
                FloatKernels.gatherScores(p, q, bi, rows, N, ratingDim, out);
                sink += out[k % N];
            }
            long t2 = THREADS.getCurrentThreadCpuTime();
            before[r] = (t1 - t0) / 1e3 / reps;
            after[r] = (t2 - t1) / 1e3 / reps;
        }
        double a = Median.of(before), b = Median.of(after);
        System.out.printf("MF feature, 200 candidates, rating dim %d: per-row scalar dot %.1f µs, gathered SIMD %.1f µs, %.1fx (%s)%n",
                ratingDim, a, b, a / b, sink == 42 ? "" : "ok");
    }
}
