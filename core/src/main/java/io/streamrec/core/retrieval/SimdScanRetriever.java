package io.streamrec.core.retrieval;

import io.streamrec.core.simd.FloatKernels;

import java.util.function.IntPredicate;

/**
 * Exact retrieval like {@link BruteForceRetriever} (score = bias_i + query·v_i over every item) on
 * the JDK Vector API. It keeps its own copy of the item matrix in blocks of
 * {@link FloatKernels#LANES} items laid out dimension-major, so one FMA scores dimension f of 16
 * items (AVX-512) at once and no horizontal sum is needed: about 4× less CPU than the scalar
 * four-items-per-pass loop (see docs/benchmarks.md). The copy costs the matrix's size again,
 * which is why this is the retriever for small and medium catalogues
 * ({@link Retrievers#forCatalogue}).
 *
 * <p>Scores differ from the scalar scan's by rounding only (fused multiply-add, eight partial sums),
 * so results are equal up to float ties. Without {@code --add-modules jdk.incubator.vector} the
 * same layout is scored by a scalar loop. Queries from any number of threads; {@link #update}
 * from one writer (a query racing it may see that one item half-written).
 */
public final class SimdScanRetriever implements UpdatableRetriever {
    private static final int L = FloatKernels.LANES;
    /** Rows, biases and active flags by slot: items in order of falling bias ({@link BlockBounds}). */
    private final float[] transposed;
    private final float[] paddedBias;
    private final boolean[] active;
    /** The storage order (falling bias) and each block's score bound. */
    private final BlockBounds bounds;
    private final int dim;
    private final int size;
    private final int blocks;
    /**
     * Blocks up to the last active item: a model's free slots for movies added later (inactive, at the end of the
     * matrix) are not scored until an {@link #update} activates one.
     */
    private volatile int usedBlocks;
    private final ThreadLocal<float[]> blockScores = ThreadLocal.withInitial(() -> new float[L]);
    private final ThreadLocal<TopSelect> selects = ThreadLocal.withInitial(TopSelect::new);
    private final ThreadLocal<ScanScratch> scanScratch;
    /** Kept for the constructor's A/B switch: any value but 0 serves with the two-pass selection. */
    public static final int SELECT_SHARE = 16;
    private final int selectShare;

    /** Copies the vectors and biases; {@code active} is copied too (later changes come through {@link #update}). */
    public SimdScanRetriever(float[] vectors, float[] bias, boolean[] active, int dim) {
        this(vectors, bias, active, dim, SELECT_SHARE);
    }

