package io.streamrec.core.learn;

/**
 * How each event moves a user's state: the rating-model step, the retrieval (BPR) step and how
 * many sampled negatives it uses, and the bound on remembered seen items. The trainer picks
 * these and writes them into the model so serving applies exactly what was evaluated.
 */
public record OnlineConfig(SgdParams rating, SgdParams retrieval, int negatives, int seenCapacity,
                           float minWatchWeight) {
    public OnlineConfig {
        if (negatives < 1) throw new IllegalArgumentException("negatives must be >= 1");
        if (seenCapacity < 1) throw new IllegalArgumentException("seenCapacity must be >= 1");
    }

    public static OnlineConfig defaults() {
        return new OnlineConfig(new SgdParams(0.05f, 0.05f, 0.01f), new SgdParams(0.05f, 0.01f, 0.0f), 4, 1000, 0.1f);
    }
}
