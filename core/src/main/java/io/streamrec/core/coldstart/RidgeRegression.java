package io.streamrec.core.coldstart;

import io.streamrec.core.linalg.Cholesky;

/**
 * Multi-output ridge regression in closed form: W = (XᵀX + λ·D)⁻¹ XᵀY, D the identity with a zero for the unpenalised
 * column (the intercept). Written out here rather than taken from a linear-algebra library: the system is the size of
 * the feature row (two dozen), solved once per training by one Cholesky factorisation and one pair of triangular solves
 * per output column, and core carries no matrix library.
 */
public final class RidgeRegression {
    private RidgeRegression() {}

    /**
     * @param x         n rows of f features, row-major
     * @param y         n rows of t targets, row-major
     * @param lambda    L2 weight (≥ 0; the system also gets 1e-9 on the diagonal so an unused feature stays solvable)
     * @param unpenalised a feature column not regularised (the intercept), or -1
     * @return W, f rows of t weights, row-major: prediction_k = Σ_j x_j W[j, k]
     */
    public static double[] fit(double[] x, int n, int f, double[] y, int t, double lambda, int unpenalised) {
        if (x.length != n * f || y.length != n * t) throw new IllegalArgumentException("x must be n×f and y n×t");
        double[] a = new double[f * f];
        double[] b = new double[f * t];
        for (int r = 0; r < n; r++) {
            int xo = r * f, yo = r * t;
            for (int i = 0; i < f; i++) {
                double xi = x[xo + i];
                if (xi == 0) continue;
                for (int j = i; j < f; j++) a[i * f + j] += xi * x[xo + j];
                for (int k = 0; k < t; k++) b[i * t + k] += xi * y[yo + k];
            }
        }
        Cholesky.mirrorUpper(a, f);
        for (int i = 0; i < f; i++) a[i * f + i] += (i == unpenalised ? 0 : lambda) + 1e-9;
        Cholesky.factor(a, f, "ridge system");
        double[] col = new double[f];
        for (int k = 0; k < t; k++) {
            for (int i = 0; i < f; i++) col[i] = b[i * t + k];
            Cholesky.solve(a, col, f);
            for (int i = 0; i < f; i++) b[i * t + k] = col[i];
        }
        return b;
    }
}
