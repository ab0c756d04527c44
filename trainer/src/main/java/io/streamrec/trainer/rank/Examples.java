package io.streamrec.trainer.rank;

/**
 * A training set for the network in flat arrays: row r has inputs x[r·in ..], targets
 * y[r·out ..], per-output weights w[r·out ..] (0 = this example says nothing about that
 * output, which is how one example trains only the relevance head or only the rating head)
 * and per-output offsets b[r·out ..] added to the raw output before the loss. The offsets make
 * each head learn a correction of a base model (the retrieval score, the rating model), so a
 * network that learns nothing useful falls back to the base model instead of below it.
 */
public record Examples(int inputSize, int outputSize, int rows, float[] x, float[] y, float[] w, float[] b) {
    public Examples {
        if (x.length < (long) rows * inputSize || y.length < (long) rows * outputSize || w.length < (long) rows * outputSize
                || b.length < (long) rows * outputSize) {
            throw new IllegalArgumentException("arrays shorter than rows × sizes");
        }
    }
}
