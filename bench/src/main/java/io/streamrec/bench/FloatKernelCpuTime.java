package io.streamrec.bench;

import io.streamrec.core.simd.FloatKernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * The float scan's block kernel ({@link FloatKernels#transposedBlockScoresMax}) in thread CPU ns per block of
 * {@link FloatKernels#LANES} items: 10k items × d 32 (the headline catalogue, in L2), every block scored, median of
 * 15 rounds of 400 passes, printed three times (the machine's noise shows in their spread). For A/B of the kernel,
 * run it on two builds in turn.
 * <pre>java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar io.streamrec.bench.FloatKernelCpuTime [items] [dim]</pre>
 */
public final class FloatKernelCpuTime {
    private static final int ROUNDS = 15, PASSES = 400;

    private FloatKernelCpuTime() {}

    public static void main(String[] args) {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 10_000, dim = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        System.out.printf("SIMD %s, %d items per block, %,d items, d %d%n", FloatKernels.SIMD, FloatKernels.LANES, items, dim);
        nsPerBlock(items, dim); // JIT warm-up, not printed
        for (int k = 0; k < 3; k++) System.out.printf("%.1f ns per block (median CPU of %d rounds)%n", nsPerBlock(items, dim), ROUNDS);
    }

    static double nsPerBlock(int items, int dim) {
        int lanes = FloatKernels.LANES, blocks = (items + lanes - 1) / lanes;
        SplittableRandom rnd = new SplittableRandom(1);
        float[] rows = new float[items * dim];
        for (int i = 0; i < rows.length; i++) rows[i] = (float) rnd.nextGaussian() * 0.1f;
        float[] t = FloatKernels.transpose(rows, items, dim), bias = new float[blocks * lanes], q = new float[dim];
        float[] out = new float[blocks * lanes];
        for (int i = 0; i < items; i++) bias[i] = (float) rnd.nextGaussian();
        for (int f = 0; f < dim; f++) q[f] = (float) rnd.nextGaussian();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] ns = new double[ROUNDS];
        float sink = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int p = 0; p < PASSES; p++) {
                for (int b = 0; b < blocks; b++) sink += FloatKernels.transposedBlockScoresMax(q, t, bias, b, dim, out, b * lanes);
            }
            ns[r] = (threads.getCurrentThreadCpuTime() - t0) / ((double) blocks * PASSES);
        }
        if (sink == 42) System.out.print(""); // keeps the scores alive
        return Median.of(ns);
    }
}
