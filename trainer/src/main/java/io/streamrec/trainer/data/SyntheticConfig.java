package io.streamrec.trainer.data;

/**
 * Size and shape of a synthetic dataset. Everything is reproducible from {@code seed}.
 *
 * @param meanEventsPerUser mean of a heavy-tailed per-user count (at least 5 each, at most half the catalogue)
 * @param latentDim         dimension of the hidden taste vectors that generate the data
 * @param watchFraction     share of events that are watches (completion ratio, no rating)
 */
public record SyntheticConfig(int users, int movies, double meanEventsPerUser, int latentDim,
                              double watchFraction, long seed) {
    public static final int DEFAULT_LATENT_DIM = 8;
    public static final double DEFAULT_WATCH_FRACTION = 0.3;

    public SyntheticConfig {
        if (users < 1 || movies < 20) {
            throw new IllegalArgumentException("need users >= 1 and movies >= 20, got " + users + ", " + movies);
        }
        if (!(meanEventsPerUser >= 5 && meanEventsPerUser <= movies / 2.0)) {
            throw new IllegalArgumentException("meanEventsPerUser must be in [5, movies/2], got " + meanEventsPerUser);
        }
        if (latentDim < 1) {
            throw new IllegalArgumentException("latentDim must be >= 1, got " + latentDim);
        }
        if (!(watchFraction >= 0 && watchFraction <= 1)) {
            throw new IllegalArgumentException("watchFraction must be in [0, 1], got " + watchFraction);
        }
    }

    /** With the default latent dimension and watch fraction. */
    public SyntheticConfig(int users, int movies, double meanEventsPerUser, long seed) {
        this(users, movies, meanEventsPerUser, DEFAULT_LATENT_DIM, DEFAULT_WATCH_FRACTION, seed);
    }

    /** Small enough for unit tests (about 17k events). */
    public static SyntheticConfig small() {
        return new SyntheticConfig(300, 400, 60, 42);
    }

    /** A realistic default (about 160k events), generated in well under a second. */
    public static SyntheticConfig defaults() {
        return new SyntheticConfig(2000, 3000, 80, 42);
    }

    public SyntheticConfig withSeed(long newSeed) {
        return new SyntheticConfig(users, movies, meanEventsPerUser, latentDim, watchFraction, newSeed);
    }
}
