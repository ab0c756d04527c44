package io.streamrec.core.retrieval;

import io.streamrec.core.simd.FloatKernels;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Approximate retrieval for very large catalogues: a scan of 4-bit codes screens every item, and the best
 * {@code n·overFetch} of them by approximate score are re-scored exactly from the float rows. The scores returned
 * are exact (bias_i + q·v_i, equal to {@link SimdScanRetriever}'s up to float rounding: another summation order);
 * an item of the true top n is missed only when its approximate score falls below the screen's cut, so the recall
 * is below 1 but high (the test asserts recall@200 ≥ 0.95 on generated vectors; measured 0.999–1.0 at 1M × 32 on
 * generated and trained-like vectors, docs/benchmarks.md).
 *
 * <p><b>Why.</b> At 1M × 32 the exact int8-bounded scan ({@link QuantizedScanRetriever}) costs ~4 ms of CPU per
 * query, most of it its kernel (32 MB of codes widened to floats); the target is 2 ms at recall@200 ≥ 0.95. Here
 * the codes are half the bytes (16 MB) and the kernel is integer arithmetic in 16-bit lanes (codes in [-7, 7], the
 * query quantised to [-127, 127]; six vector operations per pair of dimensions for 32 items), about half the int8
 * kernel's CPU for the same item count. Hand-written: the innermost loop of retrieval at this size, and no
 * maintained Java library scans 4-bit codes.
 *
 * <p><b>How.</b> Item i is stored as c_i = round(v_i / s_i) in [-7, 7] with its own scale s_i = max_f |v_if| / 7;
 * the approximate score is a_i = bias_i + s_i·s_q·(q'·c_i), q' = round(q / s_q), s_q = max_f |q_f| / 127. Pass 1
 * computes every item's a_i (SIMD, blocks of {@link FloatKernels#SHORT_LANES} items, two neighbouring blocks per
 * kernel call when d ≤ 32 so they share the query's weights) in one pass, with a running
 * cut t: it starts at an estimate of the 2m-th largest block maximum from a sample of blocks (m = n·overFetch), and
 * is then the m-th largest block maximum kept so far (raised by a selection each time 4m are kept, dropping those
 * below). Only a block whose maximum reaches t is looked into, and its items with a_i ≥ t are kept with a_i (a
 * second pass over the codes, ~0.6 µs per block from memory, is not needed; a bounded heap of the maxima cost more
 * in its sifts).
 * At the end t is the m-th largest block maximum (when m ≪ blocks the top items sit in different blocks, so about
 * the m-th best a_i; where blocks hold several of the best items, far more items reach it); of the allowed items
 * kept with a_i ≥ t, about the m best by a_i are scored exactly from a float copy of their rows, and one selection
 * keeps the best n. If fewer than n allowed items reach t (seen or inactive items set it), or the
 * sampled start was above the m-th largest maximum, a second pass computes every block maximum and the cut is read
 * from their histogram (about the m-th, then 4× lower, then none) and those blocks are scored again.
 *
 * <p>Before any of that, the highest-bias blocks' items (about 2n) are scored exactly, and every block whose score
 * bound ({@link BlockBounds}) is below their n-th best allowed score is not screened at all: it holds no item of the
 * exact list. Items are stored by falling bias for it (results are mapped back to item indexes).
 *
 * <p><b>In cells</b> (from {@link Retrievers#DEFAULT_CELLS_FROM} items): the items are grouped by k-means
 * ({@link ItemCells}, ~√n cells, stored cell by cell) and a query screens only the cells of highest mean score for
 * it until they hold a share of the items, plus the items in no cell (free slots at build, so new movies), and
 * scores the loose items (moved by an update nearer another cell's centroid) exactly. The block bounds still skip
 * blocks (within a cell the items are by falling bias); their cut is taken from the highest-bias items at build
 * ({@link BlockBounds#headSlots}), since the first slots are one cell. The share is calibrated on the catalogue at
 * build, by band of query norm, unless given ({@link ProbeCalibration}, {@link #DEFAULT_PROBE_SHARE}): at 1M × 32 the
 * bench's 20-item queries probe 0.375 of the generated items (recall@200 0.976) and 0.175 of the trained-like ones
 * (0.977), 5-item queries screen 11–13% of the blocks (0.986–0.995), a new user's fewer (docs/benchmarks.md, sixteenth
 * and seventeenth passes).
 *
 * <p>Memory: the codes (half a byte per value), the float rows (4 bytes per value, read only for the ~m candidates),
 * two floats per item. Queries from any number of threads; {@link #update} re-encodes an item in place from one
 * writer (a query racing it may see that one item half-written), as {@link SimdScanRetriever}.
 */
public final class Int4ScreenRetriever implements UpdatableRetriever {
    private static final int W = FloatKernels.SHORT_LANES;
    /**
     * Items re-scored exactly per item returned: 4 (m = 800 for n = 200). Measured recall@200 at 1M × 32
     * (docs/benchmarks.md, "Issue 13, fourth pass").
     */
    public static final int DEFAULT_OVER_FETCH = Integer.getInteger("streamrec.int4.overfetch", 4);
    /** A probe share the screen chooses at build for its catalogue ({@link ProbeCalibration}, {@link #DEFAULT_PROBE_RECALL}). */
    public static final float CALIBRATED = Float.NaN;
    /**
     * The share of the items a query screens when the catalogue is in cells ({@link ItemCells}): the cells of highest
     * mean score until they hold this share. {@link #CALIBRATED} unless the JVM property {@code streamrec.int4.probe}
     * sets a share (1 or more screens every cell; the sixteenth pass served 0.3 on every catalogue).
     */
    public static final float DEFAULT_PROBE_SHARE = System.getProperty("streamrec.int4.probe") == null ? CALIBRATED
            : Float.parseFloat(System.getProperty("streamrec.int4.probe"));
    /**
     * The recall@200 a calibrated probe share is chosen for: 0.97 of each band of sampled queries' true top-200 in the
     * probed cells (the target is 0.95 for the screen as a whole: the cells' share is an upper bound of it,
     * estimated on few queries; at 0.96, with one share for every query, the trained-like 1M catalogue got one whose
     * recall@200 measured 0.946, docs/benchmarks.md seventeenth pass). JVM property {@code streamrec.int4.recall}.
     */
    public static final float DEFAULT_PROBE_RECALL = Float.parseFloat(System.getProperty("streamrec.int4.recall", "0.97"));
    /** The seed of the cells' k-means: the same catalogue gets the same cells. */
    private static final long CELL_SEED = 20_261_201L;
    /** Buckets of the histogram the cut is read from (~8 blocks per bucket at 1M items; the top ones hold fewer). */
    private static final int HISTOGRAM_BUCKETS = 4096;
    /** Codes, float rows, biases, scales and active flags by slot: items in order of falling bias ({@link BlockBounds}). */
    private final byte[] packed;
    private final float[] rows;
    private final float[] paddedBias;
    private final float[] paddedScale;
    private final boolean[] active;
    private final int dim;
    private final int pairs;
    private final int size;
    private final int blocks;
    private final int overFetch;
    /** Blocks up to the last active item (free slots at the end of the matrix are not scanned until activated). */
    private volatile int usedBlocks;
    private final ThreadLocal<Scratch> scratch;
    /** The storage order and each block's score bound: blocks that cannot hold an item of the list are not screened. */
    private final BlockBounds bounds;
    private final ThreadLocal<TopSelect> selects = ThreadLocal.withInitial(TopSelect::new);
    /**
     * The cells a query picks from (null: every block is screened), the first slot of each and of the items in none,
     * and how many items a query's cells hold at least: {@code probeItems[b]} for a query whose norm is in band b of
     * {@link #probeShares} (one band unless calibrated).
     */
    private final ItemCells cells;
    private final int[] cellStart;
    private final int[] probeItems;
    /** The share probed by band of query norm (one band of 1 without cells), and whether it was calibrated. */
    private final ProbeCalibration.Choice probeShares;
    private final boolean calibrated;
    /**
     * With cells: the bias of each slot for exact scores (the screen's {@link #paddedBias} is −∞ for a loose item,
     * so the screen never keeps it), and the loose items: slots whose update moved them nearer another cell's
     * centroid, re-scored exactly on every query. Without cells the same array as {@link #paddedBias} and none loose.
     */
    private final float[] exactBias;
    private final boolean[] isLoose;
    private int[] looseSlots = new int[16];
    /**
     * Published after the slot's −∞ in {@link #paddedBias}: a query reads it first, so the screen cannot keep a loose
     * slot it counts (no item twice in a list).
     */
    private volatile int looseCount;
    /**
     * At most this many loose items (each costs every query an exact score, ~50 ns): 1,024 or one in 256 items,
     * whichever is more (3,906 at 1M, ~0.2 ms per query at worst). Items moved past the cap stay in their cell.
     */
    private final int maxLoose;
    private volatile int movesKeptInCell;

    public Int4ScreenRetriever(float[] vectors, float[] bias, boolean[] active, int dim) {
        this(vectors, bias, active, dim, DEFAULT_OVER_FETCH);
    }

    /** Copies the vectors, biases and active flags (later changes come through {@link #update}); screens every block. */
    public Int4ScreenRetriever(float[] vectors, float[] bias, boolean[] active, int dim, int overFetch) {
        this(vectors, bias, active, dim, overFetch, 1f);
    }

    /**
     * As above; with {@code probeShare} below 1 (or {@link #CALIBRATED}) the items are first grouped in cells
     * ({@link ItemCells}, k-means at build: seconds at 1M items) and a query screens the cells of highest mean score up
     * to that share of the items, plus the items inactive at build (new movies), on every query. {@link #CALIBRATED}:
     * for each band of query norm the least share that holds {@link #DEFAULT_PROBE_RECALL} of sampled queries' true
     * lists ({@link ProbeCalibration}).
     */
    public Int4ScreenRetriever(float[] vectors, float[] bias, boolean[] active, int dim, int overFetch, float probeShare) {
        if (overFetch < 1) throw new IllegalArgumentException("overFetch must be ≥ 1, got " + overFetch);
        if (!(probeShare > 0f) && !Float.isNaN(probeShare)) throw new IllegalArgumentException("probeShare must be > 0, got " + probeShare);
        this.size = CandidateRetriever.itemCount(vectors, bias, active, dim);
        this.dim = dim;
        this.pairs = (dim + 1) / 2;
        this.overFetch = overFetch;
        this.blocks = (size + W - 1) / W;
        this.packed = new byte[blocks * pairs * W];
        this.cells = Float.isNaN(probeShare) || probeShare < 1f ? ItemCells.of(vectors, bias, active, size, dim, CELL_SEED) : null;
        this.bounds = cells == null ? new BlockBounds(bias, active, size, W, dim)
                : new BlockBounds(bias, active, size, W, dim, cells.cellOf, cells.count);
        this.cellStart = cells == null ? null : cellStarts(cells, size);
        this.rows = bounds.rowsBySlot(vectors);
        this.paddedBias = new float[blocks * W];
        Arrays.fill(paddedBias, size, paddedBias.length, Float.NEGATIVE_INFINITY); // padding never reaches a cut
        this.paddedScale = new float[blocks * W];
        this.active = new boolean[size];
        for (int s = 0; s < size; s++) {
            int i = bounds.itemOf[s];
            encode(s, rows, s * dim);
            this.active[s] = active[i];
            // an inactive item never sets the cut (it would only be filtered out after raising it)
            paddedBias[s] = active[i] ? bias[i] : Float.NEGATIVE_INFINITY;
            if (active[i]) bounds.raise(s, rows, s * dim, bias[i]);
        }
        this.calibrated = cells != null && Float.isNaN(probeShare);
        this.probeShares = calibrated ? ProbeCalibration.choose(rows, paddedBias, dim, cellStart, cells, DEFAULT_PROBE_RECALL,
                CELL_SEED) : ProbeCalibration.Choice.fixed(cells == null ? 1f : Math.min(1f, probeShare));
        this.probeItems = new int[probeShares.shares().length];
        for (int band = 0; band < probeItems.length; band++) {
            probeItems[band] = cells == null ? size : (int) Math.ceil(probeShares.shares()[band] * cellStart[cells.count]);
        }
        this.exactBias = cells == null ? paddedBias : paddedBias.clone();
        this.isLoose = cells == null ? null : new boolean[size];
        this.maxLoose = Math.max(1024, size / 256);
        int last = size - 1;
        while (last >= 0 && !this.active[last]) last--;
        this.usedBlocks = (last + W) / W;
        int b = blocks, p = pairs, k = cells == null ? 0 : cells.count;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(b, p, k));
    }

    /** The first slot of each cell in storage order (cells in order, then the items in none), and the end. */
    private static int[] cellStarts(ItemCells cells, int size) {
        int[] start = new int[cells.count + 2];
        for (int c = 0; c < cells.count; c++) start[c + 1] = start[c] + cells.sizes[c];
        start[cells.count + 1] = size;
        return start;
    }

    /**
     * The block ranges a query screens into {@code sc.ranges} (from, to pairs in storage order, merged where they
     * touch); returns how many. Without cells, every block; with cells, those of highest mean score for the query
     * until they hold {@link #probeItems} for its norm's band, and the items in no cell.
     */
    private int probe(float[] query, float qNorm, Scratch sc, int blocks) {
        int[] ranges = sc.ranges;
        if (cells == null) {
            ranges[0] = 0;
            ranges[1] = blocks;
            return 1;
        }
        int k = cells.count;
        long[] keys = sc.cellKeys;
        float[] bandNorms = probeShares.upperNorms();
        int band = 0;
        while (qNorm > bandNorms[band]) band++; // the last band's bound is +∞
        int limit = probeItems[band];
        // the cells in order as far as a query of this band probes: twice its share's count of mean-sized cells, or all
        int ordered = (int) Math.min(k, 2L * limit * k / Math.max(1, cellStart[k]) + 4);
        cells.rankBest(query, sc.cellScores, keys, ordered); // the best cell last
        boolean[] probed = sc.probed;
        Arrays.fill(probed, false);
        for (int r = k - 1, covered = 0; r >= 0 && covered < limit; r--) {
            if (r == k - 1 - ordered) Arrays.sort(keys, 0, r + 1); // smaller cells than the mean: the rest in order too
            int c = TopSelect.item(keys[r]);
            probed[c] = true;
            covered += cells.sizes[c];
        }
        probed[k] = true; // the items in no cell
        int n = 0;
        for (int c = 0; c <= k; c++) {
            if (!probed[c] || cellStart[c] == cellStart[c + 1]) continue;
            int from = cellStart[c] / W, to = Math.min(blocks, (cellStart[c + 1] + W - 1) / W);
            if (from >= to) continue;
            if (n > 0 && from <= ranges[n - 1]) {
                ranges[n - 1] = Math.max(ranges[n - 1], to); // a block shared with the previous probed cell
            } else {
                ranges[n++] = from;
                ranges[n++] = to;
            }
        }
        return n / 2;
    }

    /** Writes slot i's 4-bit codes and scale from {@code src[off..off+dim)}. */
    private void encode(int i, float[] src, int off) {
        float max = 0f;
        for (int f = 0; f < dim; f++) max = Math.max(max, Math.abs(src[off + f]));
        float scale = max / 7f;
        float inverse = scale > 0f ? 1f / scale : 0f;
        int base = (i / W) * pairs * W, lane = i % W;
        for (int p = 0; p < pairs; p++) {
            int lo = code(src[off + 2 * p] * inverse);
            int hi = 2 * p + 1 < dim ? code(src[off + 2 * p + 1] * inverse) : 0;
            packed[base + p * W + lane] = FloatKernels.int4Pair(lo, hi);
        }
        paddedScale[i] = scale;
    }

    private static int code(float x) {
        return Math.max(-7, Math.min(7, Math.round(x)));
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
    public int topK(float[] query, int n, IntPredicate exclude, TopK unused, int[] itemsOut, float[] scoresOut) {
        if (query.length < dim) throw new IllegalArgumentException("query has " + query.length + " dims, index has " + dim);
        if (n <= 0) return 0;
        Scratch sc = scratch.get();
        int loose = looseCount; // before any code is read: the screen sees −∞ for each of these
        float qScale = quantize(query, sc.q);
        FloatKernels.int4Weights(sc.q, pairs, sc.weights, sc.chunkOffset);
        int blocks = usedBlocks;
        float qNorm = BlockBounds.norm(query, 0, dim), bound = boundCut(query, sc, blocks, n, exclude);
        // the running cut: the m-th largest of the block maxima kept so far (none until m are kept), so a catalogue
        // of fewer than m blocks is scanned whole
        long m = (long) n * overFetch;
        int rangeCount = probe(query, qNorm, sc, blocks);
        float start = startingCut(sc, qScale, rangeCount, m, qNorm, bound), cut = start;
        sc.maxima(4 * m);
        sc.kept = 0;
        sc.count = 0;
        sc.lastScreened = 0;
        int[] ranges = sc.ranges;
        for (int r = 0; r < rangeCount; r++) cut = screen(sc, ranges[2 * r], ranges[2 * r + 1], qScale, qNorm, bound, cut, m);
        int kept = sc.kept, count = sc.count;
        float[] maxima = sc.maximaBuffer;
        TopSelect select = selects.get();
        if (kept >= m) {
            cut = TopSelect.nthLargest(maxima, kept, (int) m, sc.keys);
        } else if (start != Float.NEGATIVE_INFINITY) { // the sample set the starting cut too high: fewer than m blocks reach it
            lowerCut(query, qScale, qNorm, bound, sc, blocks, rangeCount, m, n, exclude, select, loose);
            return select.drainBest(n, itemsOut, scoresOut);
        }
        int found = 0;
        for (int r = 0; r < count; r++) { // the cut has risen since some were kept
            int i = sc.candidates[r];
            if (sc.candidateApprox[r] >= cut && i < size && active[i] && !exclude.test(bounds.itemOf[i])) {
                sc.candidates[found] = i;
                sc.candidateApprox[found++] = sc.candidateApprox[r];
            }
        }
        found = bestByApprox(sc, found, m);
        found = rescore(query, sc, found, select, exclude, loose);
        if (found < n && cut != Float.NEGATIVE_INFINITY) {
            lowerCut(query, qScale, qNorm, bound, sc, blocks, rangeCount, (long) m * 4, n, exclude, select, loose);
        }
        return select.drainBest(n, itemsOut, scoresOut);
    }

    /**
     * The main pass over blocks {@code from..to}: each block's approximate scores, its maximum and items kept when
     * they reach the running cut ({@link #keep}); returns the cut. Its own method, small, so that C2 compiles the
     * loop as it did when it was topK's only loop (inside topK's loop over ranges the screen of every 100k block
     * measured 0.91 against 0.63–0.67 ms p50).
     */
    private float screen(Scratch sc, int from, int to, float qScale, float qNorm, float bound, float cut, long m) {
        float[] approx = sc.approx, pairMax = sc.pairMax;
        boolean inPairs = pairs <= FloatKernels.INT4_PAIRS_PER_CHUNK;
        int screened = 0;
        for (int b = from; b < to; b++) {
            if (bounds.below(b, qNorm, bound)) continue; // no item of the list in this block
            if (inPairs && b + 1 < to && !bounds.below(b + 1, qNorm, bound)) { // two blocks share the kernel's weights
                screened += 2;
                float max = FloatKernels.int4BlockPairScores(sc.weights, sc.chunkOffset, qScale, packed, paddedBias, paddedScale, b,
                        pairs, cut, sc.pairSums, approx, pairMax);
                if (max >= cut) { // rare once the cut has risen
                    cut = keep(sc, b, pairMax[0], 0, cut, m);
                    cut = keep(sc, b + 1, pairMax[1], W, cut, m);
                }
                b++;
                continue;
            }
            screened++;
            float max = FloatKernels.int4BlockScores(sc.weights, sc.chunkOffset, qScale, packed, paddedBias, paddedScale, b, pairs, cut,
                    approx, 0);
            if (max >= cut) cut = keep(sc, b, max, 0, cut, m);
        }
        sc.lastScreened += screened;
        return cut;
    }

    /**
     * Of the {@code found} candidates, about the m best by approximate score (at least m, a histogram bucket more at
     * most); returns how many. The cut is the m-th largest block maximum, so where blocks hold several of the best
     * items far more than m reach it: on the trained-like 1M catalogue (each trained vector resampled ~100 times with
     * the same bias, so its copies share blocks) 7,528 per query at m = 800, each re-scored from a scattered float row.
     */
    private static int bestByApprox(Scratch sc, int found, long m) {
        if (found <= m) return found;
        return sc.dropCandidatesBelow(found, TopSelect.atMostNthLargest(sc.candidateApprox, found, (int) m, sc.histogram));
    }

    /**
     * Keeps block b's maximum and its items with a_i ≥ cut (their scores in {@code sc.approx[offset..offset + W)});
     * when 4m maxima are kept, raises the cut to the m-th largest and drops what is below it. Returns the cut.
     */
    private static float keep(Scratch sc, int b, float max, int offset, float cut, long m) {
        if (!(max >= cut)) return cut; // the other block of a pair, or the cut rose with the first
        sc.maximaBuffer[sc.kept++] = max;
        if (sc.count + W > sc.candidates.length) sc.grow();
        float[] approx = sc.approx;
        int count = sc.count;
        for (int lane = 0, base = b * W; lane < W; lane++) {
            if (approx[offset + lane] >= cut) {
                sc.candidates[count] = base + lane;
                sc.candidateApprox[count++] = approx[offset + lane];
            }
        }
        sc.count = count;
        if (sc.kept == sc.maximaBuffer.length) {
            cut = TopSelect.nthLargest(sc.maximaBuffer, sc.kept, (int) m, sc.keys);
            sc.kept = sc.dropMaximaBelow(sc.kept, cut);
            sc.count = sc.dropCandidatesBelow(sc.count, cut);
        }
        return cut;
    }

    /**
     * How many blocks the calling thread's last query screened in its main pass, of {@link #blocks()}: the query's
     * kernel work (for tests and measurements: {@code bench --retrieval} prints the share).
     */
    public int lastScreenedBlocks() {
        return scratch.get().lastScreened;
    }

    /** How many candidates the calling thread's last query re-scored exactly, in its last pass (for tests and measurements). */
    public int lastRescored() {
        return scratch.get().lastRescored;
    }

    /** Blocks of {@link FloatKernels#SHORT_LANES} items up to the last active one. */
    public int blocks() {
        return usedBlocks;
    }

    /**
     * The exact scores of the highest-bias blocks' items (about 2n, contiguous rows) and from them a value the n-th
     * best allowed exact score cannot be under ({@link BlockBounds#cut}); −∞ when bounds are off.
     */
    private float boundCut(float[] query, Scratch sc, int blocks, int n, IntPredicate exclude) {
        if (cells != null) { // the first slots are one cell: the head is the highest biases at build, wherever they are
            int count = (int) Math.min(2L * n, bounds.headSlots.length);
            if (count < n || bounds.headBlocks(n, blocks) == blocks) return Float.NEGATIVE_INFINITY;
            if (sc.headExact.length < count) sc.headExact = new float[count];
            FloatKernels.gatherScores(query, rows, exactBias, bounds.headSlots, count, dim, sc.headExact);
            return bounds.cut(sc.headExact, bounds.headSlots, count, active, exclude, n);
        }
        int head = bounds.headBlocks(n, blocks);
        if (head == blocks) return Float.NEGATIVE_INFINITY;
        int count = Math.min(head * W, size);
        if (sc.headExact.length < count) sc.headExact = new float[count];
        FloatKernels.blockScores(query, rows, paddedBias, 0, count, dim, sc.headExact);
        return bounds.cut(sc.headExact, count, active, exclude, n);
    }

    /**
     * Scores {@code sc.candidates[0..count)} (slots) and the first {@code loose} loose slots that are allowed exactly
     * into {@code select} (emptied first), in one batch ({@link FloatKernels#gatherScores}, four rows at a time): their
     * rows are scattered over the float copy, and four independent reads in flight cost less than one at a time.
     * Returns how many were scored.
     */
    private int rescore(float[] query, Scratch sc, int count, TopSelect select, IntPredicate exclude, int loose) {
        int[] slots = looseSlots; // after looseCount was read: at least that many are in it
        for (int r = 0; r < loose; r++) {
            int s = slots[r];
            if (!active[s] || exclude.test(bounds.itemOf[s])) continue;
            if (count == sc.candidates.length) sc.grow();
            sc.candidates[count++] = s;
        }
        sc.lastRescored = count;
        FloatKernels.gatherScores(query, rows, exactBias, sc.candidates, count, dim, sc.exact);
        select.reset(count);
        for (int r = 0; r < count; r++) select.add(bounds.itemOf[sc.candidates[r]], sc.exact[r]);
        return count;
    }

    /**
     * When fewer than n allowed items reached the cut (the seen or inactive items set it), or the starting cut was
     * too high: every screened block's maximum again (the probed cells' with cells, −∞ for the others), then the cut
     * at about the {@code m}-th largest, 4× lower each time, finally none (every block).
     */
    private void lowerCut(float[] query, float qScale, float qNorm, float bound, Scratch sc, int blocks, int rangeCount, long m,
                          int n, IntPredicate exclude, TopSelect select, int loose) {
        float hi = Float.NEGATIVE_INFINITY, lo = Float.POSITIVE_INFINITY;
        int[] ranges = sc.ranges;
        if (cells != null) Arrays.fill(sc.blockMax, 0, blocks, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < rangeCount; r++) { // the scan kept no maxima below its cut: a second pass, on rare queries
            for (int b = ranges[2 * r], to = ranges[2 * r + 1]; b < to; b++) {
                float max = blockMax(sc, qScale, b, qNorm, bound);
                sc.blockMax[b] = max;
                hi = Math.max(hi, max);
                if (max != Float.NEGATIVE_INFINITY) lo = Math.min(lo, max); // a block of inactive items only
            }
        }
        for (; ; m *= 4) {
            float cut = blocks > m && lo < hi ? cut(sc.blockMax, blocks, (int) m, lo, hi, sc.histogram) : Float.NEGATIVE_INFINITY;
            int found = collect(query, qScale, sc, blocks, cut, exclude, select, loose);
            if (found >= n || cut == Float.NEGATIVE_INFINITY) return;
        }
    }

    /**
     * A cut to start the scan with, about the 2m-th largest block maximum of the blocks to screen ({@code sc.ranges}),
     * from a sample of every s-th of them (at most every 32nd, with ≥ 16 sampled maxima above the cut); none when
     * they are too few to sample. Without it, every block passes until m are kept and the cut settles slowly: at 1M
     * items and m = 1,600, 11,500 of the 31,250 blocks passed (~0.9 ms); with it ~2m do, for ~3% more kernel work.
     * Sampled from the probed cells only: a cut from every block would be the catalogue's 2m-th, which fewer than m
     * probed blocks may reach (a query whose best items are spread over many cells), and the full second pass of
     * {@link #lowerCut} would follow.
     */
    private float startingCut(Scratch sc, float qScale, int rangeCount, long m, float qNorm, float bound) {
        int[] ranges = sc.ranges;
        long screened = 0;
        for (int r = 0; r < rangeCount; r++) screened += ranges[2 * r + 1] - ranges[2 * r];
        long stride = Math.max(1, Math.min(32, 2 * m / 16));
        long rank = 2 * m / stride; // the rank in the sample of about the 2m-th largest overall
        int samples = (int) (screened / stride);
        if (rank < 1 || samples <= rank) return Float.NEGATIVE_INFINITY;
        float[] sampled = sc.maxima(samples);
        long next = stride / 2, before = 0; // the next sample's position among the blocks to screen; blocks in earlier ranges
        for (int r = 0, k = 0; r < rangeCount && k < samples; r++) {
            int from = ranges[2 * r], length = ranges[2 * r + 1] - from;
            for (; next < before + length && k < samples; next += stride) {
                sampled[k++] = blockMax(sc, qScale, (int) (from + next - before), qNorm, bound);
            }
            before += length;
        }
        return TopSelect.nthLargest(sampled, samples, (int) rank, sc.keys);
    }

    /** Block b's largest approximate score, or −∞ for a block whose bound skips it (it holds no item of the list). */
    private float blockMax(Scratch sc, float qScale, int b, float qNorm, float bound) {
        if (bounds.below(b, qNorm, bound)) return Float.NEGATIVE_INFINITY;
        return FloatKernels.int4BlockScores(sc.weights, sc.chunkOffset, qScale, packed, paddedBias, paddedScale, b, pairs,
                Float.NEGATIVE_INFINITY, null, 0);
    }

    /**
     * About the m-th largest block maximum, from a histogram of them between {@code lo} and {@code hi}: the lower edge
     * of the bucket where the count from the top reaches m, so about m blocks (a bucket more at most) reach it. A
     * quickselect over the 31,250 maxima of 1M items cost ~0.3 ms per query here (a branch mispredicted per
     * comparison); counting costs a tenth of that. Hand-written: the hot path, on a primitive array.
     */
    private static float cut(float[] blockMax, int blocks, int m, float lo, float hi, int[] counts) {
        int buckets = counts.length;
        Arrays.fill(counts, 0);
        float perUnit = (buckets - 1) / (hi - lo);
        for (int b = 0; b < blocks; b++) {
            int k = (int) ((blockMax[b] - lo) * perUnit); // -Infinity → Integer.MIN_VALUE
            counts[Math.max(0, k)]++;
        }
        int total = 0, k = buckets - 1;
        while (k > 0 && (total += counts[k]) < m) k--;
        return k == 0 ? Float.NEGATIVE_INFINITY : lo + k / perUnit;
    }

    /** q' = round(q / s_q) into {@code out} (zero past the dimension); returns s_q (0 for a zero query: then a_i = bias_i). */
    private float quantize(float[] query, short[] out) {
        float max = 0f;
        for (int f = 0; f < dim; f++) max = Math.max(max, Math.abs(query[f]));
        float scale = max / 127f;
        float inverse = scale > 0f ? 1f / scale : 0f;
        for (int f = 0; f < dim; f++) out[f] = (short) Math.max(-127, Math.min(127, Math.round(query[f] * inverse)));
        return scale;
    }

    /** Puts every allowed item with a_i ≥ cut into {@code select} (emptied first) with its exact score; returns how many. */
    private int collect(float[] query, float qScale, Scratch sc, int blocks, float cut, IntPredicate exclude, TopSelect select,
                        int loose) {
        float[] approx = sc.approx;
        int count = 0;
        for (int b = 0; b < blocks; b++) {
            if (!(sc.blockMax[b] >= cut)) continue;
            FloatKernels.int4BlockScores(sc.weights, sc.chunkOffset, qScale, packed, paddedBias, paddedScale, b, pairs,
                    Float.NEGATIVE_INFINITY, approx, 0);
            int base = b * W, end = Math.min(W, size - base);
            for (int lane = 0; lane < end; lane++) {
                int i = base + lane;
                if (!(approx[lane] >= cut) || !active[i] || exclude.test(bounds.itemOf[i])) continue;
                if (count == sc.candidates.length) sc.grow();
                sc.candidates[count++] = i;
            }
        }
        return rescore(query, sc, count, select, exclude, loose);
    }

    @Override
    public void update(int item, float[] vector, int offset, float bias) {
        if (item < 0 || item >= size) throw new IllegalArgumentException("item " + item + " outside 0.." + (size - 1));
        int slot = bounds.slotOf[item];
        bounds.raise(slot, vector, offset, bias); // first: a query racing this sees the old row under the new bound
        System.arraycopy(vector, offset, rows, slot * dim, dim);
        encode(slot, vector, offset);
        exactBias[slot] = bias;
        if (cells != null && slot < cellStart[cells.count] && !isLoose[slot]
                && cells.nearest(vector, offset, bias) != cells.cellOf[item]) {
            if (looseCount < maxLoose) loosen(slot);
            else movesKeptInCell++; // every query would pay for each loose item: past the cap, stale in its cell
        }
        if (isLoose == null || !isLoose[slot]) paddedBias[slot] = bias;
        active[slot] = true;
        if (slot / W >= usedBlocks) usedBlocks = slot / W + 1; // after the row: a query scanning it sees it written
    }

    /**
     * Slot s no longer belongs to its cell: the screen never keeps it (−∞ bias), every query scores it exactly. One
     * writer; the count is published last.
     */
    private void loosen(int slot) {
        isLoose[slot] = true;
        paddedBias[slot] = Float.NEGATIVE_INFINITY;
        int n = looseCount;
        if (n == looseSlots.length) looseSlots = Arrays.copyOf(looseSlots, 2 * n);
        looseSlots[n] = slot;
        looseCount = n + 1;
    }

    /** How many items an update moved out of their cell (scored exactly on every query): 0 without cells. */
    public int looseItems() {
        return looseCount;
    }

    /**
     * How many updates moved an item nearer another cell's centroid after the loose items reached their cap: those
     * items stay in their cell, found only when it is probed, until the cells are rebuilt (a model load or swap).
     */
    public int movesKeptInCell() {
        return movesKeptInCell;
    }

    /**
     * The largest share of the items in cells a query probes (a calibrated screen probes less for weaker queries): 1
     * without cells (every block is screened).
     */
    public float probeShare() {
        return probeShares.largest();
    }

    /**
     * How a calibrated probe share was chosen: the share of each band of query norm and the recall of its probed cells
     * on the sampled queries; empty when the share was given or there are no cells.
     */
    public String calibration() {
        return calibrated ? probeShares.toString() : "";
    }

    /** The calibration's choice, or null when the share was given or there are no cells (for tests). */
    ProbeCalibration.Choice calibrationChoice() {
        return calibrated ? probeShares : null;
    }

    /** How many cells the items are grouped in (0: none, every block is screened). */
    public int cells() {
        return cells == null ? 0 : cells.count;
    }

    /**
     * Per-thread buffers: the quantised query, one block's approximate scores, every block's largest, the block maxima
     * of the m best block maxima, the lowered cut's histogram, the candidates with their approximate and exact
     * scores (grown when a query needs more, then kept).
     */
    private static final class Scratch {
        final short[] q;
        final short[] weights;
        final short[] chunkOffset;
        /** Two blocks' approximate scores (a pair of blocks, or one in the first half). */
        final float[] approx;
        final float[] pairMax = new float[2];
        final short[] pairSums = new short[2 * W];
        final float[] blockMax;
        final int[] histogram = new int[HISTOGRAM_BUCKETS];
        /** Block maxima at or above the running cut (4m of them before the cut is raised). */
        float[] maximaBuffer = new float[0];
        long[] keys = new long[0];
        int[] candidates = new int[8192];
        float[] candidateApprox = new float[8192];
        float[] exact = new float[8192];
        /** The head blocks' exact scores ({@link #boundCut}), grown to the largest head asked for. */
        float[] headExact = new float[0];
        int lastScreened;
        int lastRescored;
        /** The scan's state between blocks: maxima kept (in {@link #maximaBuffer}) and candidates kept. */
        int kept;
        int count;

        /** The probe's buffers: each cell's mean score, the cells' sort keys, which are probed (and the tail), block ranges. */
        final float[] cellScores;
        final long[] cellKeys;
        final boolean[] probed;
        final int[] ranges;

        Scratch(int blocks, int pairs, int cells) {
            cellScores = new float[cells];
            cellKeys = new long[cells];
            probed = new boolean[cells + 1];
            ranges = new int[2 * (cells + 1)];
            q = new short[2 * pairs];
            weights = new short[2 * pairs];
            chunkOffset = new short[(pairs + FloatKernels.INT4_PAIRS_PER_CHUNK - 1) / FloatKernels.INT4_PAIRS_PER_CHUNK];
            approx = new float[2 * W];
            blockMax = new float[blocks];
        }

        /**
         * The buffer of block maxima (and the keys to select in it), at least {@code length} long: 4m for a cut at the
         * m-th largest (raised every ~3m blocks kept), or the starting cut's sample.
         */
        float[] maxima(long length) {
            length = Math.min(Integer.MAX_VALUE - 8, length);
            if (maximaBuffer.length < length) {
                maximaBuffer = new float[(int) length];
                keys = new long[(int) length];
            }
            return maximaBuffer;
        }

        /** Keeps the maxima ≥ cut (at least m); grows the buffer when ties leave it more than 3/4 full. */
        int dropMaximaBelow(int count, float cut) {
            int kept = 0;
            for (int r = 0; r < count; r++) if (maximaBuffer[r] >= cut) maximaBuffer[kept++] = maximaBuffer[r];
            if (4 * (long) kept > 3L * maximaBuffer.length) {
                maximaBuffer = Arrays.copyOf(maximaBuffer, 2 * maximaBuffer.length);
                keys = new long[maximaBuffer.length];
            }
            return kept;
        }

        /** Keeps the candidates whose a_i ≥ cut (the cut has risen since they were kept). */
        int dropCandidatesBelow(int count, float cut) {
            int kept = 0;
            for (int r = 0; r < count; r++) {
                if (candidateApprox[r] >= cut) {
                    candidates[kept] = candidates[r];
                    candidateApprox[kept++] = candidateApprox[r];
                }
            }
            return kept;
        }

        void grow() {
            candidates = Arrays.copyOf(candidates, candidates.length * 2);
            candidateApprox = Arrays.copyOf(candidateApprox, candidates.length);
            exact = new float[candidates.length];
        }
    }
}
