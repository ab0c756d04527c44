package io.streamrec.core.learn;

/**
 * Biased matrix factorisation for explicit ratings, r̂ = μ + b_u + b_i + p_u·q_i, and its SGD steps
 * on the squared error with L2. Pure functions over caller-owned arrays (vectors may live inside
 * a larger flat matrix, hence the offsets) so the hot path allocates nothing and boxes nothing.
 * The batch trainer, the prequential evaluation and the streaming processor all call these.
 */
public final class BiasedMf {
    private BiasedMf() {}

    public static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        float s = 0f;
        for (int f = 0; f < dim; f++) s += a[aOff + f] * b[bOff + f];
        return s;
    }

    public static float predict(float mu, float userBias, float itemBias,
                                float[] p, int pOff, float[] q, int qOff, int dim) {
        return mu + userBias + itemBias + dot(p, pOff, q, qOff, dim);
    }

    /**
     * One step on the user side only (item held fixed), as the streaming app does per event.
     * {@code err} is the weighted residual w·(r − r̂) computed before the step.
     * Updates {@code p} in place and returns the new user bias.
     */
    public static float userStep(float err, float[] p, int pOff, float userBias,
                                 float[] q, int qOff, int dim, SgdParams s) {
        float lr = s.learningRate(), reg = s.factorReg();
        for (int f = 0; f < dim; f++) {
            p[pOff + f] += lr * (err * q[qOff + f] - reg * p[pOff + f]);
        }
        return userBias + lr * (err - s.biasReg() * userBias);
    }

    /** The mirror of {@link #userStep} on the item side (user held fixed). Returns the new item bias. */
    public static float itemStep(float err, float[] q, int qOff, float itemBias,
                                 float[] p, int pOff, int dim, SgdParams s) {
        return userStep(err, q, qOff, itemBias, p, pOff, dim, s);
    }

    /**
     * Joint step on both factors from their values before the step (classic Funk SVD), used by
     * batch training and by the prequential learner. Biases are updated by the caller with
     * {@link #biasStep} so they can live in whatever array the caller keeps.
     */
    public static void factorStep(float err, float[] p, int pOff, float[] q, int qOff, int dim, SgdParams s) {
        float lr = s.learningRate(), reg = s.factorReg();
        for (int f = 0; f < dim; f++) {
            float pf = p[pOff + f], qf = q[qOff + f];
            p[pOff + f] = pf + lr * (err * qf - reg * pf);
            q[qOff + f] = qf + lr * (err * pf - reg * qf);
        }
    }

    public static float biasStep(float err, float bias, SgdParams s) {
        return bias + s.learningRate() * (err - s.biasReg() * bias);
    }
}
