package io.streamrec.core.analysis;

import io.streamrec.core.model.RecommenderModel;

import java.util.Arrays;

/**
 * The 2-D map of a model's trained retrieval vectors by PCA: the API's map and the trainer's embedding-map plot
 * both draw this.
 *
 * @param items dense indexes of the trained items, in index order
 * @param xy    row r is item {@code items[r]}: x at {@code 2r}, y at {@code 2r + 1} (0 when dim is 1)
 */
public record EmbeddingMap(int[] items, double[] xy) {

    public static EmbeddingMap of(RecommenderModel model) {
        int d = model.dim();
        int[] items = new int[model.itemCount()];
        int n = 0;
        for (int i = 0; i < model.itemCount(); i++) if (model.trained(i)) items[n++] = i;
        items = Arrays.copyOf(items, n);
        if (n == 0) return new EmbeddingMap(items, new double[0]);
        float[] rows = new float[n * d];
        for (int r = 0; r < n; r++) System.arraycopy(model.retrievalVectors(), items[r] * d, rows, r * d, d);
        int c = Math.min(2, d);
        double[] projected = Pca.project(rows, n, d, c);
        double[] xy = new double[2 * n];
        for (int r = 0; r < n; r++) {
            xy[2 * r] = projected[r * c];
            xy[2 * r + 1] = c > 1 ? projected[r * c + 1] : 0;
        }
        return new EmbeddingMap(items, xy);
    }

    public int size() {
        return items.length;
    }

    public double x(int row) {
        return xy[2 * row];
    }

    public double y(int row) {
        return xy[2 * row + 1];
    }
}
