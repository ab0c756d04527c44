package io.streamrec.model;

/**
 * Batch user factors, row i for {@code userIds[i]}: rating bias, rating vector (ratingDim wide) and retrieval vector
 * (dim wide), flat row-major. Written to {@code users.csv}; with their training {@link History}, also to
 * {@code users.avro}, the warm starts the app adopts.
 */
public record UserVectors(long[] userIds, float[] ratingBias, float[] ratingVectors, float[] retrievalVectors,
                          History history) {
    /**
     * What the training data says of each user, row i for {@code userIds[i]}: event and rating counts, rating sum,
     * last event time, the movies consumed, oldest first, and the user's latest rating of each (NaN for a movie only
     * watched; {@code seenRatings} null when not known). A user with no event is not known (not published).
     */
    public record History(long[] events, long[] ratings, double[] ratingSum, long[] lastEventTime, int[][] seenOldestFirst,
                          float[][] seenRatings) {
        /** A history without ratings of the seen movies. */
        public History(long[] events, long[] ratings, double[] ratingSum, long[] lastEventTime, int[][] seenOldestFirst) {
            this(events, ratings, ratingSum, lastEventTime, seenOldestFirst, null);
        }
    }

    /** Factors without history (no warm starts written). */
    public UserVectors(long[] userIds, float[] ratingBias, float[] ratingVectors, float[] retrievalVectors) {
        this(userIds, ratingBias, ratingVectors, retrievalVectors, null);
    }

    public UserVectors {
        int n = userIds.length;
        if (ratingBias.length != n) throw new IllegalArgumentException("one rating bias per user");
        if (history != null && (history.events().length != n || history.seenOldestFirst().length != n)) {
            throw new IllegalArgumentException("one history row per user");
        }
        if (n > 0 && (ratingVectors.length % n != 0 || retrievalVectors.length % n != 0)) {
            throw new IllegalArgumentException("vectors must be users × dimension");
        }
    }

    public static UserVectors none() {
        return new UserVectors(new long[0], new float[0], new float[0], new float[0]);
    }

    public int count() {
        return userIds.length;
    }
}
