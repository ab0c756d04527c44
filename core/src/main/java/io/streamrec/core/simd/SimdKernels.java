package io.streamrec.core.simd;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API versions of {@link FloatKernels}: the only class that touches
 * {@code jdk.incubator.vector}, loaded only when {@link FloatKernels#SIMD} is true. Small
 * hand-written loops rather than a library because they are the innermost loop of every event
 * (retrieval, MF feature) and no maintained Java library offers these shapes over flat arrays.
 * Four rows per pass keep four independent FMA chains in flight; a dimension that is not a
 * multiple of the lane count finishes with a scalar tail.
 */
final class SimdKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Bytes with one lane per float lane: 16 int8 codes (128 bits) widen to one 512-bit float register. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    /** 16-bit lanes of the preferred shape: twice as many as float lanes (32 with AVX-512). */
    private static final VectorSpecies<Short> SH = ShortVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes with one lane per 16-bit lane: 32 packed code pairs widen to one 512-bit short register. */
    private static final VectorSpecies<Byte> B2 = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 16));
    /**
     * How the 4-bit kernels shift out the high nibble. AVX-512 (16 float lanes; the per-lane 16-bit shift is
     * AVX-512BW) can shift by a vector of 4s, which saves the µop that moves a scalar count into a register (JDK 17),
     * one that competes for the Xeon's one shuffle port. AVX2 has no per-lane 16-bit shift: C2 widens to 32 bits,
     * shifts and packs back, and the kernel ran ~2.7 times slower than with the scalar count (84–93 against 29–39 ns
     * per block of 16 on a Zen 3 EPYC, docs/benchmarks.md fourteenth pass). A constant: C2 folds the branch away.
     */
    private static final boolean SHIFT_BY_VECTOR = L >= 16;

    private SimdKernels() {}

    static int lanes() {
        return L;
    }

    static void transposedBlockScores(float[] q, float[] t, float[] paddedBias, int block, int dim, float[] out) {
        transposedBlock(q, t, paddedBias, block, dim).intoArray(out, 0);
    }

    /**
     * One block's scores: bias + q·row for its {@link #L} rows. Eight accumulators: an FMA takes 4 cycles and two
     * can start per cycle (AVX-512 on Xeon and Zen 4), so eight independent chains can keep both units busy where
     * two leave the loop waiting on latency. Measured ({@code FloatKernelCpuTime}, 10k × 32, a noisy 2.1-GHz Xeon):
     * the same best case as two chains (~46 ns per block), a lower median (64 against 78 ns); docs/benchmarks.md,
     * tenth pass. The sum order differs from the scalar scan's by that split only.
     */
    private static FloatVector transposedBlock(float[] q, float[] t, float[] paddedBias, int block, int dim) {
        int base = block * dim * L;
        FloatVector a0 = FloatVector.fromArray(S, paddedBias, block * L);
        FloatVector a1 = FloatVector.zero(S), a2 = a1, a3 = a1, a4 = a1, a5 = a1, a6 = a1, a7 = a1;
        int f = 0;
        for (; f + 8 <= dim; f += 8) {
            int o = base + f * L;
            a0 = FloatVector.fromArray(S, t, o).fma(FloatVector.broadcast(S, q[f]), a0);
            a1 = FloatVector.fromArray(S, t, o + L).fma(FloatVector.broadcast(S, q[f + 1]), a1);
            a2 = FloatVector.fromArray(S, t, o + 2 * L).fma(FloatVector.broadcast(S, q[f + 2]), a2);
            a3 = FloatVector.fromArray(S, t, o + 3 * L).fma(FloatVector.broadcast(S, q[f + 3]), a3);
            a4 = FloatVector.fromArray(S, t, o + 4 * L).fma(FloatVector.broadcast(S, q[f + 4]), a4);
            a5 = FloatVector.fromArray(S, t, o + 5 * L).fma(FloatVector.broadcast(S, q[f + 5]), a5);
            a6 = FloatVector.fromArray(S, t, o + 6 * L).fma(FloatVector.broadcast(S, q[f + 6]), a6);
            a7 = FloatVector.fromArray(S, t, o + 7 * L).fma(FloatVector.broadcast(S, q[f + 7]), a7);
        }
        for (; f < dim; f++) a0 = FloatVector.fromArray(S, t, base + f * L).fma(FloatVector.broadcast(S, q[f]), a0);
        return a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7)));
    }

    static float transposedBlockScoresMax(float[] q, float[] t, float[] paddedBias, int block, int dim, float[] out,
                                          int outOff) {
        FloatVector scores = transposedBlock(q, t, paddedBias, block, dim);
        scores.intoArray(out, outOff);
        return scores.reduceLanes(VectorOperators.MAX);
    }

    static float int8BlockScores(float[] q, byte[] codes, float[] paddedBias, float[] paddedScale, int block, int dim,
                                 float[] out, int outOff) {
        int base = block * dim * L;
        FloatVector acc = FloatVector.zero(S), acc2 = acc;
        int f = 0;
        for (; f + 2 <= dim; f += 2) {
            FloatVector c0 = (FloatVector) ByteVector.fromArray(B, codes, base + f * L).convertShape(VectorOperators.B2F, S, 0);
            FloatVector c1 = (FloatVector) ByteVector.fromArray(B, codes, base + (f + 1) * L).convertShape(VectorOperators.B2F, S, 0);
            acc = c0.fma(FloatVector.broadcast(S, q[f]), acc);
            acc2 = c1.fma(FloatVector.broadcast(S, q[f + 1]), acc2);
        }
        if (f < dim) {
            FloatVector c0 = (FloatVector) ByteVector.fromArray(B, codes, base + f * L).convertShape(VectorOperators.B2F, S, 0);
            acc = c0.fma(FloatVector.broadcast(S, q[f]), acc);
        }
        FloatVector approx = acc.add(acc2).fma(FloatVector.fromArray(S, paddedScale, block * L),
                FloatVector.fromArray(S, paddedBias, block * L));
        if (out != null) approx.intoArray(out, outOff);
        return approx.reduceLanes(VectorOperators.MAX);
    }

    /**
     * The 4-bit screen's kernel: per pair of dimensions one byte load widened to 16-bit lanes, one shift for the
     * high nibble (the low one needs none, see {@link FloatKernels#int4Weights}), two 16-bit multiplies and adds (integer arithmetic: ~40% less CPU than widening int8 codes
     * to floats, docs/benchmarks.md); every {@link FloatKernels#INT4_PAIRS_PER_CHUNK} pairs the 16-bit sums are
     * widened into 32-bit ones, and the total is scaled to floats once per block.
     */
    static float int4BlockScores(short[] weights, short[] chunkOffset, float qScale, byte[] packed, float[] paddedBias,
                                 float[] paddedScale, int block, int pairs, float floor, float[] out, int outOff) {
        int w = 2 * L, base = block * pairs * w, row0 = block * w;
        FloatVector f0, f1;
        if (pairs <= FloatKernels.INT4_PAIRS_PER_CHUNK) { // d ≤ 32: the 16-bit sums are the totals
            ShortVector acc = int4Chunk(weights, chunkOffset[0], packed, base, 0, pairs, w);
            f0 = (FloatVector) acc.convertShape(VectorOperators.S2F, S, 0);
            f1 = (FloatVector) acc.convertShape(VectorOperators.S2F, S, 1);
        } else {
            IntVector sum0 = IntVector.zero(I), sum1 = sum0;
            for (int p0 = 0, k = 0; p0 < pairs; p0 += FloatKernels.INT4_PAIRS_PER_CHUNK, k++) {
                ShortVector acc = int4Chunk(weights, chunkOffset[k], packed, base, p0, Math.min(pairs, p0 + FloatKernels.INT4_PAIRS_PER_CHUNK), w);
                sum0 = sum0.add((IntVector) acc.convertShape(VectorOperators.S2I, I, 0));
                sum1 = sum1.add((IntVector) acc.convertShape(VectorOperators.S2I, I, 1));
            }
            f0 = (FloatVector) sum0.convertShape(VectorOperators.I2F, S, 0);
            f1 = (FloatVector) sum1.convertShape(VectorOperators.I2F, S, 0);
        }
        // the finish written here: a helper of ours taking vectors would box them whenever C2 does not inline it (see below)
        FloatVector qs = FloatVector.broadcast(S, qScale);
        FloatVector a0 = f0.mul(FloatVector.fromArray(S, paddedScale, row0)).fma(qs, FloatVector.fromArray(S, paddedBias, row0));
        FloatVector a1 = f1.mul(FloatVector.fromArray(S, paddedScale, row0 + L)).fma(qs, FloatVector.fromArray(S, paddedBias, row0 + L));
        if (out != null) {
            a0.intoArray(out, outOff);
            a1.intoArray(out, outOff + L);
        }
        FloatVector max = a0.max(a1);
        // a compare and a mask test instead of the cross-lane reduction, which most blocks of a scan do not need
        if (!max.compare(VectorOperators.GE, floor).anyTrue()) return Float.NEGATIVE_INFINITY;
        return max.reduceLanes(VectorOperators.MAX);
    }

    /**
     * {@link #int4BlockScores} of blocks b and b + 1 at once, for d ≤ 32: each pair's two weights are broadcast once
     * for both. On a 2.1-GHz Xeon the broadcasts, the widening of the codes and the shift all compete for one
     * shuffle port, so sharing them cut the kernel's CPU by ~20% (probe, docs/benchmarks.md thirteenth pass); four
     * blocks at once cost 2.5 times as much (likely out of vector registers). The shift's form: {@link #SHIFT_BY_VECTOR}.
     */
    static float int4BlockPairScores(short[] w, short offset, float qScale, byte[] packed, float[] paddedBias,
                                     float[] paddedScale, int block, int pairs, float floor, short[] sums, float[] out,
                                     float[] maxOut) {
        int width = 2 * L, base = block * pairs * width, base2 = base + pairs * width, row0 = block * width;
        ShortVector acc = ShortVector.broadcast(SH, (short) -offset), acc2 = acc;
        ShortVector four = ShortVector.broadcast(SH, (short) 4);
        for (int p = 0; p < pairs; p++) {
            ShortVector w0 = ShortVector.broadcast(SH, w[2 * p]), w1 = ShortVector.broadcast(SH, w[2 * p + 1]);
            ShortVector s = (ShortVector) ByteVector.fromArray(B2, packed, base + p * width).convertShape(VectorOperators.B2S, SH, 0);
            ShortVector t = (ShortVector) ByteVector.fromArray(B2, packed, base2 + p * width).convertShape(VectorOperators.B2S, SH, 0);
            ShortVector sHigh = SHIFT_BY_VECTOR ? s.lanewise(VectorOperators.ASHR, four) : s.lanewise(VectorOperators.ASHR, 4);
            ShortVector tHigh = SHIFT_BY_VECTOR ? t.lanewise(VectorOperators.ASHR, four) : t.lanewise(VectorOperators.ASHR, 4);
            acc = acc.add(s.mul(w0)).add(sHigh.mul(w1));
            acc2 = acc2.add(t.mul(w0)).add(tHigh.mul(w1));
        }
        // The finish is written out here rather than called: in a method this large C2 stops inlining calls of our own
        // (NodeCountInliningCutoff; the Vector API's own methods are always inlined), and a vector handed to a call that
        // is not inlined is boxed on the heap. Through memory so that one copy of the finish serves both blocks.
        acc.intoArray(sums, 0);
        acc2.intoArray(sums, width);
        FloatVector qs = FloatVector.broadcast(S, qScale);
        float best = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < 2; k++) {
            ShortVector total = ShortVector.fromArray(SH, sums, k * width);
            int row = row0 + k * width;
            FloatVector a0 = ((FloatVector) total.convertShape(VectorOperators.S2F, S, 0)).mul(FloatVector.fromArray(S, paddedScale, row))
                    .fma(qs, FloatVector.fromArray(S, paddedBias, row));
            FloatVector a1 = ((FloatVector) total.convertShape(VectorOperators.S2F, S, 1)).mul(FloatVector.fromArray(S, paddedScale, row + L))
                    .fma(qs, FloatVector.fromArray(S, paddedBias, row + L));
            a0.intoArray(out, k * width);
            a1.intoArray(out, k * width + L);
            FloatVector max = a0.max(a1);
            float m = max.compare(VectorOperators.GE, floor).anyTrue() ? max.reduceLanes(VectorOperators.MAX) : Float.NEGATIVE_INFINITY;
            maxOut[k] = m;
            best = Math.max(best, m);
        }
        return best;
    }

    /** The 16-bit sums of pairs [from, to) of one block (at most {@link FloatKernels#INT4_PAIRS_PER_CHUNK}), offset taken off. */
    private static ShortVector int4Chunk(short[] w, short offset, byte[] packed, int base, int from, int to, int width) {
        ShortVector acc = ShortVector.broadcast(SH, (short) -offset);
        ShortVector four = ShortVector.broadcast(SH, (short) 4);
        for (int p = from; p < to; p++) {
            ShortVector s = (ShortVector) ByteVector.fromArray(B2, packed, base + p * width).convertShape(VectorOperators.B2S, SH, 0);
            ShortVector high = SHIFT_BY_VECTOR ? s.lanewise(VectorOperators.ASHR, four) : s.lanewise(VectorOperators.ASHR, 4);
            acc = acc.add(s.mul(w[2 * p])).add(high.mul(w[2 * p + 1]));
        }
        return acc;
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        int bound = S.loopBound(dim);
        FloatVector acc = FloatVector.zero(S);
        int f = 0;
        for (; f < bound; f += L) {
            acc = FloatVector.fromArray(S, a, aOff + f).fma(FloatVector.fromArray(S, b, bOff + f), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; f < dim; f++) s += a[aOff + f] * b[bOff + f];
        return s;
    }

    /** out[i - from] = bias[i] + q[qOff..] · m[i] for rows from..to-1 (bias may be null). */
    static void blockScores(float[] q, int qOff, float[] m, float[] bias, int from, int to, int dim, float[] out) {
        int i = from;
        for (; i + 4 <= to; i += 4) {
            fourDots(q, qOff, m, i * dim, (i + 1) * dim, (i + 2) * dim, (i + 3) * dim, dim, out, i - from);
            if (bias != null) {
                for (int j = 0; j < 4; j++) out[i - from + j] += bias[i + j];
            }
        }
        for (; i < to; i++) out[i - from] = (bias == null ? 0f : bias[i]) + dot(q, qOff, m, i * dim, dim);
    }

    /** out[r] = bias[rows[r]] + q · m[rows[r]] for r in 0..count-1 (bias may be null). */
    static void gatherScores(float[] q, float[] m, float[] bias, int[] rows, int count, int dim, float[] out) {
        int r = 0;
        for (; r + 4 <= count; r += 4) {
            fourDots(q, 0, m, rows[r] * dim, rows[r + 1] * dim, rows[r + 2] * dim, rows[r + 3] * dim, dim, out, r);
            if (bias != null) {
                for (int j = 0; j < 4; j++) out[r + j] += bias[rows[r + j]];
            }
        }
        for (; r < count; r++) {
            int row = rows[r];
            out[r] = (bias == null ? 0f : bias[row]) + dot(q, 0, m, row * dim, dim);
        }
    }

    /** q · m at four row offsets into out[at..at+3]: the shared inner loop of both scorers above. */
    private static void fourDots(float[] q, int qOff, float[] m, int o0, int o1, int o2, int o3, int dim, float[] out, int at) {
        int bound = S.loopBound(dim);
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int f = 0;
        for (; f < bound; f += L) {
            FloatVector qv = FloatVector.fromArray(S, q, qOff + f);
            a0 = FloatVector.fromArray(S, m, o0 + f).fma(qv, a0);
            a1 = FloatVector.fromArray(S, m, o1 + f).fma(qv, a1);
            a2 = FloatVector.fromArray(S, m, o2 + f).fma(qv, a2);
            a3 = FloatVector.fromArray(S, m, o3 + f).fma(qv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; f < dim; f++) {
            float qf = q[qOff + f];
            s0 += qf * m[o0 + f];
            s1 += qf * m[o1 + f];
            s2 += qf * m[o2 + f];
            s3 += qf * m[o3 + f];
        }
        out[at] = s0;
        out[at + 1] = s1;
        out[at + 2] = s2;
        out[at + 3] = s3;
    }
}
