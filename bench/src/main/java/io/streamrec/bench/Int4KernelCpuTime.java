package io.streamrec.bench;

import io.streamrec.core.simd.FloatKernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * Whether the 4-bit screen's block kernel ({@link FloatKernels#int4BlockScores}) waits on memory or on its
 * instructions: thread CPU ns per block of {@link FloatKernels#SHORT_LANES} items at d 32, over codes that fit the
 * L2 cache (64k items, 1 MB) and over 1M items (16 MB, read from memory or L3), every block scored (no cut). Equal
 * figures mean the kernel is compute-bound. Median of 11 rounds. Each size is measured one block per call (the
 * kernel for a block whose neighbour the bounds skip) and two neighbouring blocks per call
 * ({@link FloatKernels#int4BlockPairScores}, what a scan uses where both are screened), rounds alternating.
 * <pre>java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar io.streamrec.bench.Int4KernelCpuTime</pre>
 */
public final class Int4KernelCpuTime {
    private static final int DIM = 32, PAIRS = DIM / 2, ROUNDS = 11;

    private Int4KernelCpuTime() {}

    public static void main(String[] args) {
        System.out.printf("SIMD %s, %d items per block, d %d%n", FloatKernels.SIMD, FloatKernels.SHORT_LANES, DIM);
        nsPerBlock(64_000); // JIT warm-up of both forms, not printed (one round left the first row at ~1,700 ns)
        nsPerBlock(64_000);
        for (int items : new int[] {64_000, 1_000_000, 64_000, 1_000_000}) {
            double[] ns = nsPerBlock(items);
            System.out.printf("%,10d items: %.1f ns per block one block per call, %.1f two per call (median CPU of %d full passes)%n",
                    items, ns[0], ns[1], ROUNDS);
        }
    }

    /** CPU ns per block, one block per call and two per call. */
    static double[] nsPerBlock(int items) {
        int w = FloatKernels.SHORT_LANES, blocks = items / w;
        SplittableRandom rnd = new SplittableRandom(1);
        byte[] packed = new byte[blocks * PAIRS * w];
        for (int i = 0; i < packed.length; i++) packed[i] = FloatKernels.int4Pair(rnd.nextInt(15) - 7, rnd.nextInt(15) - 7);
        float[] bias = new float[blocks * w], scale = new float[blocks * w];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) rnd.nextGaussian();
            scale[i] = 0.05f;
        }
        short[] q = new short[DIM], weights = new short[DIM], offsets = new short[1];
        for (int f = 0; f < DIM; f++) q[f] = (short) (rnd.nextInt(255) - 127);
        FloatKernels.int4Weights(q, PAIRS, weights, offsets);
        float[] out = new float[2 * w], maxOut = new float[2];
        short[] sums = new short[2 * w];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] single = new double[ROUNDS], pairs = new double[ROUNDS];
        float sink = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int b = 0; b < blocks; b++) {
                sink += FloatKernels.int4BlockScores(weights, offsets, 0.01f, packed, bias, scale, b, PAIRS, Float.NEGATIVE_INFINITY, out, 0);
            }
            long t1 = threads.getCurrentThreadCpuTime();
            for (int b = 0; b + 1 < blocks; b += 2) {
                sink += FloatKernels.int4BlockPairScores(weights, offsets, 0.01f, packed, bias, scale, b, PAIRS, Float.NEGATIVE_INFINITY,
                        sums, out, maxOut);
            }
            long t2 = threads.getCurrentThreadCpuTime();
            single[r] = (t1 - t0) / (double) blocks;
            pairs[r] = (t2 - t1) / (double) (blocks & ~1);
        }
        if (sink == 42) System.out.print(""); // keeps the scores alive
        return new double[] {Median.of(single), Median.of(pairs)};
    }
}
