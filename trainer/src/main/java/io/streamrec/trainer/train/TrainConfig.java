package io.streamrec.trainer.train;

import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.serve.RecommendationPipeline;

/**
 * Everything a training run is told. Defaults are what `train` uses; MF regularisation and
 * epoch counts are then chosen on a validation slice of the training data, never on test data.
 *
 * <p>Two dimensions: {@code dim} for retrieval (BPR) and the network's vector inputs, kept small
 * because every event scores the whole catalogue with it; the rating model's own
 * {@code mf().dim()} is wide (256) with light L2. On a validation slice of ml-latest-small the
 * rating model went 0.866 → 0.862 → 0.857 RMSE from d = 32 → 128 → 256 at its best L2, and lighter
 * L2 kept helping as d grew; its per-event cost is one 256-d dot product and step.
 */
public record TrainConfig(int dim, int candidates, float[] mfRegGrid, MfTrainer.Params mf, BprTrainer.Params bpr,
                          int[] hidden, int negativesPerUser, int rankerEpochs, OnlineConfig online, long seed,
                          boolean tuneOnline) {
    public static final int RATING_DIM = 256;
    /**
     * Candidates per user the ranking network is trained and validated on. On ml-latest-small, training on 100 instead
     * of 200 cost HR@10 (streaming protocol, online users: 0.0390 against 0.0435, docs/benchmarks.md).
     */
    public static final int CANDIDATES = 200;
    /**
     * Candidates the app scores per list ({@link RecommendationPipeline#DEFAULT_CANDIDATES}, why it is that count there).
     * {@code evaluate} reports this count beside the others (streaming protocol, "online users, 50 candidates").
     */
    public static final int SERVED_CANDIDATES = RecommendationPipeline.DEFAULT_CANDIDATES;

    public static TrainConfig defaults() {
        int dim = 32;
        return new TrainConfig(dim, CANDIDATES, new float[] {0.015f, 0.03f}, MfTrainer.Params.defaults(RATING_DIM),
                BprTrainer.Params.defaults(dim), new int[] {64, 32}, 30, 30, OnlineConfig.defaults(), 42L, true);
    }

    /** The same configuration with another rating dimension (tests use a small one for speed). */
    public TrainConfig withRatingDim(int ratingDim) {
        MfTrainer.Params m = mf;
        return new TrainConfig(dim, candidates, mfRegGrid, new MfTrainer.Params(ratingDim, m.maxEpochs(), m.learningRate(),
                m.reg(), m.biasReg(), m.decay(), m.patience(), m.seed()), bpr, hidden, negativesPerUser, rankerEpochs, online, seed,
                tuneOnline);
    }

    /** The same configuration with another number of candidates per list. */
    public TrainConfig withCandidates(int n) {
        return new TrainConfig(dim, n, mfRegGrid, mf, bpr, hidden, negativesPerUser, rankerEpochs, online, seed, tuneOnline);
    }

    /** The same configuration with other online-learning settings (the ones tuning chose). */
    public TrainConfig withOnline(OnlineConfig o) {
        return new TrainConfig(dim, candidates, mfRegGrid, mf, bpr, hidden, negativesPerUser, rankerEpochs, o, seed, tuneOnline);
    }

    /**
     * Whether training chooses the online step on a time-ordered validation slice ({@link OnlineTuning});
     * off for evaluations that never replay events through the online step, to save their time.
     */
    public TrainConfig withOnlineTuning(boolean on) {
        return new TrainConfig(dim, candidates, mfRegGrid, mf, bpr, hidden, negativesPerUser, rankerEpochs, online, seed, on);
    }

    /** The rating model's dimension. */
    public int ratingDim() {
        return mf.dim();
    }
}
