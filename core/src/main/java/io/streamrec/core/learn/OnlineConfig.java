package io.streamrec.core.learn;

/**
 * How each event moves a user's state: the rating-model step, the retrieval (BPR) step and how
 * many sampled negatives it uses, and the bound on remembered seen items; and how it moves the
 * event's movie when items learn online too ({@link OnlineItemLearner}: {@code itemRating},
 * {@code itemRetrieval}, the retrieval part damped by the user's activity: an event of a user with n events before
 * it moves its movie's retrieval vector and bias with weight τ/(τ + n), τ = {@code itemDampingEvents}; 0: undamped).
 * The trainer chooses the steps on a time-ordered validation slice of its
 * training data and writes them into the model, so serving applies exactly what was evaluated.
 */
public record OnlineConfig(SgdParams rating, SgdParams retrieval, int negatives, int seenCapacity,
                           float minWatchWeight, SgdParams itemRating, SgdParams itemRetrieval, float itemDampingEvents) {
    /** Item-side steps used when a model (or a test) states none: small, so items move slower than users. */
    public static final SgdParams DEFAULT_ITEM_RATING = new SgdParams(0.005f, 0.05f, 0.01f);
    public static final SgdParams DEFAULT_ITEM_RETRIEVAL = new SgdParams(0.01f, 0.01f, 0.01f);

    public OnlineConfig {
        if (negatives < 1) throw new IllegalArgumentException("negatives must be >= 1");
        if (seenCapacity < 1) throw new IllegalArgumentException("seenCapacity must be >= 1");
        if (rating == null || retrieval == null) throw new IllegalArgumentException("rating and retrieval steps must be given");
        // a manifest written before items learned online has no item-side steps: the defaults
        if (itemRating == null) itemRating = DEFAULT_ITEM_RATING;
        if (itemRetrieval == null) itemRetrieval = DEFAULT_ITEM_RETRIEVAL;
        if (!(itemDampingEvents >= 0f)) throw new IllegalArgumentException("itemDampingEvents must be >= 0 (0: off)");
    }

    /** Without damping of the item retrieval step by user activity (a manifest written before it existed). */
    public OnlineConfig(SgdParams rating, SgdParams retrieval, int negatives, int seenCapacity, float minWatchWeight,
                        SgdParams itemRating, SgdParams itemRetrieval) {
        this(rating, retrieval, negatives, seenCapacity, minWatchWeight, itemRating, itemRetrieval, 0f);
    }

    /**
     * The weight of an event's item retrieval step for a user with {@code userEvents} events before it: τ/(τ + n), so
     * a bulk rater's thousandth event moves its movie far less than a new user's first; 1 when damping is off.
     */
    public float itemWeight(long userEvents) {
        return itemDampingEvents > 0f ? itemDampingEvents / (itemDampingEvents + userEvents) : 1f;
    }

    /** User-side settings only; the item-side steps take their defaults. */
    public OnlineConfig(SgdParams rating, SgdParams retrieval, int negatives, int seenCapacity, float minWatchWeight) {
        this(rating, retrieval, negatives, seenCapacity, minWatchWeight, DEFAULT_ITEM_RATING, DEFAULT_ITEM_RETRIEVAL);
    }

    public static OnlineConfig defaults() {
        return new OnlineConfig(new SgdParams(0.05f, 0.05f, 0.01f), new SgdParams(0.05f, 0.01f, 0.0f), 4, 1000, 0.1f);
    }

    public OnlineConfig withRating(SgdParams s) {
        return new OnlineConfig(s, retrieval, negatives, seenCapacity, minWatchWeight, itemRating, itemRetrieval, itemDampingEvents);
    }

    public OnlineConfig withRetrieval(SgdParams s) {
        return new OnlineConfig(rating, s, negatives, seenCapacity, minWatchWeight, itemRating, itemRetrieval, itemDampingEvents);
    }

    public OnlineConfig withItemRating(SgdParams s) {
        return new OnlineConfig(rating, retrieval, negatives, seenCapacity, minWatchWeight, s, itemRetrieval, itemDampingEvents);
    }

    public OnlineConfig withItemDamping(float events) {
        return new OnlineConfig(rating, retrieval, negatives, seenCapacity, minWatchWeight, itemRating, itemRetrieval, events);
    }

    public OnlineConfig withItemRetrieval(SgdParams s) {
        return new OnlineConfig(rating, retrieval, negatives, seenCapacity, minWatchWeight, itemRating, s, itemDampingEvents);
    }
}
