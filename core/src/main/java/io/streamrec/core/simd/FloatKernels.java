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
        if (SIMD) SimdKernels.blockScores(q, m, bias, from, to, dim, out);
        else scalarBlockScores(q, m, bias, from, to, dim, out);
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

    static void scalarBlockScores(float[] q, float[] m, float[] bias, int from, int to, int dim, float[] out) {
        for (int i = from; i < to; i++) out[i - from] = (bias == null ? 0f : bias[i]) + scalarDot(q, 0, m, i * dim, dim);
    }
}
