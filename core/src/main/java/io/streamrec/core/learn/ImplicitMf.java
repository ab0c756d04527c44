package io.streamrec.core.learn;

/**
 * Implicit-feedback factorisation for retrieval, trained with BPR: for a consumed item i and a
 * sampled item j the user has not consumed, raise σ(s_ui − s_uj) where s_ui = c_i + u·v_i.
 * The item bias c_i absorbs popularity, which is the prior new users are served from.
 * Pure functions over caller-owned arrays; nothing is allocated.
 */
public final class ImplicitMf {
    private ImplicitMf() {}

    public static float score(float[] u, int uOff, float[] v, int vOff, float itemBias, int dim) {
        return itemBias + BiasedMf.dot(u, uOff, v, vOff, dim);
    }

    /** The BPR gradient scale w·σ(−(s_ui − s_uj)) for a positive i and negative j. */
    public static float bprGradient(float positiveScore, float negativeScore, float weight) {
        double x = positiveScore - negativeScore;
        return (float) (weight / (1.0 + Math.exp(x)));
    }

    /**
     * The user-side BPR step (items fixed), as the streaming app applies per event:
     * u ← u + lr·(g·(v_i − v_j) − λ·u).
     */
    public static void userStep(float g, float[] u, int uOff, float[] v, int posOff, int negOff,
                                int dim, SgdParams s) {
        float lr = s.learningRate(), reg = s.factorReg();
        for (int f = 0; f < dim; f++) {
            float uf = u[uOff + f];
            u[uOff + f] = uf + lr * (g * (v[posOff + f] - v[negOff + f]) - reg * uf);
        }
    }

    /**
     * The full BPR step on the user and both items from their values before the step.
     * Biases are in {@code itemBias}, indexed by item; offsets are item index × dim.
     */
    public static void jointStep(float g, float[] u, int uOff, float[] v, int pos, int neg,
                                 float[] itemBias, int dim, SgdParams s) {
        float lr = s.learningRate(), reg = s.factorReg();
        int pOff = pos * dim, nOff = neg * dim;
        for (int f = 0; f < dim; f++) {
            float uf = u[uOff + f], vp = v[pOff + f], vn = v[nOff + f];
            u[uOff + f] = uf + lr * (g * (vp - vn) - reg * uf);
            v[pOff + f] = vp + lr * (g * uf - reg * vp);
            v[nOff + f] = vn + lr * (-g * uf - reg * vn);
        }
        itemBias[pos] += lr * (g - s.biasReg() * itemBias[pos]);
        itemBias[neg] += lr * (-g - s.biasReg() * itemBias[neg]);
    }
}
