package io.streamrec.core.retrieval;

import io.streamrec.core.simd.FloatKernels;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The order a scan stores its items in, and an upper bound on every score in each block of it, so a query can skip
 * whole blocks. Items are stored by falling bias (active ones first, free slots last in index order), so a block
 * holds items of similar bias; the bound of block b for query q is its largest bias + |q|·its largest vector norm
 * (Cauchy-Schwarz: bias_i + q·v_i ≤ bias_i + |q|·|v_i|). A scan scores the first blocks (the highest biases), takes
 * the n-th best allowed score among them as a value the n-th best of the whole catalogue cannot be under, and skips
 * every later block whose bound is below it: exact, whatever the data. How much it skips depends on how far the
 * biases outweigh the vector part of the scores: trained ml-latest-small users about half the blocks, the load
 * test's generated catalogue nearly all (docs/benchmarks.md, seventh pass). Bounds are only ever raised (an
 * {@link #raise update} widens its block's), so they stay valid under online updates.
 */
final class BlockBounds {
    /**
     * Off: no block is skipped (the scans as before bounds, for A/B measurements): JVM property
     * {@code streamrec.scan.bounds=false}, read when a retriever is built.
     */
    private final boolean enabled = !"false".equals(System.getProperty("streamrec.scan.bounds"));

    final int[] itemOf;
    final int[] slotOf;
    /**
     * In cells: the slots of the {@link #HEAD_ITEMS} highest-bias items at build, by falling bias (the head a cut is
     * taken from, since the first slots are then one cell); empty without cells.
     */
    final int[] headSlots;
    static final int HEAD_ITEMS = 4096;
    private final float[] blockBias;
    private final float[] blockNorm;
    private final int blockSize;
    private final int dim;
    /** Per-thread buffers of {@link #cut}: the allowed scores (grown to the largest head asked for) and the buckets. */
    private final ThreadLocal<CutScratch> scratch = ThreadLocal.withInitial(CutScratch::new);

    /** The order for {@code bias} and {@code active}; bounds start empty (−∞) and are set by {@link #raise}. */
    BlockBounds(float[] bias, boolean[] active, int size, int blockSize, int dim) {
        this(bias, active, size, blockSize, dim, null, 0);
    }

    /**
     * The order for {@code bias} and {@code active} within cells: items by {@code cellOf} (0..cells, an item in no
     * cell last), then by falling bias ({@link ItemCells}); null for one cell.
     */
    BlockBounds(float[] bias, boolean[] active, int size, int blockSize, int dim, int[] cellOf, int cells) {
        this.blockSize = blockSize;
        this.dim = dim;
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            // TopSelect's key orders by score, then lower index first
            keys[i] = TopSelect.key(i, active[i] ? bias[i] : Float.NEGATIVE_INFINITY);
        }
        Arrays.sort(keys);
        itemOf = new int[size];
        slotOf = new int[size];
        for (int s = 0; s < size; s++) itemOf[s] = TopSelect.item(keys[size - 1 - s]);
        int[] head = cellOf == null ? new int[0] : Arrays.copyOf(itemOf, Math.min(size, HEAD_ITEMS));
        if (cellOf != null) byCell(cellOf, cells);
        for (int s = 0; s < size; s++) slotOf[itemOf[s]] = s;
        headSlots = head;
        for (int r = 0; r < head.length; r++) head[r] = slotOf[head[r]];
        int blocks = (size + blockSize - 1) / blockSize;
        blockBias = new float[blocks];
        blockNorm = new float[blocks];
        Arrays.fill(blockBias, Float.NEGATIVE_INFINITY);
    }

    /** Reorders {@link #itemOf} by cell, keeping the order within each (a stable counting sort). */
    private void byCell(int[] cellOf, int cells) {
        int[] start = new int[cells + 2];
        for (int item : itemOf) start[cellOf[item] + 1]++;
        for (int c = 0; c <= cells; c++) start[c + 1] += start[c];
        int[] sorted = new int[itemOf.length];
        for (int item : itemOf) sorted[start[cellOf[item]]++] = item;
        System.arraycopy(sorted, 0, itemOf, 0, sorted.length);
    }

    /** Row-major {@code vectors} by item, copied into slot order. */
    float[] rowsBySlot(float[] vectors) {
        float[] rows = new float[itemOf.length * dim];
        for (int s = 0; s < itemOf.length; s++) System.arraycopy(vectors, itemOf[s] * dim, rows, s * dim, dim);
        return rows;
    }

    /** Widens slot s's block bound to cover this row and bias. */
    void raise(int slot, float[] row, int offset, float bias) {
        int b = slot / blockSize;
        float norm = norm(row, offset, dim);
        blockBias[b] = Math.max(blockBias[b], bias);
        blockNorm[b] = Math.max(blockNorm[b], norm);
    }

    /** How many blocks to score before the cut: enough for about 2n items. */
    int headBlocks(int n, int blocks) {
        return enabled ? (int) Math.min(blocks, (2L * n + blockSize - 1) / blockSize) : blocks;
    }

    /** The length of {@code v[offset..offset+dim)}: a query's, or a row's for its block's bound. */
    static float norm(float[] v, int offset, int dim) {
        return (float) Math.sqrt(FloatKernels.dot(v, offset, v, offset, dim));
    }

    /** Whether no item of block b can score {@code cut} or more for a query of norm {@code qNorm}. */
    boolean below(int b, float qNorm, float cut) {
        float vectorPart = qNorm * blockNorm[b];
        // the margin covers the rounding of the bound and of the scores (fused multiply-adds in any order)
        return blockBias[b] + vectorPart + 1e-4f * (Math.abs(blockBias[b]) + vectorPart) < cut;
    }

    /**
     * A value at most the n-th best allowed score of the whole catalogue: the n-th best allowed score among slots
     * 0..count (their exact scores in {@code scores}, by slot), or less; −∞ when they hold fewer than n allowed items.
     */
    float cut(float[] scores, int count, boolean[] active, IntPredicate exclude, int n) {
        return cut(scores, null, count, active, exclude, n);
    }

    /** The same for the slots {@code slots[0..count)} (their exact scores in {@code scores}, in that order); null: 0..count. */
    float cut(float[] scores, int[] slots, int count, boolean[] active, IntPredicate exclude, int n) {
        CutScratch sc = scratch.get();
        if (sc.allowed.length < count) sc.allowed = new float[count];
        float[] allowed = sc.allowed;
        int k = 0;
        for (int r = 0; r < count; r++) {
            int s = slots == null ? r : slots[r];
            if (active[s] && !exclude.test(itemOf[s])) allowed[k++] = scores[r];
        }
        return k < n ? Float.NEGATIVE_INFINITY : TopSelect.atMostNthLargest(allowed, k, n, sc.buckets);
    }

    private static final class CutScratch {
        float[] allowed = new float[0];
        final int[] buckets = new int[TopSelect.BUCKETS];
    }
}
