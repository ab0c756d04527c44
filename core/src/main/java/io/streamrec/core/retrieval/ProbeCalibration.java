package io.streamrec.core.retrieval;

import io.streamrec.core.simd.FloatKernels;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * How much of a catalogue in cells ({@link ItemCells}) a query screens, chosen at build from the catalogue itself:
 * the least share of the items (in steps of {@link #STEP}) whose probed cells hold {@code recall} of the exact
 * top-{@link #N} of sampled queries, for each kind of query sampled: the sum of 1, 3 or 20 random items' vectors (a
 * new user, a short history, the retrieval bench's queries).
 *
 * <p><b>Why.</b> How clustered a catalogue is decides the share: the generated 1M × 32 catalogue (Gaussian vectors)
 * needs 30% of its items probed for recall@200 0.96, the trained-like one has 0.97 at 15% (docs/benchmarks.md,
 * sixteenth pass). One fixed share pays the least clustered catalogue's price on every catalogue, and the screen's
 * kernel over the probed blocks is most of a list's CPU at 1M items.
 *
 * <p>The recall measured here is the share of the true top-n in probed cells (or in no cell: screened always), an
 * upper bound of the screen's: its own loss on top (4-bit codes, the m best re-scored) measured ~0.001 at 1M × 32.
 * Costs one exact scan per sampled query (192 at build: the retriever's build at 1M × 32 took 8.2–9.7 s with it
 * against 6.8–7.8 s with a share given, on two cores).
 */
final class ProbeCalibration {
    /** Items summed per sampled query: a new user's single event, a short history, the bench's 20 items. */
    static final int[] HISTORIES = {1, 3, 20};
    static final int QUERIES_PER_HISTORY = 64;
    /** The list length whose recall is measured: the recall@200. */
    static final int N = 200;
    static final float STEP = 0.025f;

    /** The share chosen and the recall each kind of query has at it (by {@link #HISTORIES}). */
    record Choice(float share, float[] recallByHistory) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format("probe share %.3f (recall@%d of the probed cells:", share, N));
            for (int h = 0; h < HISTORIES.length; h++) s.append(String.format(" %.3f for %d-item queries", recallByHistory[h], HISTORIES[h]));
            return s.append(')').toString();
        }
    }

    private ProbeCalibration() {}

    /**
     * @param rows      the item rows by slot (the screen's storage order: cell by cell, then the items in no cell)
     * @param bias      the biases by slot, −∞ for an inactive slot
     * @param cellStart the first slot of each cell, of the items in no cell, and the end ({@code cells + 2} entries)
     * @param meanRows  each cell's mean vector, {@code meanBias} its mean bias: its probe score
     * @param sizes     items per cell
     */
    static Choice choose(float[] rows, float[] bias, int dim, int[] cellStart, float[] meanRows, float[] meanBias, int[] sizes,
                         float recall, long seed) {
        int cells = sizes.length, inCells = cellStart[cells], size = cellStart[cells + 1];
        int steps = Math.round(1f / STEP);
        if (inCells == 0) return new Choice(1f, filled(1f));
        // per kind of query, per step s: how many of the sampled queries' true top-n are in cells probed at share s·STEP
        long[][] covered = new long[HISTORIES.length][steps + 1];
        long[] found = new long[HISTORIES.length];
        int queries = HISTORIES.length * QUERIES_PER_HISTORY;
        int[] cellOfSlot = new int[inCells];
        for (int c = 0; c < cells; c++) Arrays.fill(cellOfSlot, cellStart[c], cellStart[c + 1], c);
        int[][] needed = new int[queries][];
        int workers = Math.min(queries, Runtime.getRuntime().availableProcessors());
        IntStream.range(0, workers).parallel().forEach(w -> { // one score buffer per worker (4 MB at 1M items)
            float[] scores = new float[size];
            for (int q = w; q < queries; q += workers) {
                float[] query = new float[dim];
                SplittableRandom rnd = new SplittableRandom(seed + q);
                for (int h = 0; h < HISTORIES[q / QUERIES_PER_HISTORY]; h++) {
                    int slot = rnd.nextInt(inCells); // every slot in a cell is active at build
                    for (int f = 0; f < dim; f++) query[f] += rows[slot * dim + f];
                }
                needed[q] = neededSteps(query, rows, bias, dim, scores, cellOfSlot, meanRows, meanBias, sizes, steps);
            }
        });
        for (int q = 0; q < queries; q++) {
            int kind = q / QUERIES_PER_HISTORY;
            found[kind] += needed[q].length;
            for (int step : needed[q]) covered[kind][step]++;
        }
        for (int kind = 0; kind < HISTORIES.length; kind++) {
            for (int s = 1; s <= steps; s++) covered[kind][s] += covered[kind][s - 1]; // cumulative: covered at share ≤ s
        }
        for (int s = 1; s <= steps; s++) {
            float[] at = new float[HISTORIES.length];
            boolean enough = true;
            for (int kind = 0; kind < HISTORIES.length; kind++) {
                at[kind] = found[kind] == 0 ? 1f : covered[kind][s] / (float) found[kind];
                enough &= at[kind] >= recall;
            }
            if (enough || s == steps) return new Choice(s / (float) steps, at);
        }
        throw new AssertionError("unreachable");
    }

    /**
     * For each item of the query's exact top-n: the least step s whose share s·STEP probes its cell (0 for an item
     * in no cell), by {@link Int4ScreenRetriever}'s rule: cells in falling mean score while those taken hold fewer
     * than ceil(share · items in cells).
     */
    private static int[] neededSteps(float[] query, float[] rows, float[] bias, int dim, float[] scores, int[] cellOfSlot,
                                     float[] meanRows, float[] meanBias, int[] sizes, int steps) {
        int size = scores.length, cells = sizes.length, inCells = cellOfSlot.length;
        FloatKernels.blockScores(query, rows, bias, 0, size, dim, scores);
        TopK top = new TopK(N);
        top.reset(N);
        for (int s = 0; s < size; s++) if (scores[s] > top.threshold()) top.offer(s, scores[s]);
        int[] best = new int[N];
        int n = top.drainSorted(best, new float[N]);

        float[] cellScores = new float[cells];
        FloatKernels.blockScores(query, meanRows, meanBias, 0, cells, dim, cellScores);
        long[] keys = new long[cells];
        for (int c = 0; c < cells; c++) keys[c] = TopSelect.key(c, sizes[c] == 0 ? Float.NEGATIVE_INFINITY : cellScores[c]);
        Arrays.sort(keys); // ascending: the best cell last, as the screen's probe orders them
        int[] stepOf = new int[cells];
        long before = 0;
        for (int r = cells - 1; r >= 0; r--) {
            int c = TopSelect.item(keys[r]);
            // probed at share x while before < ceil(x · inCells), i.e. from x > before / inCells
            stepOf[c] = (int) Math.min(steps, before * steps / inCells + 1);
            before += sizes[c];
        }
        int[] needed = new int[n];
        for (int r = 0; r < n; r++) needed[r] = best[r] < inCells ? stepOf[cellOfSlot[best[r]]] : 0; // no cell: always screened
        return needed;
    }

    private static float[] filled(float value) {
        float[] a = new float[HISTORIES.length];
        Arrays.fill(a, value);
        return a;
    }
}
