package io.streamrec.trainer.cli;

import io.streamrec.trainer.train.TrainConfig;
import picocli.CommandLine.Option;

/**
 * The two sizes that trade quality against serving cost, so `train` and `evaluate` can measure them: the candidates
 * the ranking network scores per list (its ONNX call grows with them) and the rating model's dimension (bytes per
 * state write, one dot product and step per event). Unset, they are {@link TrainConfig#defaults()}'.
 */
final class ModelShapeOptions {
    @Option(names = "--candidates", description = "Candidates per user the ranking network is trained and evaluated on"
            + " (default: " + TrainConfig.CANDIDATES + ")")
    Integer candidates;

    @Option(names = "--rating-dim", description = "Rating-model dimension (default: " + TrainConfig.RATING_DIM + ")")
    Integer ratingDim;

    @Option(names = "--tune-online", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Choose the online learning rates by replaying the training part's latest events (default: on;"
                    + " --no-tune-online keeps the defaults: minutes faster, for comparing other settings)")
    boolean tuneOnline;

    TrainConfig apply(TrainConfig cfg) {
        if (!tuneOnline) cfg = cfg.withOnlineTuning(false);
        if (candidates != null) {
            if (candidates < 1) throw new IllegalArgumentException("--candidates must be >= 1, was " + candidates);
            cfg = cfg.withCandidates(candidates);
        }
        if (ratingDim != null) {
            if (ratingDim < 1) throw new IllegalArgumentException("--rating-dim must be >= 1, was " + ratingDim);
            cfg = cfg.withRatingDim(ratingDim);
        }
        return cfg;
    }
}
