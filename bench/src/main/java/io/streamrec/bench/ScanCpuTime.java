package io.streamrec.bench;

import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.Int4ScreenRetriever;
import io.streamrec.core.retrieval.QuantizedScanRetriever;
import io.streamrec.core.retrieval.SimdScanRetriever;
import io.streamrec.core.retrieval.TopK;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The scans behind {@code Retrievers.forCatalogue} by catalogue size, in thread CPU time (what the other tenants of a
 * shared machine disturb least): the float SIMD scan, the int8-bounded exact scan and the 4-bit screen at each
 * over-fetch, round after round in one JVM, median CPU ms per top-200 query, and the screen's recall@200 against the
 * float scan. Vectors as {@code GeneratedModel}'s (Gaussian, sd 0.1; bias sd 0.1), queries the sum of 20 items.
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.streamrec.bench.ScanCpuTime \
 *     [--dim 32] [--overfetch 2,4] [items ...]</pre>
 */
public final class ScanCpuTime {
    private static final int N = 200, QUERIES = 200, ROUNDS = 5;

    private ScanCpuTime() {}

    public static void main(String[] args) {
        int dim = 32;
        int[] overFetch = {Int4ScreenRetriever.DEFAULT_OVER_FETCH};
        int[] sizes = {100_000, 200_000, 500_000, 1_000_000};
        for (int a = 0; a < args.length; a++) {
            if (args[a].equals("--dim")) dim = Integer.parseInt(args[++a]);
            else if (args[a].equals("--overfetch")) overFetch = Arrays.stream(args[++a].split(",")).mapToInt(Integer::parseInt).toArray();
            else {
                sizes = Arrays.stream(args, a, args.length).mapToInt(Integer::parseInt).toArray();
                break;
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("%10s %4s %10s %12s", "items", "d", "float ms", "int8-exact ms");
        for (int k : overFetch) System.out.printf(" %13s %9s", "int4 k=" + k + " ms", "recall");
        System.out.println();
        for (int items : sizes) {
            SplittableRandom rnd = new SplittableRandom(42);
            float[] v = new float[items * dim], bias = new float[items];
            boolean[] active = new boolean[items];
            for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * 0.1);
            for (int i = 0; i < items; i++) {
                bias[i] = (float) (rnd.nextGaussian() * 0.1);
                active[i] = true;
            }
            float[][] queries = new float[QUERIES][dim];
            for (float[] q : queries) {
                for (int h = 0; h < 20; h++) {
                    int item = rnd.nextInt(items);
                    for (int f = 0; f < dim; f++) q[f] += v[item * dim + f];
                }
            }
            CandidateRetriever[] scans = new CandidateRetriever[2 + overFetch.length];
            scans[0] = new SimdScanRetriever(v, bias, active, dim);
            scans[1] = new QuantizedScanRetriever(v, bias, active, dim);
            for (int k = 0; k < overFetch.length; k++) scans[2 + k] = new Int4ScreenRetriever(v, bias, active, dim, overFetch[k]);
            int[][] truth = new int[QUERIES][];
            int[] items200 = new int[N];
            float[] scores = new float[N];
            TopK scratch = new TopK(N);
            for (int q = 0; q < QUERIES; q++) {
                int n = scans[0].topK(queries[q], N, i -> false, scratch, items200, scores);
                truth[q] = Arrays.copyOf(items200, n);
                Arrays.sort(truth[q]);
            }
            double[][] cpu = new double[scans.length][ROUNDS];
            double[] recall = new double[scans.length];
            for (int r = 0; r < ROUNDS; r++) {
                for (int s = 0; s < scans.length; s++) {
                    long t0 = threads.getCurrentThreadCpuTime();
                    for (float[] q : queries) scans[s].topK(q, N, i -> false, scratch, items200, scores);
                    cpu[s][r] = (threads.getCurrentThreadCpuTime() - t0) / 1e6 / QUERIES;
                }
            }
            for (int s = 2; s < scans.length; s++) {
                for (int q = 0; q < QUERIES; q++) {
                    int n = scans[s].topK(queries[q], N, i -> false, scratch, items200, scores), hits = 0;
                    for (int k = 0; k < n; k++) if (Arrays.binarySearch(truth[q], items200[k]) >= 0) hits++;
                    recall[s] += hits / (double) truth[q].length / QUERIES;
                }
            }
            System.out.printf("%,10d %4d %10.3f %12.3f", items, dim, Median.of(cpu[0]), Median.of(cpu[1]));
            for (int s = 2; s < scans.length; s++) System.out.printf(" %13.3f %9.4f", Median.of(cpu[s]), recall[s]);
            System.out.println();
        }
    }
}
