package io.streamrec.trainer.data;

import java.util.Arrays;

/**
 * An immutable, columnar store of user events: one primitive array per field, so tens of millions
 * of events (ml-25m) fit in memory without a boxed object per event.
 *
 * <p>{@code rating(i)} is NaN for a watch without a rating; {@code completion(i)} is NaN for a rating.
 * {@code line(i)} is the event's position in its source (file order or generation order); it never
 * changes under {@link #sortedByTime()} or {@link #subset(int[])}, so it breaks timestamp ties stably.
 */
public final class Interactions {
    private static final EventKind[] KINDS = EventKind.values();

    private final int size;
    private final int[] users;
    private final int[] movies;
    private final float[] ratings;
    private final float[] completions;
    private final long[] timestamps;
    private final byte[] kinds;
    private final int[] lines;

    private Interactions(int size, int[] users, int[] movies, float[] ratings, float[] completions,
                         long[] timestamps, byte[] kinds, int[] lines) {
        this.size = size;
        this.users = users;
        this.movies = movies;
        this.ratings = ratings;
        this.completions = completions;
        this.timestamps = timestamps;
        this.kinds = kinds;
        this.lines = lines;
    }

    public static Builder builder() {
        return new Builder(1024);
    }

    public static Builder builder(int expectedSize) {
        return new Builder(expectedSize);
    }

    public int size() {
        return size;
    }

    public int userId(int i) {
        return users[check(i)];
    }

    public int movieId(int i) {
        return movies[check(i)];
    }

    /** Rating in stars, or NaN for a watch event without a rating. */
    public float rating(int i) {
        return ratings[check(i)];
    }

    /** Epoch milliseconds. */
    public long timestamp(int i) {
        return timestamps[check(i)];
    }

    public EventKind kind(int i) {
        return KINDS[kinds[check(i)]];
    }

    /** Fraction watched in [0, 1] for a watch event, NaN for a rating. */
    public float completion(int i) {
        return completions[check(i)];
    }

    /** Position in the original source; the stable tie-break for equal timestamps. */
    public int line(int i) {
        return lines[check(i)];
    }

    /** Events ordered by (timestamp, line): the replay order of the prequential protocol. */
    public Interactions sortedByTime() {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        // A merge sort on primitive indices: Arrays.sort on int[] takes no comparator, and boxing
        // 25M indices to use one would cost more than the data itself.
        mergeSort(order, new int[size], 0, size);
        return subset(order);
    }

    /** The events from index {@code from} (inclusive) to {@code to} (exclusive), in order: e.g. a time split of sorted events. */
    public Interactions slice(int from, int to) {
        if (from < 0 || to > size || from > to) throw new IndexOutOfBoundsException("slice " + from + ".." + to + " of " + size);
        return subset(java.util.stream.IntStream.range(from, to).toArray());
    }

    /** The events at the given indices, in that order (indices may repeat). */
    public Interactions subset(int[] indices) {
        int n = indices.length;
        int[] u = new int[n], m = new int[n], l = new int[n];
        float[] r = new float[n], c = new float[n];
        long[] t = new long[n];
        byte[] k = new byte[n];
        for (int j = 0; j < n; j++) {
            int i = check(indices[j]);
            u[j] = users[i];
            m[j] = movies[i];
            r[j] = ratings[i];
            c[j] = completions[i];
            t[j] = timestamps[i];
            k[j] = kinds[i];
            l[j] = lines[i];
        }
        return new Interactions(n, u, m, r, c, t, k, l);
    }

    /** Distinct user ids, ascending. */
    public int[] distinctUsers() {
        return Arrays.stream(users, 0, size).sorted().distinct().toArray();
    }

    /** Largest user id, or -1 when empty: lets callers size dense per-user arrays. */
    public int maxUserId() {
        return max(users);
    }

    /** Largest movie id, or -1 when empty. */
    public int maxMovieId() {
        return max(movies);
    }

    @Override
    public String toString() {
        return "Interactions[size=" + size + "]";
    }

