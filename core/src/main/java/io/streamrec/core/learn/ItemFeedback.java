package io.streamrec.core.learn;

/**
 * What one event teaches its movie, recorded by {@link OnlineLearner} from the user's side and
 * applied to the movie's vectors by {@link OnlineItemLearner}, with the user held fixed: the
 * rating residual with the user's rating vector before the step, and the summed BPR gradient
 * scale with the user's retrieval vector before the step. It carries the user's vectors rather
 * than a finished delta so the owner of the movie's vector (another task, later) applies the step
 * to the vector it holds then. A mutable buffer, reused per event so the hot path allocates nothing.
 */
public final class ItemFeedback {
    private final float[] userRatingVector;
    private final float[] userRetrievalVector;
    private int movieId;
    private int item = -1;
    private float ratingError = Float.NaN;
    private float retrievalGradient;

    public ItemFeedback(int ratingDim, int retrievalDim) {
        this.userRatingVector = new float[ratingDim];
        this.userRetrievalVector = new float[retrievalDim];
    }

    /** Clears the buffer for a new event on {@code movieId} (dense index {@code item}, −1 if unknown). */
    public void reset(int movieId, int item) {
        this.movieId = movieId;
        this.item = item;
        this.ratingError = Float.NaN;
        this.retrievalGradient = 0f;
    }

    /**
     * Refills the buffer from a feedback message that crossed the wire: the user's vectors are written into
     * {@link #userRatingVector()} and {@link #userRetrievalVector()} by the caller, before or after this call.
     */
    public void restore(int movieId, int item, float ratingError, float retrievalGradient) {
        this.movieId = movieId;
        this.item = item;
        this.ratingError = ratingError;
        this.retrievalGradient = retrievalGradient;
    }

    void rating(float err, float[] p, int pOff) {
        ratingError = err;
        System.arraycopy(p, pOff, userRatingVector, 0, userRatingVector.length);
    }

    void retrievalVector(float[] u, int uOff) {
        System.arraycopy(u, uOff, userRetrievalVector, 0, userRetrievalVector.length);
    }

    void addRetrievalGradient(float g) {
        retrievalGradient += g;
    }

    public int movieId() { return movieId; }
    public int item() { return item; }
    /** The weighted residual r − r̂ before the step, NaN when the event had no rating. */
    public float ratingError() { return ratingError; }
    public float[] userRatingVector() { return userRatingVector; }
    /**
     * Σ over the sampled negatives of the BPR gradient scale w·σ(−(s_ui − s_uj)), times the user's activity weight
     * ({@link OnlineConfig#itemWeight}); 0 when no step was made.
     */
    public float retrievalGradient() { return retrievalGradient; }
    public float[] userRetrievalVector() { return userRetrievalVector; }
    public boolean hasRating() { return !Float.isNaN(ratingError); }
    /** Whether there is anything to apply (a known, trained movie and at least one step). */
    public boolean isEmpty() { return item < 0 || (!hasRating() && retrievalGradient == 0f); }
}
