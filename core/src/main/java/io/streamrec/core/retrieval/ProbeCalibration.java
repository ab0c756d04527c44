package io.streamrec.core.retrieval;

import io.streamrec.core.simd.FloatKernels;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * How much of a catalogue in cells ({@link ItemCells}) a query screens, chosen at build from the catalogue itself and
 * by the query's strength (its norm): queries of eight kinds are sampled, from a new user's (a tenth of one item's
 * vector and less) to the retrieval bench's (the sum of 20 items' vectors), ranked by norm and split in
 * {@link #BANDS} bands of equal count; each band gets the least share of the items (in steps of {@link #STEP}) whose
 * probed cells hold {@code recall} of its queries' exact top-{@link #N}. A query then probes the share of the band its
 * norm falls in (below the first: the first band's; above the last: the last's).
 *
 * <p><b>Why.</b> How clustered a catalogue is decides the share: the generated 1M × 32 catalogue (Gaussian vectors)
 * needs 35% of its items probed for recall@200 0.97 on 20-item queries, the trained-like one 17.5%
 * (docs/benchmarks.md, seventeenth pass); one fixed share pays the least clustered catalogue's price on every
 * catalogue. And the query decides it too: on the trained-like catalogue 1-item queries reach 0.97 at 5%. The app's
 * users are mostly new, their vectors a few SGD steps from zero, and the screen's kernel over the probed blocks is
 * most of a list's CPU at 1M items.
 *
 * <p>The recall measured here is the share of the true top-n in probed cells (or in no cell: screened always), an
 * upper bound of the screen's, estimated on few queries (hence a target above the issue's 0.95). Costs one exact
 * scan per sampled query (192 at build; with them the retriever's build at 1M × 32 took 8.2–9.7 s against 5.8–7.8 s
 * with a share given, on two cores).
 */
final class ProbeCalibration {
    /** The sampled kinds of query: the sum of {@link #HISTORIES}[k] random items' vectors times {@link #SCALES}[k]. */
    static final int[] HISTORIES = {1, 1, 1, 1, 2, 3, 8, 20};
    static final float[] SCALES = {0.03f, 0.1f, 0.3f, 1f, 1f, 1f, 1f, 1f};
    static final int QUERIES_PER_KIND = 24;
    /**
     * Bands of query norm, each with its own share (equal counts of the sampled queries). A query between two bands'
     * sampled norms takes the stronger band's share; the kinds above are spread so that no gap is wide.
     */
    static final int BANDS = 8;
    /** The list length whose recall is measured: the issue's recall@200. */
    static final int N = 200;
    /**
     * The shares tried: multiples of a quarter percent. Steps of 2.5% left the weakest queries (a new user's, most of
     * the load test's) probing 2.5% where a tenth of that held their lists (one or two cells at 1M: the highest
     * biases); the 1M load test's retrieval fell from 406–453 to 327–407 µs per event (docs/benchmarks.md, eighteenth
     * pass).
     */
    static final float STEP = 0.0025f;

    /**
     * The share each band of query norm probes: band b holds norms up to {@code upperNorms[b]} (the last: any norm),
     * probes {@code shares[b]} of the items, where its sampled queries' probed cells held {@code recalls[b]} of their
     * exact lists.
     */
    record Choice(float[] upperNorms, float[] shares, float[] recalls) {
        /** A share given: one band for every query. */
        static Choice fixed(float share) {
            return new Choice(new float[] {Float.POSITIVE_INFINITY}, new float[] {share}, new float[] {Float.NaN});
        }

        /** The largest share of any band: the most a query screens. */
        float largest() {
            float max = 0f;
            for (float share : shares) max = Math.max(max, share);
            return max;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("probe share by query norm (recall@" + N + " of the probed cells):");
            for (int b = 0; b < shares.length; b++) {
                s.append(b == shares.length - 1 ? String.format(" above %.3g", b == 0 ? 0f : upperNorms[b - 1])
                        : String.format(" to %.3g", upperNorms[b]));
                s.append(String.format(" %.4f (%.3f);", shares[b], recalls[b]));
            }
            return s.substring(0, s.length() - 1);
        }
    }

    private ProbeCalibration() {}

