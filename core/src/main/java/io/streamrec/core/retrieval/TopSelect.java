package io.streamrec.core.retrieval;

import java.util.Arrays;

/**
 * Top-n selection for when n is a large share of the candidates (200 of a 1,682-movie catalogue):
 * a bounded heap there re-sifts on most offers (JFR: 12% of the stream thread in
 * {@code TopK.siftDown}), while selecting once is linear. Each (score, index) is packed into one
 * {@code long} that orders like the ranking (higher score first, then lower index), so selection
 * and the final sort run on a primitive array with no comparator and no boxing. Hand-written
 * because it is the inner loop of every event and the JDK has no partial sort on primitives.
 * One instance per thread.
 */
public final class TopSelect {
    private long[] keys = new long[0];
    private int size;

    /** Starts a selection over at most {@code capacity} candidates. */
    public void reset(int capacity) {
        if (keys.length < capacity) keys = new long[capacity];
        size = 0;
    }

    public void add(int item, float score) {
        keys[size++] = key(item, score);
    }

    public int size() {
        return size;
    }

    /** Writes the best {@code n} added (score desc, index asc) into the arrays; returns how many. */
    public int drainBest(int n, int[] itemsOut, float[] scoresOut) {
        int m = Math.min(n, size);
        if (m == 0) return 0;
        // the m largest keys to keys[size-m .. size), then sort that tail ascending
        if (m < size) select(keys, 0, size - 1, size - m);
        Arrays.sort(keys, size - m, size);
        for (int r = 0; r < m; r++) {
            long k = keys[size - 1 - r];
            itemsOut[r] = item(k);
            scoresOut[r] = score(k);
        }
        size = 0;
        return m;
    }

    static long key(int item, float score) {
        if (score == 0f) score = 0f; // -0.0 ties with 0.0, as in TopK
        int bits = Float.floatToIntBits(score);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // signed-int order = float order
        return ((long) sortable << 32) | (0xFFFFFFFFL - (item & 0xFFFFFFFFL));
    }

    static int item(long key) {
        return (int) (0xFFFFFFFFL - (key & 0xFFFFFFFFL));
    }

    static float score(long key) {
        int sortable = (int) (key >> 32);
        return Float.intBitsToFloat(sortable ^ ((sortable >> 31) & 0x7fffffff));
    }

    /**
     * The n-th largest of {@code values[0..count)} (1 ≤ n ≤ count), by a linear selection on packed keys written to
     * {@code keys} (at least count long; scratch, so a caller's hot loop allocates nothing).
     */
    static float nthLargest(float[] values, int count, int n, long[] keys) {
        for (int i = 0; i < count; i++) keys[i] = key(i, values[i]);
        select(keys, 0, count - 1, count - n);
        return score(keys[count - n]);
    }

    /** Buckets of {@link #atMostNthLargest}: enough that the bucket holding the n-th largest holds few others. */
    static final int BUCKETS = 256;

    /**
     * A value t of {@code values[0..count)} (1 ≤ n ≤ count, no NaN) with at least n values ≥ t and t ≤ the n-th
     * largest: a threshold that keeps the n best and a few more. One histogram over [min, max] instead of a
     * quickselect: about half the CPU for the float scan's ~600 block maxima (the quickselect's compare-and-swap loop
     * mispredicts on most steps; this is three straight passes), at the price of the other values that share the
     * n-th largest's bucket. {@code counts} is scratch of at least {@link #BUCKETS} ints.
     */
    static float atMostNthLargest(float[] values, int count, int n, int[] counts) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        if (!(max > min) || min == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY) {
            return min; // all equal (every value ≥ min), or infinities the buckets cannot split: no cut
        }
        float scale = (BUCKETS - 1) / (max - min);
        Arrays.fill(counts, 0, BUCKETS, 0);
        for (int i = 0; i < count; i++) counts[(int) ((values[i] - min) * scale)]++;
        int b = BUCKETS - 1;
        for (int seen = counts[b]; seen < n; seen += counts[b]) b--;
        // the smallest value in buckets b and above: every value of those buckets is ≥ it, and there are ≥ n of them
        float t = Float.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            if ((int) ((values[i] - min) * scale) >= b) t = Math.min(t, values[i]);
        }
        return t;
    }

    /** Rearranges a[lo..hi] so that a[k] is the element of sorted rank k and a[k..hi] are >= it (iterative quickselect, median of three). */
    static void select(long[] a, int lo, int hi, int k) {
        while (hi > lo) {
            if (hi - lo < 16) {
                Arrays.sort(a, lo, hi + 1);
                return;
            }
            int mid = (lo + hi) >>> 1;
            if (a[mid] < a[lo]) swap(a, mid, lo);
            if (a[hi] < a[lo]) swap(a, hi, lo);
            if (a[hi] < a[mid]) swap(a, hi, mid);
            long pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
