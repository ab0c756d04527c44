package io.streamrec.app.topology;

/** A rating or watch event that passed validation; rating is NaN for a watch, completion NaN for a rating. */
public record ValidatedEvent(long userId, int movieId, float rating, float completion, long eventTime) {
    /** Assumed running time when a watch event does not say (100 minutes). */
    public static final int DEFAULT_MOVIE_LENGTH_SECONDS = 6000;

    /** The watch rule: seconds watched over the movie's length (default when unknown), clipped to [0, 1]. */
    public static float completion(int secondsWatched, Integer movieLengthSeconds) {
        int length = movieLengthSeconds == null || movieLengthSeconds <= 0 ? DEFAULT_MOVIE_LENGTH_SECONDS : movieLengthSeconds;
        return Math.max(0f, Math.min(1f, secondsWatched / (float) length));
    }

    public boolean isRating() {
        return !Float.isNaN(rating);
    }
}