    private int max(int[] column) {
        int m = -1;
        for (int i = 0; i < size; i++) {
            m = Math.max(m, column[i]);
        }
        return m;
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("event " + i + " of " + size);
        }
        return i;
    }

    private int compareByTime(int a, int b) {
        int c = Long.compare(timestamps[a], timestamps[b]);
        return c != 0 ? c : Integer.compare(lines[a], lines[b]);
    }

    /** Sorts idx[from, to) by (timestamp, line); stable, O(n log n). */
    private void mergeSort(int[] idx, int[] tmp, int from, int to) {
        if (to - from < 32) {
            for (int i = from + 1; i < to; i++) { // insertion sort for short runs
                int v = idx[i];
                int j = i - 1;
                while (j >= from && compareByTime(idx[j], v) > 0) {
                    idx[j + 1] = idx[j];
                    j--;
                }
                idx[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(idx, tmp, from, mid);
        mergeSort(idx, tmp, mid, to);
        if (compareByTime(idx[mid - 1], idx[mid]) <= 0) {
            return; // already in order: common, since sources are mostly time-ordered per user
        }
        System.arraycopy(idx, from, tmp, from, to - from);
        int i = from, j = mid, k = from;
        while (i < mid && j < to) {
            idx[k++] = compareByTime(tmp[j], tmp[i]) < 0 ? tmp[j++] : tmp[i++];
        }
        while (i < mid) {
            idx[k++] = tmp[i++];
        }
        while (j < to) {
            idx[k++] = tmp[j++];
        }
    }

    /** Appends events; arrays grow by doubling and are trimmed by {@link #build()}. */
    public static final class Builder {
        private int size;
        private int[] users;
        private int[] movies;
        private float[] ratings;
        private float[] completions;
        private long[] timestamps;
        private byte[] kinds;
        private int[] lines;

        private Builder(int capacity) {
            int c = Math.max(16, capacity);
            users = new int[c];
            movies = new int[c];
            ratings = new float[c];
            completions = new float[c];
            timestamps = new long[c];
            kinds = new byte[c];
            lines = new int[c];
        }

        /** An explicit rating; its line is the number of events added before it. */
        public Builder addRating(int userId, int movieId, float rating, long timestampMillis) {
            return add(userId, movieId, EventKind.RATING, rating, Float.NaN, timestampMillis, size);
        }

        /** A watch without a rating; its line is the number of events added before it. */
        public Builder addWatch(int userId, int movieId, float completion, long timestampMillis) {
            return add(userId, movieId, EventKind.WATCH, Float.NaN, completion, timestampMillis, size);
        }

        /** The general form: a watch may carry a rating too; {@code line} is set by the caller. */
        public Builder add(int userId, int movieId, EventKind kind, float rating, float completion,
                           long timestampMillis, int line) {
            if (kind == EventKind.WATCH && !(completion >= 0f && completion <= 1f)) {
                throw new IllegalArgumentException("watch completion must be in [0, 1]: " + completion);
            }
            if (kind == EventKind.RATING && Float.isNaN(rating)) {
                throw new IllegalArgumentException("a rating event needs a rating");
            }
            float c = kind == EventKind.RATING ? Float.NaN : completion;
            return append(userId, movieId, rating, c, timestampMillis, (byte) kind.ordinal(), line);
        }

        public int size() {
            return size;
        }

        public Interactions build() {
            return new Interactions(size, Arrays.copyOf(users, size), Arrays.copyOf(movies, size),
                    Arrays.copyOf(ratings, size), Arrays.copyOf(completions, size),
                    Arrays.copyOf(timestamps, size), Arrays.copyOf(kinds, size), Arrays.copyOf(lines, size));
        }

        private Builder append(int user, int movie, float rating, float completion, long ts, byte kind, int line) {
            if (size == users.length) {
                grow();
            }
            users[size] = user;
            movies[size] = movie;
            ratings[size] = rating;
            completions[size] = completion;
            timestamps[size] = ts;
            kinds[size] = kind;
            lines[size] = line;
            size++;
            return this;
        }

        private void grow() {
            int c = Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, 2L * users.length));
            users = Arrays.copyOf(users, c);
            movies = Arrays.copyOf(movies, c);
            ratings = Arrays.copyOf(ratings, c);
            completions = Arrays.copyOf(completions, c);
            timestamps = Arrays.copyOf(timestamps, c);
            kinds = Arrays.copyOf(kinds, c);
            lines = Arrays.copyOf(lines, c);
        }
    }
}
