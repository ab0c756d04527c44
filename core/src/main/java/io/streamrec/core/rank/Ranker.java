package io.streamrec.core.rank;

/**
 * Scores a batch of (user, candidate) rows with the ranking network. Every array is row-major
 * with {@code rows} rows: user and item are [rows × dim], the feature arrays [rows × their
 * width from {@link io.streamrec.core.features.FeatureSpec}], out is [rows × outputs] with
 * output 0 the relevance logit and output 1 the rating correction.
 * Implementations: {@link RankerNetwork} (plain Java, for training and checks) and
 * {@link OnnxRanker} (ONNX Runtime, for serving). Not thread-safe: one instance per thread.
 */
public interface Ranker {
    int OUTPUT_RELEVANCE = 0;
    int OUTPUT_RATING = 1;
    int OUTPUTS = 2;

    void score(int rows, float[] user, float[] item, float[] itemFeatures, float[] userFeatures,
               float[] pairFeatures, float[] out);
}
