package io.streamrec.trainer.train;

/** Told after each epoch, e.g. to advance a progress bar. */
public interface EpochListener {
    void epochDone(String phase, int epoch, int maxEpochs, double trainLoss, double validationLoss);

    EpochListener NONE = (phase, epoch, max, train, validation) -> {};
}
