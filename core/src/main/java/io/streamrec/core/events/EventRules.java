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

    /** Longest event id accepted, in characters. */
    public static final int MAX_EVENT_ID_CHARS = 128;

    /** {@code null} (no id) is valid; a given id is 1 to 128 characters without control characters. */
    public static String checkEventId(String eventId) {
        if (eventId == null) return null;
        if (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID_CHARS) {
            return "eventId: must be 1 to " + MAX_EVENT_ID_CHARS + " characters when given, was " + eventId.length();
        }
        for (int i = 0; i < eventId.length(); i++) {
            if (Character.isISOControl(eventId.charAt(i))) return "eventId: must not contain control characters";
        }
        return null;
    }

    /**
     * The 64-bit hash a user's state remembers an event id by (FNV-1a over the UTF-16 chars, then MurmurHash3's
     * finaliser to spread the bits): 8 bytes per id in the state instead of the string, no allocation per event.
     * Written by hand because it runs per event and is ten lines. Two different ids of one user collide with
     * probability about n / 2^64 for n remembered ids; ids are chosen by the user's own producer.
     */
    public static long eventIdHash(String eventId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < eventId.length(); i++) {
            h ^= eventId.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
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
