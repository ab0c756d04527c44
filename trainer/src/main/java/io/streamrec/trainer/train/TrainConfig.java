package io.streamrec.trainer.train;

import io.streamrec.core.learn.OnlineConfig;

/**
 * Everything a training run is told. Defaults are what `train` uses; MF regularisation and
 * epoch counts are then chosen on a validation slice of the training data, never on test data.
 */
public record TrainConfig(int dim, int candidates, float[] mfRegGrid, MfTrainer.Params mf, BprTrainer.Params bpr,
                          int[] hidden, int negativesPerUser, int rankerEpochs, OnlineConfig online, long seed) {
    public static TrainConfig defaults() {
        int dim = 32;
        return new TrainConfig(dim, 200, new float[] {0.05f, 0.08f, 0.12f}, MfTrainer.Params.defaults(dim),
                BprTrainer.Params.defaults(dim), new int[] {64, 32}, 30, 30, OnlineConfig.defaults(), 42L);
    }
}
