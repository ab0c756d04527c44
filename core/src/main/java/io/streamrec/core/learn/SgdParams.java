package io.streamrec.core.learn;

/**
 * Step size and L2 strengths for one SGD step. Factors and biases are regularised
 * separately because biases need far less shrinkage than factors.
 */
public record SgdParams(float learningRate, float factorReg, float biasReg) {
    public SgdParams {
        if (!(learningRate > 0f)) throw new IllegalArgumentException("learningRate must be > 0, was " + learningRate);
        if (factorReg < 0f || biasReg < 0f) throw new IllegalArgumentException("regularisation must be >= 0");
    }
}
