package io.streamrec.core.retrieval;

import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.BruteForceRetriever;
import io.streamrec.core.retrieval.TopK;

/** Nearest movies by cosine of the retrieval embeddings: a retriever over unit-normalised vectors. */
public final class SimilarMovies {
    private final RecommenderModel model;
    private final float[] unit;
    private final BruteForceRetriever retriever;

    private SimilarMovies(RecommenderModel model) {
        this.model = model;
        int d = model.dim(), n = model.itemCount();
        unit = new float[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int f = 0; f < d; f++) norm += model.retrievalVectors()[i * d + f] * model.retrievalVectors()[i * d + f];
            float inv = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
            for (int f = 0; f < d; f++) unit[i * d + f] = model.retrievalVectors()[i * d + f] * inv;
        }
        retriever = new BruteForceRetriever(unit, new float[n], model.trainedFlags(), d);
    }

    public static SimilarMovies of(RecommenderModel model) {
        return new SimilarMovies(model);
    }

    /** The k nearest other movies to item (dense index), best first. */
    public int nearest(int item, int k, int[] itemsOut, float[] simsOut) {
        int d = model.dim();
        float[] query = java.util.Arrays.copyOfRange(unit, item * d, item * d + d);
        return retriever.topK(query, k, i -> i == item, new TopK(k), itemsOut, simsOut);
    }
}
