package io.streamrec.app.topology;

/** A rating or watch event that passed validation; rating is NaN for a watch, completion NaN for a rating. */
public record ValidatedEvent(long userId, int movieId, float rating, float completion, long eventTime) {
    public boolean isRating() {
        return !Float.isNaN(rating);
    }
}
