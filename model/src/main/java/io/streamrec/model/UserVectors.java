package io.streamrec.model;

/**
 * Batch user factors, row i for {@code userIds[i]}: rating bias, rating vector (ratingDim wide) and retrieval vector
 * (dim wide), flat row-major. Written to {@code users.csv}.
 */
public record UserVectors(long[] userIds, float[] ratingBias, float[] ratingVectors, float[] retrievalVectors) {
    public UserVectors {
        int n = userIds.length;
        if (ratingBias.length != n) throw new IllegalArgumentException("one rating bias per user");
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
