package io.streamrec.trainer.rank;

/** The loss applied to one output of the network. */
public enum HeadLoss {
    /** Binary cross-entropy on a logit; targets are 0 or 1. */
    LOGISTIC,
    /** Squared error on a raw value. */
    SQUARED;

    /** Loss of one output given its raw value. */
    double loss(float z, float target) {
        if (this == SQUARED) {
            double e = z - target;
            return e * e;
        }
        // log(1 + e^z) - t·z, computed stably
        double softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        return softplus - target * z;
    }

    /** d loss / d z, halved for SQUARED so both heads have unit-scale gradients. */
    float gradient(float z, float target) {
        if (this == SQUARED) return z - target;
        return (float) (1.0 / (1.0 + Math.exp(-z))) - target;
    }
}
