package io.streamrec.core.analysis;

/**
 * Projects row vectors onto their first principal components, for 2-D maps of embeddings. The covariance matrix is
 * only dim × dim (dim ≈ 32), so its leading eigenvectors come from power iteration with deflation, which is exact
 * enough for a picture and deterministic (fixed start vector).
 */
public final class Pca {
    private static final int ITERATIONS = 200;

    private Pca() {}

    /**
     * The first {@code components} principal-component coordinates of each row of {@code rows} (n × dim, row-major),
     * as an n × components row-major array. Rows are centred on their mean first. Each component's sign is fixed so
     * that its largest-magnitude loading is positive, so the picture does not flip between runs.
     */
    public static double[] project(float[] rows, int n, int dim, int components) {
        if (rows.length != n * dim) throw new IllegalArgumentException("rows: expected " + n + " × " + dim + " values, got " + rows.length);
        if (components < 1 || components > dim) throw new IllegalArgumentException("components: must be in [1, " + dim + "], was " + components);
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) for (int f = 0; f < dim; f++) mean[f] += rows[i * dim + f];
        for (int f = 0; f < dim; f++) mean[f] /= Math.max(1, n);
        double[][] cov = new double[dim][dim];
        double[] x = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < dim; f++) x[f] = rows[i * dim + f] - mean[f];
            for (int a = 0; a < dim; a++) for (int b = 0; b < dim; b++) cov[a][b] += x[a] * x[b];
        }
        double[][] axes = new double[components][];
        for (int c = 0; c < components; c++) {
            double[] v = leadingEigenvector(cov);
            double lambda = quadratic(cov, v);
            for (int a = 0; a < dim; a++) for (int b = 0; b < dim; b++) cov[a][b] -= lambda * v[a] * v[b];
            axes[c] = v;
        }
        double[] out = new double[n * components];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < components; c++) {
                double s = 0;
                for (int f = 0; f < dim; f++) s += (rows[i * dim + f] - mean[f]) * axes[c][f];
                out[i * components + c] = s;
            }
        }
        return out;
    }

    private static double[] leadingEigenvector(double[][] m) {
        int d = m.length;
        double[] v = new double[d];
        for (int f = 0; f < d; f++) v[f] = 1.0 / Math.sqrt(d) * (1 + 0.01 * f); // not orthogonal to any axis by accident
        normalise(v);
        double[] next = new double[d];
        for (int it = 0; it < ITERATIONS; it++) {
            for (int a = 0; a < d; a++) {
                double s = 0;
                for (int b = 0; b < d; b++) s += m[a][b] * v[b];
                next[a] = s;
            }
            if (normalise(next) == 0) break; // nothing left: the remaining variance is zero
            System.arraycopy(next, 0, v, 0, d);
        }
        int largest = 0;
        for (int f = 1; f < d; f++) if (Math.abs(v[f]) > Math.abs(v[largest])) largest = f;
        if (v[largest] < 0) for (int f = 0; f < d; f++) v[f] = -v[f];
        return v;
    }

    private static double quadratic(double[][] m, double[] v) {
        double s = 0;
        for (int a = 0; a < v.length; a++) for (int b = 0; b < v.length; b++) s += v[a] * m[a][b] * v[b];
        return s;
    }

    private static double normalise(double[] v) {
        double norm = 0;
        for (double x : v) norm += x * x;
        norm = Math.sqrt(norm);
        if (norm > 0) for (int f = 0; f < v.length; f++) v[f] /= norm;
        return norm;
    }
}
