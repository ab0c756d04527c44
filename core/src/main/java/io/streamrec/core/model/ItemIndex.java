package io.streamrec.core.model;

import java.util.Arrays;

/**
 * Maps sparse movie ids to dense indexes ("slots") 0..size-1. The movies a model was loaded with take slots
 * 0..{@link #loaded()}-1 in ascending id order, so among them "ties to the lower index" is "ties to the lower movie
 * id". Lookup is one array read in a dense id → index table when the ids are compact enough (largest id below
 * {@link #denseLimit}: at most 64 B per movie or 4 MB), else a binary search on a primitive array. The serving path
 * looks up every movie the user has seen on every event (to exclude them), and a binary search over 10k ids is ~14
 * dependent loads: the table is there for that loop (small hot-path code, no library needed).
 *
 * <p><b>Room for new movies.</b> An index may keep {@code headroom} free slots after the loaded movies: a movie the
 * model did not know when it was loaded (a cold-start movie from the catalogue topic) is given the next free slot by
 * {@link #reserve()} and made visible by {@link #publish(int, int)}, in that order, by one writer thread; lookups from
 * any thread see a published movie with everything the writer wrote before publishing it (the added ids are an
 * immutable sorted snapshot behind a volatile reference, replaced on each publish: O(added) per new movie, and a
 * lookup that misses the loaded movies costs one volatile read and a binary search over the added ones). Added movies
 * take slots in arrival order, not id order.
 */
public final class ItemIndex {
    private final int[] ids;
    /** dense[movieId] = index or -1; null when the ids are too sparse (then binary search). */
    private final int[] dense;
    /** Slot count: loaded movies plus headroom. */
    private final int capacity;
    /** Movie id per slot (loaded and added), -1 for a free slot; written by the one writer before publishing. */
    private final int[] slotIds;
    /** Next free slot (the writer's). */
    private int next;
    private volatile Added added = Added.NONE;

    /** Added movies: ids ascending with their slots, immutable. */
    private record Added(int[] ids, int[] slots) {
        static final Added NONE = new Added(new int[0], new int[0]);

        int indexOf(int movieId) {
            int i = Arrays.binarySearch(ids, movieId);
            return i >= 0 ? slots[i] : -1;
        }

        Added with(int movieId, int slot) {
            int at = -Arrays.binarySearch(ids, movieId) - 1;
            int[] i2 = new int[ids.length + 1], s2 = new int[ids.length + 1];
            System.arraycopy(ids, 0, i2, 0, at);
            System.arraycopy(slots, 0, s2, 0, at);
            i2[at] = movieId;
            s2[at] = slot;
            System.arraycopy(ids, at, i2, at + 1, ids.length - at);
            System.arraycopy(slots, at, s2, at + 1, ids.length - at);
            return new Added(i2, s2);
        }
    }

    private ItemIndex(int[] sortedDistinctIds, int headroom) {
        if (headroom < 0) throw new IllegalArgumentException("headroom must be >= 0, was " + headroom);
        this.ids = sortedDistinctIds;
        int n = ids.length;
        if (n > 0 && ids[0] >= 0 && ids[n - 1] < denseLimit(n)) {
            dense = new int[ids[n - 1] + 1];
            Arrays.fill(dense, -1);
            for (int i = 0; i < n; i++) dense[ids[i]] = i;
        } else {
            dense = null;
        }
        this.capacity = Math.addExact(n, headroom);
        this.slotIds = Arrays.copyOf(ids, capacity);
        Arrays.fill(slotIds, n, capacity, -1);
        this.next = n;
    }

    /** The largest movie id + 1 a dense table is kept for, for {@code n} movies: max(16·n, 2^20) entries. */
    static long denseLimit(int n) {
        return Math.max(16L * n, 1L << 20);
    }

    public static ItemIndex of(int[] movieIds) {
        return of(movieIds, 0);
    }

    /** An index of these movies with {@code headroom} free slots for movies added later. */
    public static ItemIndex of(int[] movieIds, int headroom) {
        int[] sorted = Arrays.stream(movieIds).distinct().sorted().toArray();
        return new ItemIndex(sorted, headroom);
    }

    /** Slots, used or free: every per-item array of a model is this long. */
    public int size() {
        return capacity;
    }

    /** Movies the index was made with (slots 0..loaded-1). */
    public int loaded() {
        return ids.length;
    }

    /** Movies added since (each in a slot from {@link #loaded()} on). */
    public int addedCount() {
        return added.ids().length;
    }

    /** Free slots left for movies added later. */
    public int free() {
        return capacity - ids.length - addedCount();
    }

    /** Dense index of a movie id, or -1 when unknown. */
    public int indexOf(int movieId) {
        int i;
        if (dense != null) i = movieId >= 0 && movieId < dense.length ? dense[movieId] : -1;
        else {
            i = Arrays.binarySearch(ids, movieId);
            if (i < 0) i = -1;
        }
        if (i >= 0 || capacity == ids.length) return i;
        Added a = added;
        return a.ids().length == 0 ? -1 : a.indexOf(movieId);
    }

    /** Whether lookups use the dense table (for tests). */
    boolean dense() {
        return dense != null;
    }

    /** The movie in a slot, or -1 for a free slot. */
    public int movieId(int index) {
        return slotIds[index];
    }

    /** The movie ids of the used slots, in slot order. */
    public int[] movieIds() {
        return Arrays.copyOf(slotIds, ids.length + addedCount());
    }

    /**
     * The one writer's first step in adding a movie: the slot it will take, or -1 when there is no room. Nobody finds
     * the movie until {@link #publish}; reserving again without publishing returns the same slot.
     */
    public int reserve() {
        return next < capacity ? next : -1;
    }

    /**
     * Makes {@code movieId} findable at {@code slot}, the slot {@link #reserve()} returned; call it after the slot's
     * vectors and flags are written, so a reader that finds the movie sees them.
     */
    public void publish(int movieId, int slot) {
        if (slot != next || slot >= capacity) throw new IllegalStateException("slot " + slot + " was not reserved (next free: " + next + ")");
        if (indexOf(movieId) >= 0) throw new IllegalArgumentException("movie " + movieId + " is already in the index");
        slotIds[slot] = movieId;
        next++;
        added = added.with(movieId, slot);
    }
}