    /**
     * @param rows      the item rows by slot (the screen's storage order: cell by cell, then the items in no cell)
     * @param bias      the biases by slot, −∞ for an inactive slot
     * @param cellStart the first slot of each cell, of the items in no cell, and the end ({@code cells + 2} entries)
     * @param cells     the cells, ranked for each query as the screen ranks them ({@link ItemCells#rank})
     */
    static Choice choose(float[] rows, float[] bias, int dim, int[] cellStart, ItemCells cells, float recall, long seed) {
        int inCells = cellStart[cells.count], size = cellStart[cells.count + 1];
        int steps = Math.round(1f / STEP);
        if (inCells == 0) return Choice.fixed(1f);
        int queries = HISTORIES.length * QUERIES_PER_KIND;
        int[] cellOfSlot = new int[inCells];
        for (int c = 0; c < cells.count; c++) Arrays.fill(cellOfSlot, cellStart[c], cellStart[c + 1], c);
        int[][] needed = new int[queries][];
        float[] norms = new float[queries];
        int workers = Math.min(queries, Runtime.getRuntime().availableProcessors());
        IntStream.range(0, workers).parallel().forEach(w -> { // one score buffer per worker (4 MB at 1M items)
            float[] scores = new float[size];
            for (int q = w; q < queries; q += workers) {
                int kind = q / QUERIES_PER_KIND;
                float[] query = new float[dim];
                SplittableRandom rnd = new SplittableRandom(seed + q);
                for (int h = 0; h < HISTORIES[kind]; h++) {
                    int slot = rnd.nextInt(inCells); // every slot in a cell is active at build
                    for (int f = 0; f < dim; f++) query[f] += SCALES[kind] * rows[slot * dim + f];
                }
                norms[q] = BlockBounds.norm(query, 0, dim);
                needed[q] = neededSteps(query, rows, bias, dim, scores, cellOfSlot, cells, steps);
            }
        });
        long[] byNorm = new long[queries]; // rising norm
        for (int q = 0; q < queries; q++) byNorm[q] = TopSelect.key(q, norms[q]);
        Arrays.sort(byNorm);
        float[] upper = new float[BANDS], shares = new float[BANDS], recalls = new float[BANDS];
        for (int band = 0; band < BANDS; band++) {
            int from = band * queries / BANDS, to = (band + 1) * queries / BANDS;
            long[] covered = new long[steps + 1]; // how many of the band's true top-n items each step's share probes
            long found = 0;
            for (int r = from; r < to; r++) {
                int[] itemSteps = needed[TopSelect.item(byNorm[r])];
                found += itemSteps.length;
                for (int step : itemSteps) covered[step]++;
            }
            int s = 1; // the least step (at least one) whose share holds the recall
            long sum = covered[0] + covered[1];
            while (s < steps && sum < recall * found) sum += covered[++s];
            shares[band] = s / (float) steps;
            recalls[band] = found == 0 ? 1f : (float) sum / found;
            upper[band] = band == BANDS - 1 ? Float.POSITIVE_INFINITY : TopSelect.score(byNorm[to - 1]);
        }
        return new Choice(upper, shares, recalls);
    }

    /**
     * For each item of the query's exact top-n: the least step s whose share s·STEP probes its cell (0 for an item
     * in no cell), by {@link Int4ScreenRetriever}'s rule: cells in falling mean score while those taken hold fewer
     * than ceil(share · items in cells).
     */
    private static int[] neededSteps(float[] query, float[] rows, float[] bias, int dim, float[] scores, int[] cellOfSlot,
                                     ItemCells cells, int steps) {
        int size = scores.length, inCells = cellOfSlot.length;
        FloatKernels.blockScores(query, rows, bias, 0, size, dim, scores);
        TopK top = new TopK(N);
        top.reset(N);
        for (int s = 0; s < size; s++) if (scores[s] > top.threshold()) top.offer(s, scores[s]);
        int[] best = new int[N];
        int n = top.drainSorted(best, new float[N]);

        long[] keys = new long[cells.count];
        cells.rank(query, new float[cells.count], keys); // the best cell last
        int[] stepOf = new int[cells.count];
        long before = 0;
        for (int r = cells.count - 1; r >= 0; r--) {
            int c = TopSelect.item(keys[r]);
            // probed at share x while before < ceil(x · inCells), i.e. from x > before / inCells
            stepOf[c] = (int) Math.min(steps, before * steps / inCells + 1);
            before += cells.sizes[c];
        }
        int[] needed = new int[n];
        for (int r = 0; r < n; r++) needed[r] = best[r] < inCells ? stepOf[cellOfSlot[best[r]]] : 0; // no cell: always screened
        return needed;
    }
}
