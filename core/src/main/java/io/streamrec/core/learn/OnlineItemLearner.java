package io.streamrec.core.learn;

/**
 * The item side of the online step, with the user held fixed: for the event's movie i,
 * <pre>
 *   q_i ← q_i + η_r·(e·p_u − λ_r·q_i),   b_i ← b_i + η_r·(e − λ_b·b_i)        (a rating, residual e)
 *   v_i ← v_i + η_v·(G·u − λ_v·v_i),     c_i ← c_i + η_v·(G − λ_c·c_i)        (every event, G = Σ BPR gradient scales)
 * </pre>
 * Only the positive movie moves: a sampled negative's update would be a message to another
 * movie's owner per negative, for a push that BPR's uniform sampling spreads thin over the whole
 * catalogue; the positive's bias rising with each event, held by its L2, is what keeps a
 * currently popular movie near the top. Pure function over caller-owned arrays; nothing allocated.
 */
public final class OnlineItemLearner {
    private OnlineItemLearner() {}

    /**
     * Applies {@code fb} to item {@code item}'s vectors in the given arrays (row-major: rating
     * vectors [items × ratingDim], retrieval vectors [items × dim]).
     */
    public static void apply(ItemFeedback fb, int item, float[] q, float[] ratingBias, float[] v, float[] retrievalBias,
                             OnlineConfig cfg) {
        int rd = fb.userRatingVector().length, d = fb.userRetrievalVector().length;
        if (fb.hasRating()) {
            ratingBias[item] = BiasedMf.itemStep(fb.ratingError(), q, item * rd, ratingBias[item], fb.userRatingVector(), 0, rd,
                    cfg.itemRating());
        }
        float g = fb.retrievalGradient();
        if (g != 0f) {
            retrievalBias[item] = BiasedMf.itemStep(g, v, item * d, retrievalBias[item], fb.userRetrievalVector(), 0, d,
                    cfg.itemRetrieval());
        }
    }
}
