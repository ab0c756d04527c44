package io.streamrec.trainer.cli;

import io.streamrec.trainer.train.EpochListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** One progress bar per training phase, showing the epoch and the latest losses. */
final class Progress implements EpochListener, AutoCloseable {
    private ProgressBar bar;
    private String phase;

    @Override
    public void epochDone(String phase, int epoch, int maxEpochs, double trainLoss, double validationLoss) {
        if (bar == null || !phase.equals(this.phase) || epoch == 1) {
            close();
            this.phase = phase;
            bar = new ProgressBarBuilder().setTaskName(phase).setInitialMax(maxEpochs).setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" epochs", 1).continuousUpdate().build();
        }
        bar.stepTo(epoch);
        bar.setExtraMessage(Double.isNaN(validationLoss)
                ? String.format("train %.4f", trainLoss)
                : String.format("train %.4f  val %.4f", trainLoss, validationLoss));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
