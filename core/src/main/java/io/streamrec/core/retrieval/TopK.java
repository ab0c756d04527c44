package io.streamrec.core.retrieval;

/**
 * A reusable bounded min-heap of (item index, score) in primitive arrays: the n best items seen
 * so far, the worst at the root. Ties rank the lower index first, so results are deterministic.
 * One instance per thread; {@link #reset} makes it reusable without allocation.
 */
public final class TopK {
    private final int[] items;
    private final float[] scores;
    private int capacity;
    private int size;

    public TopK(int maxCapacity) {
        items = new int[maxCapacity];
        scores = new float[maxCapacity];
        capacity = maxCapacity;
    }

    public void reset(int n) {
        if (n > items.length) throw new IllegalArgumentException("n=" + n + " exceeds capacity " + items.length);
        capacity = n;
        size = 0;
    }

    /** The largest n {@link #reset} accepts. */
    public int maxCapacity() {
        return items.length;
    }

    public int size() {
        return size;
    }

    /** True when (s1, i1) ranks below (s2, i2). */
    private static boolean worse(float s1, int i1, float s2, int i2) {
        return s1 < s2 || (s1 == s2 && i1 > i2);
    }

    public void offer(int item, float score) {
        if (size < capacity) {
            int i = size++;
            items[i] = item;
            scores[i] = score;
            siftUp(i);
        } else if (capacity > 0 && worse(scores[0], items[0], score, item)) {
            items[0] = item;
            scores[0] = score;
            siftDown(0);
        }
    }

    /** The current worst score kept, or -infinity while not full (for early rejection). */
    public float threshold() {
        if (capacity == 0) return Float.POSITIVE_INFINITY;
        return size < capacity ? Float.NEGATIVE_INFINITY : scores[0];
    }

    /**
     * Empties the heap into the arrays, best first. Returns the count written.
     */
    public int drainSorted(int[] itemsOut, float[] scoresOut) {
        int n = size;
        for (int k = n - 1; k >= 0; k--) {
            itemsOut[k] = items[0];
            scoresOut[k] = scores[0];
            size--;
            items[0] = items[size];
            scores[0] = scores[size];
            siftDown(0);
        }
        return n;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(scores[i], items[i], scores[parent], items[parent])) break;
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1, r = l + 1, m = i;
            if (l < size && worse(scores[l], items[l], scores[m], items[m])) m = l;
            if (r < size && worse(scores[r], items[r], scores[m], items[m])) m = r;
            if (m == i) return;
            swap(i, m);
            i = m;
        }
    }

    private void swap(int a, int b) {
        int ti = items[a]; items[a] = items[b]; items[b] = ti;
        float ts = scores[a]; scores[a] = scores[b]; scores[b] = ts;
    }
}
