package io.streamrec.core.simd;

/**
 * The float kernels of the hot paths (dot product, block scoring of a row-major matrix), each
 * with one entry point that runs the JDK Vector API version ({@link SimdKernels}) when the JVM was
 * started with {@code --add-modules jdk.incubator.vector} and the scalar loop otherwise, so a JVM
 * without the flag still works (slower) instead of failing with {@code NoClassDefFoundError}.
 * {@link #SIMD} is a static final constant: the JIT folds the branch away, and {@link SimdKernels}
 * is never loaded when it is false.
 *
 * <p>The SIMD results differ from the scalar ones by rounding only (another summation order and
 * fused multiply-add): equal up to float ties, not bit-identical.
 */
public final class FloatKernels {
    /** True when the Vector API module is in the boot layer and not disabled by {@code -Dstreamrec.simd=false}. */
    public static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("streamrec.simd"));

    /**
     * Items per block of a {@link #transpose transposed} matrix: the SIMD lane count when the
     * Vector API is on (16 floats with AVX-512, 8 with AVX2), else 8.
     */
    public static final int LANES = SIMD ? SimdKernels.lanes() : 8;

    /**
     * Items per block of {@link #int4BlockScores 4-bit codes}: one 16-bit lane each, so twice {@link #LANES}
     * (32 with AVX-512).
     */
    public static final int SHORT_LANES = 2 * LANES;

    /**
     * Code pairs (two dimensions each) summed in 16-bit lanes before they are widened to 32 bits: with codes in
     * [-7, 7] and a query quantised to [-127, 127], 16 pairs sum to at most 32·7·127 = 28,448 < 32,767 (the lanes
     * may wrap on the way, the +8 of the low nibbles, and are exact once that offset is taken off).
     */
    public static final int INT4_PAIRS_PER_CHUNK = 16;

    private FloatKernels() {}

    /**
     * Copies row-major {@code rows × dim} matrix {@code m} into blocks of {@link #LANES} rows laid
     * out dimension-major ({@code out[(block·dim + f)·LANES + lane]}), padded with zero rows to a
     * whole block, so one SIMD register holds dimension f of {@code LANES} consecutive rows.
     */
    public static float[] transpose(float[] m, int rows, int dim) {
        int blocks = (rows + LANES - 1) / LANES;
        float[] t = new float[blocks * dim * LANES];
        for (int i = 0; i < rows; i++) setTransposedRow(t, dim, i, m, i * dim);
        return t;
    }

    /** Writes one row into a {@link #transpose transposed} matrix. */
    public static void setTransposedRow(float[] t, int dim, int row, float[] src, int srcOff) {
        int base = (row / LANES) * dim * LANES, lane = row % LANES;
        for (int f = 0; f < dim; f++) t[base + f * LANES + lane] = src[srcOff + f];
    }

    /**
     * Scores of every row of block {@code block} of a {@link #transpose transposed} matrix:
     * {@code out[lane] = bias[row] + q·row}, row = block·LANES + lane. The bias array must cover
     * the padded rows (length a multiple of {@link #LANES}). No horizontal sums: lane = row.
     */
    public static void transposedBlockScores(float[] q, float[] t, float[] paddedBias, int block, int dim, float[] out) {
        if (SIMD) {
            SimdKernels.transposedBlockScores(q, t, paddedBias, block, dim, out);
            return;
        }
        int base = block * dim * LANES, row0 = block * LANES;
        for (int lane = 0; lane < LANES; lane++) out[lane] = paddedBias[row0 + lane];
        for (int f = 0; f < dim; f++) {
            float qf = q[f];
            int o = base + f * LANES;
            for (int lane = 0; lane < LANES; lane++) out[lane] += qf * t[o + lane];
        }
    }

    /**
     * {@link #transposedBlockScores} written to {@code out[outOff .. outOff + LANES)}, returning the
     * largest of them: a top-n scan keeps one maximum per block to pick a threshold before it looks
     * at single items.
     */
    public static float transposedBlockScoresMax(float[] q, float[] t, float[] paddedBias, int block, int dim,
                                                 float[] out, int outOff) {
        if (SIMD) return SimdKernels.transposedBlockScoresMax(q, t, paddedBias, block, dim, out, outOff);
        int base = block * dim * LANES, row0 = block * LANES;
        for (int lane = 0; lane < LANES; lane++) out[outOff + lane] = paddedBias[row0 + lane];
        for (int f = 0; f < dim; f++) {
            float qf = q[f];
            int o = base + f * LANES;
            for (int lane = 0; lane < LANES; lane++) out[outOff + lane] += qf * t[o + lane];
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int lane = 0; lane < LANES; lane++) max = Math.max(max, out[outOff + lane]);
        return max;
    }

    /**
     * Approximate scores of block {@code block} of int8 codes laid out like a {@link #transpose transposed} matrix
     * (one byte per value): {@code out[row] = bias[row] + scale[row] · Σ_f q[f]·codes[row][f]}, row = block·LANES +
     * lane, written to {@code out[outOff + lane]} unless {@code out} is null; returns the largest of them. Bias and
     * scale arrays cover the padded rows.
     */
    public static float int8BlockScores(float[] q, byte[] codes, float[] paddedBias, float[] paddedScale, int block, int dim,
                                        float[] out, int outOff) {
        if (SIMD) return SimdKernels.int8BlockScores(q, codes, paddedBias, paddedScale, block, dim, out, outOff);
        int base = block * dim * LANES, row0 = block * LANES;
        float max = Float.NEGATIVE_INFINITY;
        for (int lane = 0; lane < LANES; lane++) {
            float acc = 0f;
            for (int f = 0; f < dim; f++) acc += q[f] * codes[base + f * LANES + lane];
            float approx = paddedBias[row0 + lane] + paddedScale[row0 + lane] * acc;
            if (out != null) out[outOff + lane] = approx;
            max = Math.max(max, approx);
        }
        return max;
    }

    /**
     * Approximate scores of block {@code block} of 4-bit codes: {@code out[lane] = bias[row] + (scale[row]·qScale) ·
     * Σ_f q[f]·c[row][f]}, row = block·{@link #SHORT_LANES} + lane, written to {@code out[outOff + lane]} unless
     * {@code out} is null; returns the largest of them if it is ≥ {@code floor}, else -∞ (without the cross-lane
     * reduction: most blocks of a scan fall below its cut; {@code floor} -∞ always gives the largest).
     *
     * <p>Codes c are in [-7, 7], two dimensions per byte, laid out pair-major per block
     * ({@code packed[(block·pairs + p)·SHORT_LANES + lane]}, {@link #int4Pair}): byte b = 16·c[2p+1] + (c[2p] + 8).
     * q is the query quantised to integers in [-127, 127], {@code qScale} its scale, given as {@link #int4Weights}:
     * w[2p] = q[2p], w[2p+1] = q[2p+1] − 16·q[2p], so that b·w[2p] + (b >> 4)·w[2p+1] = (c[2p] + 8)·q[2p] +
     * c[2p+1]·q[2p+1] with no mask for the low nibble; {@code chunkOffset} takes the 8·q[2p] back off. The integer
     * sum is exact: 16-bit lanes wrap on the way but the total of up to {@link #INT4_PAIRS_PER_CHUNK} pairs fits
     * them, then 32-bit lanes; so the SIMD and scalar versions return the same floats bit for bit.
     */
    public static float int4BlockScores(short[] weights, short[] chunkOffset, float qScale, byte[] packed, float[] paddedBias,
                                        float[] paddedScale, int block, int pairs, float floor, float[] out, int outOff) {
        if (SIMD) return SimdKernels.int4BlockScores(weights, chunkOffset, qScale, packed, paddedBias, paddedScale, block, pairs, floor, out, outOff);
        int w = SHORT_LANES, base = block * pairs * w, row0 = block * w;
        int offset = 0;
        for (int k = 0; k * INT4_PAIRS_PER_CHUNK < pairs; k++) offset += chunkOffset[k];
        float max = Float.NEGATIVE_INFINITY;
        for (int lane = 0; lane < w; lane++) {
            int acc = -offset;
            for (int p = 0; p < pairs; p++) {
                int b = packed[base + p * w + lane];
                acc += b * weights[2 * p] + (b >> 4) * weights[2 * p + 1];
            }
            float approx = Math.fma((float) acc * paddedScale[row0 + lane], qScale, paddedBias[row0 + lane]);
            if (out != null) out[outOff + lane] = approx;
            max = Math.max(max, approx);
        }
        return max >= floor ? max : Float.NEGATIVE_INFINITY;
    }

    /**
     * {@link #int4BlockScores} of blocks {@code block} and {@code block + 1} at once (d ≤ 32, pairs ≤
     * {@link #INT4_PAIRS_PER_CHUNK}): their scores to {@code out[0..2·SHORT_LANES)}, each block's result (its largest
     * score if ≥ floor, else -∞) to {@code maxOut[0]} and {@code maxOut[1]}; returns the larger. The same floats as
     * two single calls, bit for bit; cheaper because both blocks share each pair's weights. {@code sums} (2 ·
     * SHORT_LANES) is the caller's scratch for the blocks' integer totals.
     */
    public static float int4BlockPairScores(short[] weights, short[] chunkOffset, float qScale, byte[] packed, float[] paddedBias,
                                            float[] paddedScale, int block, int pairs, float floor, short[] sums, float[] out,
                                            float[] maxOut) {
        if (pairs > INT4_PAIRS_PER_CHUNK) throw new IllegalArgumentException("pairs of blocks need d ≤ 32, got " + pairs + " pairs");
        if (SIMD) {
            return SimdKernels.int4BlockPairScores(weights, chunkOffset[0], qScale, packed, paddedBias, paddedScale, block, pairs,
                    floor, sums, out, maxOut);
        }
        maxOut[0] = int4BlockScores(weights, chunkOffset, qScale, packed, paddedBias, paddedScale, block, pairs, floor, out, 0);
        maxOut[1] = int4BlockScores(weights, chunkOffset, qScale, packed, paddedBias, paddedScale, block + 1, pairs, floor, out,
                SHORT_LANES);
        return Math.max(maxOut[0], maxOut[1]);
    }

    /** The byte of a code pair for {@link #int4BlockScores}: {@code lo} (dimension 2p) and {@code hi} in [-7, 7]. */
    public static byte int4Pair(int lo, int hi) {
        return (byte) ((hi << 4) | (lo + 8));
    }

    /**
     * {@link #int4BlockScores}'s {@code weights} and {@code chunkOffset} for the quantised query {@code q} (in
     * [-127, 127], zero past the dimension) of {@code pairs} pairs.
     */
    public static void int4Weights(short[] q, int pairs, short[] weights, short[] chunkOffset) {
        for (int p = 0; p < pairs; p++) {
            weights[2 * p] = q[2 * p];
            weights[2 * p + 1] = (short) (q[2 * p + 1] - 16 * q[2 * p]);
        }
        for (int k = 0; k * INT4_PAIRS_PER_CHUNK < pairs; k++) {
            int sum = 0;
            for (int p = k * INT4_PAIRS_PER_CHUNK, end = Math.min(pairs, p + INT4_PAIRS_PER_CHUNK); p < end; p++) sum += 8 * q[2 * p];
            chunkOffset[k] = (short) sum;
        }
    }

    /** a[aOff..aOff+dim) · b[bOff..bOff+dim). */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        return SIMD ? SimdKernels.dot(a, aOff, b, bOff, dim) : scalarDot(a, aOff, b, bOff, dim);
    }

    /**
     * For each of {@code count} row indexes {@code rows[0..count)} of the row-major matrix
     * {@code m} (width {@code dim}), writes {@code out[r] = bias[rows[r]] + q · m[rows[r]]}
     * (bias may be null for none). One matrix-vector product over scattered rows: the
     * per-candidate MF feature and the re-scoring of ANN candidates.
     */
    public static void gatherScores(float[] q, float[] m, float[] bias, int[] rows, int count, int dim, float[] out) {
        if (SIMD) SimdKernels.gatherScores(q, m, bias, rows, count, dim, out);
        else scalarGatherScores(q, m, bias, rows, count, dim, out);
    }

    /**
     * out[i - from] = bias[i] + q · m[i] for rows from..to-1 of the row-major matrix {@code m}.
     */
    public static void blockScores(float[] q, float[] m, float[] bias, int from, int to, int dim, float[] out) {
        blockScores(q, 0, m, bias, from, to, dim, out);
    }

    /** As {@link #blockScores(float[], float[], float[], int, int, int, float[])} with the query at {@code q[qOff..]}. */
    public static void blockScores(float[] q, int qOff, float[] m, float[] bias, int from, int to, int dim, float[] out) {
        if (SIMD) SimdKernels.blockScores(q, qOff, m, bias, from, to, dim, out);
        else scalarBlockScores(q, qOff, m, bias, from, to, dim, out);
    }

    public static float scalarDot(float[] a, int aOff, float[] b, int bOff, int dim) {
        float s = 0f;
        for (int f = 0; f < dim; f++) s += a[aOff + f] * b[bOff + f];
        return s;
    }

    static void scalarGatherScores(float[] q, float[] m, float[] bias, int[] rows, int count, int dim, float[] out) {
        for (int r = 0; r < count; r++) {
            int row = rows[r];
            out[r] = (bias == null ? 0f : bias[row]) + scalarDot(q, 0, m, row * dim, dim);
        }
    }

    static void scalarBlockScores(float[] q, int qOff, float[] m, float[] bias, int from, int to, int dim, float[] out) {
        for (int i = from; i < to; i++) out[i - from] = (bias == null ? 0f : bias[i]) + scalarDot(q, qOff, m, i * dim, dim);
    }
}
