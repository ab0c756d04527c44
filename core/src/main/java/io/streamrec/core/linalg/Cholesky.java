package io.streamrec.core.linalg;

/**
 * Cholesky factorisation and solves for small symmetric positive definite systems in flat row-major arrays, shared by
 * the fold-in (a user's rating vector, on the hot path of a model swap) and the cold-start ridge regression. Written out
 * here rather than taken from a library: a few loops on the caller's own arrays, no copy into another matrix type, and
 * core carries no matrix library.
 */
public final class Cholesky {
    private Cholesky() {}

    /** Copies the upper triangle of the n×n {@code a} onto its lower triangle. */
    public static void mirrorUpper(double[] a, int n) {
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) a[i * n + j] = a[j * n + i];
    }

    /**
     * In place: the lower triangle of the symmetric positive definite n×n {@code a} (lower triangle filled) becomes L
     * with A = L Lᵀ. {@code system} names the system in the error when it is not positive definite.
     */
    public static void factor(double[] a, int n, String system) {
        for (int j = 0; j < n; j++) {
            double diag = a[j * n + j];
            for (int k = 0; k < j; k++) diag -= a[j * n + k] * a[j * n + k];
            if (!(diag > 0)) throw new ArithmeticException(system + " not positive definite at column " + j);
            double ljj = Math.sqrt(diag);
            a[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double v = a[i * n + j];
                for (int k = 0; k < j; k++) v -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = v / ljj;
            }
        }
    }

    /** Solves L Lᵀ x = y in place, L the factor {@link #factor} left in the lower triangle of {@code l}. */
    public static void solve(double[] l, double[] y, int n) {
        for (int i = 0; i < n; i++) { // L z = y
            double v = y[i];
            for (int k = 0; k < i; k++) v -= l[i * n + k] * y[k];
            y[i] = v / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) { // Lᵀ x = z
            double v = y[i];
            for (int k = i + 1; k < n; k++) v -= l[k * n + i] * y[k];
            y[i] = v / l[i * n + i];
        }
    }
}