    /** @param selectShare 0: the bounded heap of before (for A/B measurements); otherwise the two-pass selection */
    public SimdScanRetriever(float[] vectors, float[] bias, boolean[] active, int dim, int selectShare) {
        this.selectShare = selectShare;
        this.size = CandidateRetriever.itemCount(vectors, bias, active, dim);
        this.dim = dim;
        this.blocks = (size + L - 1) / L;
        this.bounds = new BlockBounds(bias, active, size, L, dim);
        float[] rows = bounds.rowsBySlot(vectors);
        this.paddedBias = new float[blocks * L];
        this.active = new boolean[size];
        for (int s = 0; s < size; s++) {
            int i = bounds.itemOf[s];
            paddedBias[s] = bias[i];
            this.active[s] = active[i];
            if (active[i]) bounds.raise(s, rows, s * dim, bias[i]);
        }
        this.transposed = FloatKernels.transpose(rows, size, dim);
        int last = size - 1;
        while (last >= 0 && !this.active[last]) last--;
        this.usedBlocks = (last + L) / L;
        int b = blocks;
        this.scanScratch = ThreadLocal.withInitial(() -> new ScanScratch(b));
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int topK(float[] query, int n, IntPredicate exclude, TopK scratch, int[] itemsOut, float[] scoresOut) {
        if (query.length < dim) throw new IllegalArgumentException("query has " + query.length + " dims, index has " + dim);
        if (selectShare == 0) return topKByHeap(query, n, exclude, scratch, itemsOut, scoresOut);
        return topKBySelection(query, n, exclude, itemsOut, scoresOut);
    }

    /**
     * The scan as served. Pass 1 scores blocks of {@link FloatKernels#LANES} items (one SIMD register each), stores
     * the scores and keeps each block's maximum. It starts with the blocks of highest bias, whose allowed scores give
     * a value the n-th best allowed score cannot be under ({@link BlockBounds#cut}); every later block whose bound (its
     * largest bias + |q|·its largest norm, Cauchy-Schwarz) is below that value holds no item of the list and is not
     * scored. On ml-latest-small's trained vectors the batch users' queries skip about half the blocks (new users',
     * short vectors, more); catalogues where the vectors outweigh the biases skip few and pay one multiply-add per
     * block. When more blocks were scored than n, a value at most the n-th largest block maximum is a threshold t
     * that at least n items reach ({@link TopSelect#atMostNthLargest}); pass 2 collects the allowed items scoring
     * ≥ t (only blocks whose maximum reaches t are looked at) and one linear selection keeps the best n. If fewer
     * than n allowed items reach t (some of those n were seen or inactive), pass 2 runs again with a lower threshold
     * (a deeper block maximum, finally none), so the result is always exact. This replaced a bounded heap fed
     * during the scan, whose sift work on every entry cost more than the scan itself at 10k items and n = 200
     * (docs/benchmarks.md).
     */
    private int topKBySelection(float[] query, int n, IntPredicate exclude, int[] itemsOut, float[] scoresOut) {
        if (n <= 0) return 0;
        ScanScratch sc = scanScratch.get();
        float[] all = sc.scores, maxima = sc.maxima;
        int[] scored = sc.scored;
        int blocks = usedBlocks;
        int head = bounds.headBlocks(n, blocks);
        for (int b = 0; b < head; b++) {
            maxima[b] = FloatKernels.transposedBlockScoresMax(query, transposed, paddedBias, b, dim, all, b * L);
            scored[b] = b;
        }
        int count = head;
        float cut = Float.NEGATIVE_INFINITY;
        if (head < blocks) {
            cut = bounds.cut(all, Math.min(head * L, size), active, exclude, n);
            float qNorm = BlockBounds.norm(query, 0, dim);
            for (int b = head; b < blocks; b++) {
                if (bounds.below(b, qNorm, cut)) continue;
                maxima[count] = FloatKernels.transposedBlockScoresMax(query, transposed, paddedBias, b, dim, all, b * L);
                scored[count++] = b;
            }
        }
        sc.lastScored = count;
        TopSelect select = selects.get();
        // Seen movies sit near the top of a user's scores, so fewer than n allowed items often reach the first
        // threshold. Then it goes down to a deeper block maximum, by twice the shortfall (at least a quarter more,
        // so the rounds stay few whatever is excluded), until n allowed items reach it: still exact, and far less
        // selection work than collecting every item (ml-latest-small's users: 67-85 -> 45 µs per query,
        // SeenExclusionCpuTime). It never goes below the head's cut: at least n allowed items reach that, so it is
        // the last round (when few blocks were scored, collecting every item of them cost a selection over
        // ~1,000 items: TopSelect.select was 16% of the stream threads' Java samples at 8,000 events/s).
        for (long m = n; ; m += Math.max(m / 4, 2L * (n - select.size()))) {
            float threshold = Math.max(cut,
                    count > m ? TopSelect.atMostNthLargest(maxima, count, (int) m, sc.buckets) : Float.NEGATIVE_INFINITY);
            if (collect(all, maxima, scored, count, threshold, exclude, select) >= n || threshold == cut) break;
        }
        return select.drainBest(n, itemsOut, scoresOut);
    }

    /**
     * Puts every allowed item of the {@code count} scored blocks scoring ≥ threshold into {@code select} (emptied
     * first); returns how many.
     */
    private int collect(float[] all, float[] maxima, int[] scored, int count, float threshold, IntPredicate exclude,
                        TopSelect select) {
        select.reset(size);
        for (int k = 0; k < count; k++) {
            if (!(maxima[k] >= threshold)) continue;
            int base = scored[k] * L, end = Math.min(L, size - base);
            for (int lane = 0; lane < end; lane++) {
                int s = base + lane;
                float score = all[s];
                if (score >= threshold && active[s] && !exclude.test(bounds.itemOf[s])) select.add(bounds.itemOf[s], score);
            }
        }
        return select.size();
    }

    /** How many blocks the calling thread's last query scored, of {@link #blocks()} (for tests and measurements). */
    int lastScoredBlocks() {
        return scanScratch.get().lastScored;
    }

    int blocks() {
        return usedBlocks;
    }

    /** Per-thread buffers of the two-pass scan: every item's score, every block's maximum. */
    private static final class ScanScratch {
        final float[] scores;
        final float[] maxima;
        final int[] scored;
        final int[] buckets = new int[TopSelect.BUCKETS];
        int lastScored;

        ScanScratch(int blocks) {
            scores = new float[blocks * L];
            maxima = new float[blocks];
            scored = new int[blocks];
        }
    }

    /** The scan with a bounded heap, as before the buffered selection (kept for A/B measurements: selectShare 0). */
    private int topKByHeap(float[] query, int n, IntPredicate exclude, TopK scratch, int[] itemsOut, float[] scoresOut) {
        scratch.reset(Math.min(n, size));
        float[] s = blockScores.get();
        float threshold = scratch.threshold();
        int blocks = usedBlocks;
        for (int b = 0; b < blocks; b++) {
            FloatKernels.transposedBlockScores(query, transposed, paddedBias, b, dim, s);
            int base = b * L, end = Math.min(L, size - base);
            for (int lane = 0; lane < end; lane++) {
                float score = s[lane];
                int slot = base + lane, i = bounds.itemOf[slot];
                if (score >= threshold && active[slot] && !exclude.test(i)) {
                    scratch.offer(i, score);
                    threshold = scratch.threshold();
                }
            }
        }
        return scratch.drainSorted(itemsOut, scoresOut);
    }

    @Override
    public void update(int item, float[] vector, int offset, float bias) {
        if (item < 0 || item >= size) throw new IllegalArgumentException("item " + item + " outside 0.." + (size - 1));
        int slot = bounds.slotOf[item];
        bounds.raise(slot, vector, offset, bias); // first: a query racing this sees the old row under the new bound
        FloatKernels.setTransposedRow(transposed, dim, slot, vector, offset);
        paddedBias[slot] = bias;
        active[slot] = true;
        if (slot / L >= usedBlocks) usedBlocks = slot / L + 1; // after the row: a query scanning it sees it written
    }
}
