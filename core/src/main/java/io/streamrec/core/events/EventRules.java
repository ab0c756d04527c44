package io.streamrec.core.events;

/**
 * What makes a rating or watch event valid, in one place: the topology's validator, the HTTP API and the data loaders
 * all ask here, so a producer gets the same answer whichever way its event arrives (documented in wire-format.md).
 * Each check returns {@code null} when the value is valid, or a message that starts with the field's name.
 */
public final class EventRules {
    /** Assumed running time when a watch event does not say (100 minutes). */
    public static final int DEFAULT_MOVIE_LENGTH_SECONDS = 6000;

    private EventRules() {}

    public static String checkUserId(long userId) {
        return userId < 0 ? "userId: must be >= 0, was " + userId : null;
    }

    public static String checkMovieId(long movieId) {
        return movieId < 0 ? "movieId: must be >= 0, was " + movieId : null;
    }

    public static String checkRating(float rating) {
        return RatingScale.contains(rating) ? null : "rating: must be in " + RatingScale.range() + ", was " + rating;
    }

    public static String checkSecondsWatched(long secondsWatched) {
        return secondsWatched < 0 ? "secondsWatched: must be >= 0, was " + secondsWatched : null;
    }

    /** {@code null} (unknown) is valid; a given length must be positive. */
    public static String checkMovieLength(Integer movieLengthSeconds) {
        return movieLengthSeconds != null && movieLengthSeconds <= 0
                ? "movieLengthSeconds: must be > 0 when given, was " + movieLengthSeconds : null;
    }

    public static String checkEventTime(long eventTime, long now, long maxFutureSkewMs) {
        return eventTime > now + maxFutureSkewMs
                ? "eventTime: " + eventTime + " is more than " + maxFutureSkewMs + " ms in the future" : null;
    }

    /** The watch rule: seconds watched over the movie's length (default when unknown), clipped to [0, 1]. */
    public static float completion(int secondsWatched, Integer movieLengthSeconds) {
        int length = movieLengthSeconds == null || movieLengthSeconds <= 0 ? DEFAULT_MOVIE_LENGTH_SECONDS : movieLengthSeconds;
        return Math.max(0f, Math.min(1f, secondsWatched / (float) length));
    }

    /** The seconds a watch of {@code completion} reports over a default-length movie (replays of datasets). */
    public static int secondsWatched(float completion) {
        return Math.round(completion * DEFAULT_MOVIE_LENGTH_SECONDS);
    }
}
