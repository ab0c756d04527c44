package io.streamrec.schemas;

import java.util.List;

/**
 * The reason codes a record sent to the dead-letter topic ({@value #TOPIC}) is tagged with, as documented in
 * {@code docs/wire-format.md}. A movie id missing from the catalogue is <em>not</em> a reason: such an event still
 * updates the user.
 */
public final class DlqReasons {

    /** Default name of the dead-letter topic. */
    public static final String TOPIC = "recommender-dlq";

    /** The value is not a well-formed single-object encoded record ({@link WireFormatException}). */
    public static final String DESERIALIZATION = "deserialization";
    /** The value's schema fingerprint is not a known version of the topic's record type. */
    public static final String UNKNOWN_SCHEMA = "unknown-schema";
    /** The record has no key. */
    public static final String NULL_KEY = "null-key";
    /** The key is not the canonical decimal id ({@link Keys}) or differs from the id in the value. */
    public static final String KEY_MISMATCH = "key-mismatch";
    /** A rating outside the rating scale [0.5, 5] (or not a number). */
    public static final String RATING_OUT_OF_RANGE = "rating-out-of-range";
    /** A negative user or movie id, or another out-of-range numeric field. */
    public static final String BAD_ID = "bad-id";
    /** An event time too far in the future. */
    public static final String FUTURE_TIMESTAMP = "future-timestamp";

    /** All reason codes. */
    /** A watch with negative seconds watched, or a movie length that is not positive. */
    public static final String WATCH_OUT_OF_RANGE = "watch-out-of-range";

    public static final List<String> ALL = List.of(DESERIALIZATION, UNKNOWN_SCHEMA, NULL_KEY, KEY_MISMATCH,
            RATING_OUT_OF_RANGE, WATCH_OUT_OF_RANGE, BAD_ID, FUTURE_TIMESTAMP);

    private DlqReasons() {}
}
