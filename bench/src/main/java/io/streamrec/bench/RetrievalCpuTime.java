package io.streamrec.bench;

import io.streamrec.core.retrieval.BruteForceRetriever;
import io.streamrec.core.retrieval.TopK;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A/B of the retrieval loop in thread CPU time, for machines shared with other work where JMH's
 * wall-clock scores swing by 2x between runs: CPU time does not count the time this thread
 * waited for a core. Alternates {@link BruteForceRetriever#topK} (four items per pass) with the
 * former one-item loop, round after round, and prints the median CPU µs per query of each.
 * <pre>java -cp bench/target/benchmarks.jar io.streamrec.bench.RetrievalCpuTime [items ...]</pre>
 */
public final class RetrievalCpuTime {
    private static final int DIM = 64, N = 200, ROUNDS = 15;

    private RetrievalCpuTime() {}

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {10_000, 20_000, 100_000, 1_000_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("%10s %18s %18s %8s%n", "items", "one item/pass µs", "four items/pass µs", "speed-up");
        for (int items : sizes) {
            SplittableRandom rnd = new SplittableRandom(42);
            float[] v = new float[items * DIM], bias = new float[items];
            boolean[] active = new boolean[items];
            for (int k = 0; k < v.length; k++) v[k] = (float) (rnd.nextDouble() - 0.5) * 0.2f;
            for (int i = 0; i < items; i++) {
                bias[i] = (float) rnd.nextDouble() * 0.1f;
                active[i] = true;
            }
            float[] q = new float[DIM];
            for (int f = 0; f < DIM; f++) q[f] = (float) (rnd.nextDouble() - 0.5) * 0.2f;
            BruteForceRetriever retriever = new BruteForceRetriever(v, bias, active, DIM);
            TopK heap = new TopK(N);
            int[] outA = new int[N], outB = new int[N];
            float[] scoresA = new float[N], scoresB = new float[N];
            int reps = Math.max(3, 20_000_000 / items);
            double[] one = new double[ROUNDS], four = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int k = 0; k < reps; k++) oneItemPerPass(q, v, bias, active, items, heap, outA, scoresA);
                long t1 = threads.getCurrentThreadCpuTime();
                for (int k = 0; k < reps; k++) retriever.topK(q, N, i -> false, heap, outB, scoresB);
                long t2 = threads.getCurrentThreadCpuTime();
                one[r] = (t1 - t0) / 1e3 / reps;
                four[r] = (t2 - t1) / 1e3 / reps;
            }
            if (!Arrays.equals(outA, outB) || !Arrays.equals(scoresA, scoresB)) {
                throw new AssertionError("the two loops disagree at " + items + " items");
            }
            double a = Median.of(one), b = Median.of(four);
            System.out.printf("%,10d %18.1f %18.1f %7.2fx%n", items, a, b, a / b);
        }
    }

    /** The loop BruteForceRetriever had before: one item, one running sum at a time. */
    static int oneItemPerPass(float[] q, float[] v, float[] bias, boolean[] active, int items, TopK heap, int[] out, float[] scores) {
        heap.reset(Math.min(N, items));
        for (int i = 0, off = 0; i < items; i++, off += DIM) {
            if (!active[i]) continue;
            float s = bias[i];
            for (int f = 0; f < DIM; f++) s += q[f] * v[off + f];
            if (s >= heap.threshold()) heap.offer(i, s);
        }
        return heap.drainSorted(out, scores);
    }
}
