package io.streamrec.core.retrieval;

import io.streamrec.core.simd.FloatKernels;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Exact retrieval (the same items and scores as {@link SimdScanRetriever}) that reads a quarter of the bytes: a scan
 * of int8 codes bounds every item's score, and only the items whose bound can reach the top n are scored exactly.
 *
 * <p><b>Why.</b> From ~100k items the float scan is memory-bound (1M × 32 floats are 128 MB per query, ~5.6 ms at
 * ~23 GB/s on the 2-core test machine, docs/benchmarks.md), and the HNSW index reached recall@200 0.78 at 4.4 ms on
 * generated vectors. The codes are 1 byte per value (32 MB at 1M × 32).
 *
 * <p><b>How.</b> Item i is stored as codes c_i = round(v_i / s_i) in [-127, 127] with its own scale
 * s_i = max_f |v_if| / 127, so a value is off by at most s_i/2 and the approximate score
 * a_i = bias_i + s_i·(q·c_i) is off by at most e_i = s_i·‖q‖₁/2 (plus float rounding, covered by a 2% margin and
 * 2⁻²⁰ of the largest |bias|). Pass 1 computes a_i for every item (SIMD: 16 codes widened to floats per FMA) and each block's
 * largest a_i; with the block's largest scale S_b that bounds the block: some item scores at least max a − S_b·‖q‖₁/2,
 * none more than max a + S_b·‖q‖₁/2. The n-th largest of those lower bounds (over groups of blocks when there are
 * many more blocks than n, so that selecting it stays cheap) is a threshold t that at least n items reach for sure;
 * pass 2 takes every allowed item whose own upper bound reaches t (only from blocks whose upper bound does) and scores it exactly from a float copy of its vector, in the order the
 * SIMD scan sums (so the scores are bit-identical to {@link SimdScanRetriever}'s); one selection keeps the best n. If
 * fewer than n allowed items have a lower bound ≥ t (the items that set it are seen or inactive), it retries with a
 * lower threshold and finally with none, so the result is always exact.
 *
 * <p>Memory: the codes (1 byte per value), the float rows (4 bytes per value, read only for the few candidates) and
 * four floats per item. Queries from any number of threads; {@link #update} from one writer (a query racing it may see
 * that one item half-written), as {@link SimdScanRetriever}.
 */
public final class QuantizedScanRetriever implements UpdatableRetriever {
    private static final int L = FloatKernels.LANES;
    /** ‖q‖₁/2 per unit of scale, with a margin for the float rounding of both scores (2·d·127·2⁻²⁴ ≤ 2% up to d = 660). */
    private static final float ERROR_MARGIN = 0.51f;
    /** The rounding of the bias term in both scores, per unit of the largest |bias| (a few float ulps, with room). */
    private static final float ABSOLUTE_MARGIN = 0x1.0p-20f;
    private final byte[] codes;
    private final float[] rows;
    private final float[] paddedBias;
    private final float[] paddedScale;
    /** Each block's largest item scale; only ever raised by {@link #update}, so the bounds built on it stay valid. */
    private final float[] blockScale;
    /** Blocks per group whose bounds are pooled before the threshold is selected (keeps that selection ~8n long). */
    private final int group;
    private final int groups;
    private final boolean[] active;
    private final int dim;
    private final int size;
    private final int blocks;
    /**
     * Blocks up to the last active item: a model's free slots for movies added later (inactive, at the end of the
     * matrix) are not scanned until an {@link #update} activates one (as {@link SimdScanRetriever}).
     */
    private volatile int usedBlocks;
    /** The largest |bias|, for the absolute part of the rounding margin. */
    private volatile float maxAbsBias;
    private final ThreadLocal<Scratch> scratch;
    private final ThreadLocal<TopSelect> selects = ThreadLocal.withInitial(TopSelect::new);

    /** Copies the vectors, biases and active flags (later changes come through {@link #update}). */
    public QuantizedScanRetriever(float[] vectors, float[] bias, boolean[] active, int dim) {
        this.size = CandidateRetriever.itemCount(vectors, bias, active, dim);
        this.dim = dim;
        this.blocks = (size + L - 1) / L;
        this.codes = new byte[blocks * dim * L];
        this.rows = Arrays.copyOf(vectors, size * dim);
        this.paddedBias = new float[blocks * L];
        Arrays.fill(paddedBias, size, paddedBias.length, Float.NEGATIVE_INFINITY); // padding never reaches a threshold
        this.paddedScale = new float[blocks * L];
        this.blockScale = new float[blocks];
        this.active = active.clone();
        float maxBias = 0f;
        for (int i = 0; i < size; i++) {
            encode(i, vectors, i * dim);
            // an inactive item never reaches a threshold (it would only be filtered out after raising one)
            paddedBias[i] = active[i] ? bias[i] : Float.NEGATIVE_INFINITY;
            if (active[i]) maxBias = Math.max(maxBias, Math.abs(bias[i]));
        }
        int last = size - 1;
        while (last >= 0 && !active[last]) last--;
        this.usedBlocks = (last + L) / L;
        this.maxAbsBias = maxBias;
        this.group = Math.max(1, blocks / THRESHOLD_GROUPS);
        this.groups = (blocks + group - 1) / group;
        int b = blocks, g = groups;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(b, g));
    }

    /** Writes item i's codes and scale from {@code src[off..off+dim)}. */
    private void encode(int i, float[] src, int off) {
        float max = 0f;
        for (int f = 0; f < dim; f++) max = Math.max(max, Math.abs(src[off + f]));
        float scale = max / 127f;
        float inverse = scale > 0f ? 1f / scale : 0f;
        int base = (i / L) * dim * L, lane = i % L;
        for (int f = 0; f < dim; f++) {
            codes[base + f * L + lane] = (byte) Math.max(-127, Math.min(127, Math.round(src[off + f] * inverse)));
        }
        // the bound needs |v - s·c| ≤ s/2 for every value: true for round(v/s)·s up to float rounding, which the margin covers
        paddedScale[i] = scale;
        blockScale[i / L] = Math.max(blockScale[i / L], scale);
    }

    /**
     * The threshold is selected over at most about this many groups of blocks: 10× the largest n served (200), so the
     * n-th largest group bound is about as tight as the n-th largest block bound, at a fraction of the selection work
     * (at 1M items, 62,500 blocks).
     */
    private static final int THRESHOLD_GROUPS = 2048;

    @Override
    public int size() {
        return size;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int topK(float[] query, int n, IntPredicate exclude, TopK unused, int[] itemsOut, float[] scoresOut) {
        if (query.length < dim) throw new IllegalArgumentException("query has " + query.length + " dims, index has " + dim);
        if (n <= 0) return 0;
        Scratch sc = scratch.get();
        float l1 = 0f;
        for (int f = 0; f < dim; f++) l1 += Math.abs(query[f]);
        float errorPerScale = ERROR_MARGIN * l1;
        float absoluteError = ABSOLUTE_MARGIN * maxAbsBias;
        int blocks = usedBlocks, groups = (blocks + group - 1) / group;
        for (int b = 0; b < blocks; b++) {
            // pass 1 keeps only the block maxima: storing 1M approximate scores would add 4 MB of writes per query
            sc.blockMax[b] = FloatKernels.int8BlockScores(query, codes, paddedBias, paddedScale, b, dim, null, 0);
        }
        // each group's largest lower bound: an item of the group scores at least that much
        for (int g = 0; g < groups; g++) {
            float lower = Float.NEGATIVE_INFINITY;
            for (int b = g * group, end = Math.min(blocks, b + group); b < end; b++) {
                lower = Math.max(lower, sc.blockMax[b] - (blockScale[b] * errorPerScale + absoluteError));
            }
            sc.lower[g] = lower;
        }
        TopSelect select = selects.get();
        for (int wanted = n; ; wanted = Math.min(groups, wanted * 4)) {
            float threshold = groups > wanted ? TopSelect.nthLargest(sc.lower, groups, wanted, sc.keys) : Float.NEGATIVE_INFINITY;
            int sure = collect(query, sc, blocks, threshold, errorPerScale, absoluteError, exclude, select);
            if (sure >= n || threshold == Float.NEGATIVE_INFINITY) break;
        }
        return select.drainBest(n, itemsOut, scoresOut);
    }

    /**
     * Puts every allowed item whose upper bound reaches {@code threshold} into {@code select} (emptied first) with its
     * exact score; returns how many of them have a lower bound ≥ the threshold (at least that many items score ≥ it).
     */
    private int collect(float[] q, Scratch sc, int blocks, float threshold, float errorPerScale, float absoluteError,
                        IntPredicate exclude, TopSelect select) {
        select.reset(size);
        int sure = 0;
        float[] approx = sc.approx;
        for (int b = 0; b < blocks; b++) {
            if (!(sc.blockMax[b] + blockScale[b] * errorPerScale + absoluteError >= threshold)) continue;
            FloatKernels.int8BlockScores(q, codes, paddedBias, paddedScale, b, dim, approx, 0); // the few blocks again
            int base = b * L, end = Math.min(L, size - base);
            for (int lane = 0; lane < end; lane++) {
                int i = base + lane;
                float error = paddedScale[i] * errorPerScale + absoluteError;
                if (!(approx[lane] + error >= threshold) || !active[i] || exclude.test(i)) continue;
                if (approx[lane] - error >= threshold) sure++;
                select.add(i, exactScore(rows, paddedBias, q, i, dim));
            }
        }
        return sure;
    }

    /**
     * bias_i + q·v_i from row-major {@code rows}, summed exactly as {@link SimdScanRetriever}'s lanes sum it (eight FMA
     * chains, dimension f in chain f mod 8, the bias in the first), so scores match bit for bit.
     */
    static float exactScore(float[] rows, float[] paddedBias, float[] q, int i, int dim) {
        int off = i * dim;
        float a0 = paddedBias[i], a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
        int f = 0;
        for (; f + 8 <= dim; f += 8) {
            int o = off + f;
            a0 = Math.fma(rows[o], q[f], a0);
            a1 = Math.fma(rows[o + 1], q[f + 1], a1);
            a2 = Math.fma(rows[o + 2], q[f + 2], a2);
            a3 = Math.fma(rows[o + 3], q[f + 3], a3);
            a4 = Math.fma(rows[o + 4], q[f + 4], a4);
            a5 = Math.fma(rows[o + 5], q[f + 5], a5);
            a6 = Math.fma(rows[o + 6], q[f + 6], a6);
            a7 = Math.fma(rows[o + 7], q[f + 7], a7);
        }
        for (; f < dim; f++) a0 = Math.fma(rows[off + f], q[f], a0);
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    @Override
    public void update(int item, float[] vector, int offset, float bias) {
        if (item < 0 || item >= size) throw new IllegalArgumentException("item " + item + " outside 0.." + (size - 1));
        System.arraycopy(vector, offset, rows, item * dim, dim);
        encode(item, vector, offset);
        paddedBias[item] = bias;
        if (Math.abs(bias) > maxAbsBias) maxAbsBias = Math.abs(bias);
        active[item] = true;
        if (item / L >= usedBlocks) usedBlocks = item / L + 1; // after the row: a query scanning it sees it written
    }

    /** Per-thread buffers: one block's approximate scores, every block's largest, every group's lower bound, keys. */
    private static final class Scratch {
        final float[] approx;
        final float[] blockMax;
        final float[] lower;
        final long[] keys;

        Scratch(int blocks, int groups) {
            approx = new float[L];
            blockMax = new float[blocks];
            lower = new float[groups];
            keys = new long[groups];
        }
    }
}
