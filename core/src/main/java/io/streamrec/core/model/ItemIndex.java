package io.streamrec.core.model;

import java.util.Arrays;

/**
 * Maps sparse movie ids to dense indexes 0..n-1 in ascending id order, so "ties to the lower
 * index" is "ties to the lower movie id". Lookup is a binary search on a primitive array.
 */
public final class ItemIndex {
    private final int[] ids;

    private ItemIndex(int[] sortedDistinctIds) {
        this.ids = sortedDistinctIds;
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
        int i = Arrays.binarySearch(ids, movieId);
        return i >= 0 ? i : -1;
    }

    public int movieId(int index) {
        return ids[index];
    }

    public int[] movieIds() {
        return ids.clone();
    }
}
