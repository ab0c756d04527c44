package io.streamrec.core.retrieval;

import io.streamrec.core.simd.FloatKernels;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A partition of a catalogue into cells of items whose scores move together (an inverted-file index): a query then
 * screens only the cells whose mean score for it is highest, until they hold a given share of the items. For
 * maximum inner product (score = bias_i + q·v_i) the cells are k-means clusters of the items in the space where the
 * inner product becomes a distance: x_i = [v_i, bias_i, sqrt(M² − |v_i|² − bias_i²)] (every x_i has length M, so
 * the nearest centroid of x_i is the one with the largest x_i·c − |c|²/2). A cell is probed by its mean score,
 * bias_c + q·v_c (v_c, bias_c the means of its items), which is the score of the query [q, 1, 0] against its centroid.
 *
 * <p>Measured before building it (numpy simulation of the bench's catalogues, recall of the true top-200 by the
 * items in the probed cells): 1M × 32 generated, 1,024 cells, 0.94 at a fifth of the items and 0.97 at 30%; the
 * trained-like catalogue 0.95 at a tenth. Hand-written: a few hundred lines of k-means on primitive arrays; the
 * Java libraries that have it (Commons Math, Smile) take boxed points or a large dependency, and the assignment of
 * a million items to a thousand centroids is a hot loop at start-up (~35 G multiply-adds).
 *
 * <p>Items inactive when the cells are built (a catalogue's free slots) are in no cell: a scan keeps them apart and
 * screens them on every query, so a movie added online is never missed for its cell. An item whose vector changes
 * online keeps its cell while that cell's centroid is still its nearest ({@link #nearest}); one that moved to
 * another's is scored on every query from then on ({@link Int4ScreenRetriever#update}). The cells' means are not
 * updated.
 */
final class ItemCells {
    /** k-means rounds on the sample. */
    private static final int ROUNDS = 8;
    /** Sample points per cell for the rounds (the final assignment takes every item). */
    private static final int SAMPLE_PER_CELL = 32;

    /** Cell of each item; {@link #count} for an item in no cell (inactive at build). */
    final int[] cellOf;
    final int count;
    /** Each cell's mean vector (row-major, dim wide) and mean bias: its probe score is bias_c + q·v_c. */
    final float[] meanRows;
    final float[] meanBias;
    /** Items per cell. */
    final int[] sizes;
    /** The centroids in the augmented space, M² of that space, and a point's buffer for {@link #nearest} (one writer). */
    private final Nearest nearestCentroid;
    private final float m2;
    private final float[] point;

    private ItemCells(int[] cellOf, int count, float[] meanRows, float[] meanBias, int[] sizes, Nearest nearestCentroid, float m2, int dim) {
        this.cellOf = cellOf;
        this.count = count;
        this.meanRows = meanRows;
        this.meanBias = meanBias;
        this.sizes = sizes;
        this.nearestCentroid = nearestCentroid;
        this.m2 = m2;
        this.point = new float[dim + 2];
    }

    /**
     * The cell whose centroid is nearest to an item with this vector and bias: where the item would be put now. For
     * one writer at a time (the item updates' thread).
     */
    int nearest(float[] vector, int offset, float bias) {
        int dim = point.length - 2;
        System.arraycopy(vector, offset, point, 0, dim);
        augment(point, 0, bias, dim, m2);
        return nearestCentroid.of(point, 0);
    }

    /**
     * The cells in rising order of mean score for {@code query} (the best last) into {@code keys[0..count)}, each a
     * {@link TopSelect#key} of the cell and its score (−∞ for an empty cell): the order a query probes them in. The
     * screen's probe and the calibration of its share rank them here. {@code scores}: scratch of {@link #count} floats.
     */
    void rank(float[] query, float[] scores, long[] keys) {
        rankBest(query, scores, keys, count);
    }

    /**
     * As {@link #rank}, but only the best {@code wanted} cells are in order, at {@code keys[count - wanted..count)}; the
     * others are before them in any order. A weak query probes one or two of 512 cells, and sorting them all was
     * about a tenth of its retrieval.
     */
    void rankBest(float[] query, float[] scores, long[] keys, int wanted) {
        FloatKernels.blockScores(query, meanRows, meanBias, 0, count, point.length - 2, scores);
        for (int c = 0; c < count; c++) keys[c] = TopSelect.key(c, sizes[c] == 0 ? Float.NEGATIVE_INFINITY : scores[c]);
        int from = Math.max(0, count - wanted);
        if (from > 0) TopSelect.select(keys, 0, count - 1, from);
        Arrays.sort(keys, from, count); // 1,024 longs at most
    }

    /** About √(active items), a power of two between 16 and 1,024. */
    static int cellsFor(int activeItems) {
        int k = Integer.highestOneBit((int) Math.max(16, Math.sqrt(activeItems)));
        return Math.min(1024, k);
    }

    /** k-means cells of the active items ({@link #cellsFor} of them, fewer when there are fewer items). */
    static ItemCells of(float[] vectors, float[] bias, boolean[] active, int size, int dim, long seed) {
        int[] items = IntStream.range(0, size).filter(i -> active[i]).toArray();
        int k = Math.max(1, Math.min(cellsFor(items.length), items.length));
        int width = dim + 2;
        double maxSq = 0;
        for (int i : items) maxSq = Math.max(maxSq, squaredLength(vectors, i * dim, dim, bias[i]));
        float m2 = (float) maxSq;
        SplittableRandom rnd = new SplittableRandom(seed);
        // a partial shuffle: the first `sample` items are a uniform sample, the first k of them the starting centroids
        int sample = (int) Math.min(items.length, (long) k * SAMPLE_PER_CELL);
        int[] order = items.clone();
        for (int s = 0; s < sample; s++) {
            int r = s + rnd.nextInt(order.length - s);
            int t = order[s];
            order[s] = order[r];
            order[r] = t;
        }
        float[] points = new float[sample * width];
        for (int s = 0; s < sample; s++) augment(vectors, bias, order[s], dim, m2, points, s * width);
        float[] centroids = Arrays.copyOf(points, k * width);
        int[] assigned = new int[sample];
        for (int round = 0; round < ROUNDS && sample > 0; round++) { // no active item: one empty cell
            Nearest nearest = new Nearest(centroids, k, width);
            IntStream.range(0, sample).parallel().forEach(s -> assigned[s] = nearest.of(points, s * width));
            centroids = means(points, assigned, sample, k, width, rnd);
        }
        Nearest nearest = new Nearest(centroids, k, width);
        int[] cellOf = new int[size];
        Arrays.fill(cellOf, k);
        IntStream.range(0, (items.length + 4095) / 4096).parallel().forEach(chunk -> {
            float[] x = new float[width];
            for (int r = chunk * 4096, end = Math.min(items.length, r + 4096); r < end; r++) {
                int i = items[r];
                augment(vectors, bias, i, dim, m2, x, 0);
                cellOf[i] = nearest.of(x, 0);
            }
        });
        float[] meanRows = new float[k * dim];
        float[] meanBias = new float[k];
        int[] sizes = new int[k];
        for (int i : items) {
            int c = cellOf[i];
            sizes[c]++;
            meanBias[c] += bias[i];
            for (int f = 0; f < dim; f++) meanRows[c * dim + f] += vectors[i * dim + f];
        }
        for (int c = 0; c < k; c++) {
            if (sizes[c] == 0) continue;
            meanBias[c] /= sizes[c];
            for (int f = 0; f < dim; f++) meanRows[c * dim + f] /= sizes[c];
        }
        return new ItemCells(cellOf, k, meanRows, meanBias, sizes, nearest, m2, dim);
    }

    /** |v|² + bias² of {@code v[off..off + dim)} and {@code bias}. */
    private static double squaredLength(float[] v, int off, int dim, float bias) {
        double s = (double) bias * bias;
        for (int f = 0; f < dim; f++) s += (double) v[off + f] * v[off + f];
        return s;
    }

    /** x = [v_i, bias_i, sqrt(M² − |v_i|² − bias_i²)] into {@code out[off..off + dim + 2)}. */
    private static void augment(float[] vectors, float[] bias, int i, int dim, float m2, float[] out, int off) {
        System.arraycopy(vectors, i * dim, out, off, dim);
        augment(out, off, bias[i], dim, m2);
    }

    /** The same for a vector already in {@code out[off..off + dim)}: an item larger than every one at build gets 0. */
    private static void augment(float[] out, int off, float bias, int dim, float m2) {
        out[off + dim] = bias;
        out[off + dim + 1] = (float) Math.sqrt(Math.max(0, m2 - squaredLength(out, off, dim, bias)));
    }

    /** The mean of each cell's points; a cell left empty restarts at a random point. */
    private static float[] means(float[] points, int[] assigned, int sample, int k, int width, SplittableRandom rnd) {
        float[] sums = new float[k * width];
        int[] counts = new int[k];
        for (int s = 0; s < sample; s++) {
            int c = assigned[s];
            counts[c]++;
            for (int f = 0; f < width; f++) sums[c * width + f] += points[s * width + f];
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                System.arraycopy(points, rnd.nextInt(sample) * width, sums, c * width, width);
                continue;
            }
            for (int f = 0; f < width; f++) sums[c * width + f] /= counts[c];
        }
        return sums;
    }

    /**
     * The nearest centroid of a point: argmax over c of x·c − |c|²/2, with the centroids stored by dimension so the
     * inner loop runs over the cells (C2 vectorises {@code acc[c] += x_f · t[f][c]}; one thread-local accumulator).
     */
    private static final class Nearest {
        private final float[] byDimension;
        private final float[] negHalfSquare;
        private final int k;
        private final int width;
        private final ThreadLocal<float[]> acc;

        Nearest(float[] centroids, int k, int width) {
            this.k = k;
            this.width = width;
            this.byDimension = new float[k * width];
            this.negHalfSquare = new float[k];
            for (int c = 0; c < k; c++) {
                float sq = 0f;
                for (int f = 0; f < width; f++) {
                    float x = centroids[c * width + f];
                    byDimension[f * k + c] = x;
                    sq += x * x;
                }
                negHalfSquare[c] = -0.5f * sq;
            }
            this.acc = ThreadLocal.withInitial(() -> new float[k]);
        }

        int of(float[] x, int off) {
            float[] a = acc.get();
            System.arraycopy(negHalfSquare, 0, a, 0, k);
            for (int f = 0; f < width; f++) {
                float xf = x[off + f];
                int base = f * k;
                for (int c = 0; c < k; c++) a[c] += xf * byDimension[base + c];
            }
            int best = 0;
            for (int c = 1; c < k; c++) if (a[c] > a[best]) best = c;
            return best;
        }
    }
}
