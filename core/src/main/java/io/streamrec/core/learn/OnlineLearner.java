package io.streamrec.core.learn;

import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;

/**
 * Folds one event into a user's state with items held fixed: the step the streaming processor
 * applies per event and the trainer's serving simulation uses.
 * <ul>
 *   <li>A rating r moves the rating vector and bias by one SGD step on (r − r̂)².</li>
 *   <li>Every event (rating or watch) is an implicit positive for retrieval: one BPR step of
 *       the retrieval vector against {@code negatives} sampled trained items, weighted by w.
 *       For a rating w = 1; for a watch w = max(minWatchWeight, completion), so a movie
 *       abandoned after a few minutes says little and a finished one counts like a rating.
 *       Watches do not touch the rating model: they carry no rating.</li>
 * </ul>
 * Negatives are drawn from a generator seeded by (user id, event count), so replaying the same
 * events gives bit-identical states: a restarted or replayed task cannot drift.
 */
public final class OnlineLearner {
    private final RecommenderModel model;
    private final OnlineConfig config;
    private final int[] trainedItems;

    public OnlineLearner(RecommenderModel model) {
        this.model = model;
        this.config = model.online();
        trainedItems = model.trainedAtLoad(); // not movies given vectors since: a replay stays bit-identical
    }

    /** r̂ before learning; an unknown or untrained item falls back to μ + b_u. */
    public float predictRating(UserState s, int item) {
        float mu = model.globalMean();
        if (item < 0 || !model.trained(item)) return mu + s.ratingBias();
        int d = model.ratingDim();
        return BiasedMf.predict(mu, s.ratingBias(), model.ratingBias(item), s.ratingVector(), 0,
                model.ratingVectors(), item * d, d);
    }

    public float watchWeight(float completion) {
        float c = Float.isNaN(completion) ? 1f : Math.max(0f, Math.min(1f, completion));
        return Math.max(config.minWatchWeight(), c);
    }

    /**
     * Applies one event. {@code item} is the dense index or −1 for a movie the model does not
     * know (the event is still counted and remembered); {@code rating} is NaN for a watch.
     */
    public void learn(long userId, UserState s, int movieId, int item, float rating, float completion, long eventTime) {
        learn(userId, s, movieId, item, rating, completion, eventTime, null);
    }

    /**
     * As {@link #learn(long, UserState, int, int, float, float, long)}, and records in
     * {@code feedback} (when not null) what the event teaches the movie: the residual and the
     * BPR gradient scales, with the user's vectors before their step ({@link OnlineItemLearner}).
     * The user's step is the same with or without it.
     */
    public void learn(long userId, UserState s, int movieId, int item, float rating, float completion, long eventTime,
                      ItemFeedback feedback) {
        int d = model.ratingDim();
        boolean known = item >= 0 && model.trained(item);
        if (feedback != null) feedback.reset(movieId, known ? item : -1);
        if (known) {
            // a movie given vectors after the model was made (mapped from its genres and year): the user's step is
            // scaled (manifest map's mappedUserStep; 1 for trained movies); the movie's own feedback is not
            float userFactor = model.userStepFactor(item);
            if (!Float.isNaN(rating)) {
                float err = rating - predictRating(s, item);
                if (feedback != null) feedback.rating(err, s.ratingVector(), 0);
                if (userFactor > 0f) {
                    s.ratingBias(BiasedMf.userStep(err * userFactor, s.ratingVector(), 0, s.ratingBias(), model.ratingVectors(),
                            item * d, d, config.rating()));
                }
            }
            float w = Float.isNaN(rating) ? watchWeight(completion) : 1f;
            if (feedback != null) feedback.retrievalVector(s.retrievalVector(), 0);
            bprSteps(userId, s, item, w, feedback, userFactor);
        }
        s.countEvent(rating, eventTime);
        s.addSeen(movieId);
    }

    private void bprSteps(long userId, UserState s, int pos, float weight, ItemFeedback feedback, float userFactor) {
        if (trainedItems.length < 2) return;
        int d = model.dim();
        float[] u = s.retrievalVector(), v = model.retrievalVectors(), c = model.retrievalBiases();
        long seed = firstDraw(userId, s.eventCount());
        float itemWeight = config.itemWeight(s.eventCount());
        for (int k = 0; k < config.negatives(); k++) {
            seed = nextDraw(seed, k);
            int neg = drawn(seed);
            if (neg == pos) continue;
            float sp = ImplicitMf.score(u, 0, v, pos * d, c[pos], d);
            float sn = ImplicitMf.score(u, 0, v, neg * d, c[neg], d);
            float g = ImplicitMf.bprGradient(sp, sn, weight);
            if (feedback != null) feedback.addRetrievalGradient(g * itemWeight);
            if (userFactor > 0f) ImplicitMf.userStep(g * userFactor, u, 0, v, pos * d, neg * d, d, config.retrieval());
        }
    }

    /**
     * The trained item the user step draws as its k-th negative (0-based) for the event that follows {@code eventCount}
     * events of user {@code userId} (it skips a draw equal to the event's movie); for studies that move the negatives'
     * item vectors as the user step saw them. Needs at least two trained items, as the step does.
     */
    public int negative(long userId, long eventCount, int k) {
        long seed = firstDraw(userId, eventCount);
        for (int j = 0; j <= k; j++) seed = nextDraw(seed, j);
        return drawn(seed);
    }

    /** Where a user's draws of negatives for one event start: (user id, events before it), so replays draw the same. */
    private static long firstDraw(long userId, long eventCount) {
        return mix(userId * 0x9E3779B97F4A7C15L + eventCount);
    }

    private static long nextDraw(long seed, int k) {
        return mix(seed + k + 1);
    }

    private int drawn(long seed) {
        return trainedItems[(int) Long.remainderUnsigned(seed, trainedItems.length)];
    }

    /** SplitMix64 finaliser: a cheap, well-mixed deterministic hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
