package io.streamrec.app.topology;

/**
 * A rating or watch event that passed validation; rating is NaN for a watch, completion NaN for a rating; eventId
 * null when the producer gave none. {@code key} and {@code value} are the record's original bytes (not copied), for
 * the dead-letter topic should a later step refuse the event (a duplicate).
 */
public record ValidatedEvent(long userId, int movieId, float rating, float completion, long eventTime, String eventId,
                             byte[] key, byte[] value) {
    public boolean isRating() {
        return !Float.isNaN(rating);
    }
}
