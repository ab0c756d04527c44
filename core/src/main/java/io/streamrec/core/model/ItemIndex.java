package io.streamrec.core.model;

import java.util.Arrays;

/**
 * Maps sparse movie ids to dense indexes 0..n-1 in ascending id order, so "ties to the lower
 * index" is "ties to the lower movie id". Lookup is one array read in a dense id → index table
 * when the ids are compact enough (largest id below {@link #denseLimit}: at most 64 B per movie or
 * 4 MB), else a binary search on a primitive array. The serving path looks up every movie the user
 * has seen on every event (to exclude them), and a binary search over 10k ids is ~14 dependent
 * loads: the table is there for that loop (small hot-path code, no library needed).
 */
public final class ItemIndex {
    private final int[] ids;
    /** dense[movieId] = index or -1; null when the ids are too sparse (then binary search). */
    private final int[] dense;

    private ItemIndex(int[] sortedDistinctIds) {
        this.ids = sortedDistinctIds;
        int n = ids.length;
        if (n > 0 && ids[0] >= 0 && ids[n - 1] < denseLimit(n)) {
            dense = new int[ids[n - 1] + 1];
            Arrays.fill(dense, -1);
            for (int i = 0; i < n; i++) dense[ids[i]] = i;
        } else {
            dense = null;
        }
    }

    /** The largest movie id + 1 a dense table is kept for, for {@code n} movies: max(16·n, 2^20) entries. */
    static long denseLimit(int n) {
        return Math.max(16L * n, 1L << 20);
    }

    public static ItemIndex of(int[] movieIds) {
        int[] sorted = Arrays.stream(movieIds).distinct().sorted().toArray();
        return new ItemIndex(sorted);
    }

    public int size() {
        return ids.length;
    }

    /** Dense index of a movie id, or -1 when unknown. */
    public int indexOf(int movieId) {
        if (dense != null) return movieId >= 0 && movieId < dense.length ? dense[movieId] : -1;
        int i = Arrays.binarySearch(ids, movieId);
        return i >= 0 ? i : -1;
    }

    /** Whether lookups use the dense table (for tests). */
    boolean dense() {
        return dense != null;
    }

    public int movieId(int index) {
        return ids[index];
    }

    public int[] movieIds() {
        return ids.clone();
    }
}
