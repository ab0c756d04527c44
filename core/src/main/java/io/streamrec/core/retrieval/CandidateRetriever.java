package io.streamrec.core.retrieval;

import io.streamrec.core.model.RecommenderModel;

import java.util.function.IntPredicate;

/**
 * Finds the items with the highest retrieval score for a query vector. Items are dense indexes
 * 0..size()-1 (see {@link io.streamrec.core.model.ItemIndex} for the movie-id mapping). Implementations: the
 * scalar scan ({@link BruteForceRetriever}), the SIMD scan ({@link SimdScanRetriever}), the int8-bounded scan
 * ({@link QuantizedScanRetriever}), the 4-bit screen ({@link Int4ScreenRetriever}, approximate), the HNSW index
 * ({@link HnswRetriever}).
 */
public interface CandidateRetriever {
    /**
     * The retriever serving uses for a model, over its trained items' retrieval vectors and biases; the one place
     * that choice is made (training, evaluation, the app and the benchmarks all call it): by catalogue size
     * ({@link Retrievers#forCatalogue}: the exact SIMD scan, the approximate 4-bit screen from 100,000 items; the
     * int8-bounded exact scan only when an operator moves that size up), one instance per model shared by every thread
     * ({@link ModelRetrievers}).
     */
    static UpdatableRetriever forModel(RecommenderModel model) {
        return ModelRetrievers.forModel(model);
    }

    /**
     * The number of items in a flat row-major matrix of {@code dim}-wide vectors with one bias and one active flag
     * each; the argument check every implementation's constructor makes.
     */
    static int itemCount(float[] vectors, float[] bias, boolean[] active, int dim) {
        if (dim <= 0 || vectors.length % dim != 0) throw new IllegalArgumentException("vectors length not a multiple of dim " + dim);
        int size = vectors.length / dim;
        if (bias.length != size || active.length != size) throw new IllegalArgumentException("bias/active length must equal item count " + size);
        return size;
    }

    int size();

    int dim();

    /**
     * Writes up to {@code n} best items, best first (ties to the lower index), skipping those
     * {@code exclude} accepts. Returns the number written.
     */
    int topK(float[] query, int n, IntPredicate exclude, TopK scratch, int[] itemsOut, float[] scoresOut);
}
