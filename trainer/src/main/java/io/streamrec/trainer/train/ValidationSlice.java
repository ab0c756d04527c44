package io.streamrec.trainer.train;

import io.streamrec.trainer.data.Interactions;

/**
 * Where the online choices are made ({@link OnlineTuning}, {@link ColdStartTuning}): the training events in time
 * order, split 80/20, and the factor models fitted on the first part, which the last part is replayed against.
 * Fitted once for both choices (the fit does not depend on what they choose).
 */
record ValidationSlice(Interactions early, Interactions late, ModelTrainer.Fitted fitted) {
    /** Fewer replayed events than this: nothing to choose on. */
    static final int MIN_EVENTS = 20;

    /** The slice of {@code trainEvents}, or null when its last 20% holds fewer than {@link #MIN_EVENTS} events. */
    static ValidationSlice of(Interactions trainEvents, Indexed idx, MfTrainer.Params mfParams, TrainConfig cfg,
                              EpochListener listener) {
        Interactions sorted = trainEvents.sortedByTime();
        int cut = (int) Math.floor(sorted.size() * 0.8);
        if (sorted.size() - cut < MIN_EVENTS) return null;
        Interactions early = sorted.slice(0, cut);
        return new ValidationSlice(early, sorted.slice(cut, sorted.size()),
                ModelTrainer.fit(early, idx, mfParams, cfg, "validation", listener));
    }
}
