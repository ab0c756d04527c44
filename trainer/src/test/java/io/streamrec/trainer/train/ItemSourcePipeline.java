package io.streamrec.trainer.train;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.core.simd.FloatKernels;

/**
 * {@link RecommendationPipeline#recommend(UserState, int, int[], float[])} for {@link ItemStepStudy} only, with the
 * source of each item-side input chosen: the item vectors learnt online (the served path's only source) or the ones
 * of the model's load (batch). The served pipeline retrieves and encodes; this one then overwrites the inputs whose
 * source is changed and ranks. With every source at its default it computes exactly what the served pipeline
 * computes (the study's {@code via} knob replays {@code base} through it to show that). Not a serving class: the
 * served path is unchanged; this asks whether it should be.
 *
 * <ul>
 *   <li>{@link Sources#batchRetrieval}: the candidate set and its retrieval score (the list score's first term) come
 *   from an index of the batch vectors instead of the online one;</li>
 *   <li>{@link Sources#batchRankVectors}: the network's item vector (hence its user∘item input) is the batch one;</li>
 *   <li>{@link Sources#pair}: the pair features {@code mf_rating} and {@code retrieval_score}: {@code DEFAULT} as
 *   served (the rating model's current item arrays and the candidate's retrieval score), {@code BATCH} both from the
 *   batch arrays, {@code ONLINE} both from the online arrays;</li>
 *   <li>{@link Sources#batchListScore}: the list score's retrieval term is the batch retrieval score.</li>
 * </ul>
 */
final class ItemSourcePipeline {
    enum Pair { DEFAULT, BATCH, ONLINE }

    record Sources(boolean batchRetrieval, boolean batchRankVectors, Pair pair, boolean batchListScore) {}

    private final RecommenderModel online, batch;
    /** The served pipeline on the online model (and the chosen index): retrieval and the served encoding. */
    private final RecommendationPipeline served;
    private final RecommendationPipeline.FeatureRows rows;
    private final Ranker ranker;
    private final float rankerWeight;
    private final Sources src;
    private final int dim;
    private final TopK heap;
    private final float[] listScores, batchMfParts, batchRetrievalParts, onlineRetrievalParts, out;

    /**
     * @param online the model whose item arrays learn online (the served path's)
     * @param batch  the model as loaded, never written
     */
    ItemSourcePipeline(RecommenderModel online, RecommenderModel batch, CandidateRetriever onlineRetriever,
                       CandidateRetriever batchRetriever, Ranker ranker, int candidates, float rankerWeight, Sources src) {
        this.online = online;
        this.batch = batch;
        this.served = new RecommendationPipeline(online, src.batchRetrieval() ? batchRetriever : onlineRetriever, ranker,
                candidates, rankerWeight);
        this.rows = served.rows();
        this.ranker = ranker;
        this.rankerWeight = rankerWeight;
        this.src = src;
        this.dim = online.dim();
        this.heap = new TopK(candidates);
        this.listScores = new float[candidates];
        this.batchMfParts = new float[candidates];
        this.batchRetrievalParts = new float[candidates];
        this.onlineRetrievalParts = new float[candidates];
        this.out = new float[candidates * Ranker.OUTPUTS];
    }

    int recommend(UserState user, int k, int[] itemsOut, float[] scoresOut) {
        int n = served.encodeCandidates(user, served.excludeSeen(user));
        if (n == 0) return 0;
        int[] items = rows.items();
        float[] pair = rows.pairFeatures();
        FloatKernels.gatherScores(user.retrievalVector(), batch.retrievalVectors(), batch.retrievalBiases(), items, n, dim,
                batchRetrievalParts);
        FloatKernels.gatherScores(user.retrievalVector(), online.retrievalVectors(), online.retrievalBiases(), items, n, dim,
                onlineRetrievalParts);
        if (src.pair() == Pair.BATCH) {
            FloatKernels.gatherScores(user.ratingVector(), batch.ratingVectors(), batch.ratingBiases(), items, n,
                    online.ratingDim(), batchMfParts);
        }
        float base = online.globalMean() + user.ratingBias();
        for (int r = 0; r < n; r++) {
            int p = r * FeatureSpec.PAIR_SIZE;
            // as encoded: mf_rating from the online arrays, retrieval_score the scan's
            listScores[r] = src.batchListScore() ? batchRetrievalParts[r] : pair[p + 1];
            if (src.batchRankVectors()) System.arraycopy(batch.retrievalVectors(), items[r] * dim, rows.item(), r * dim, dim);
            switch (src.pair()) {
                case BATCH -> FeatureSpec.encodePair(base + batchMfParts[r], batchRetrievalParts[r], pair, p);
                case ONLINE -> pair[p + 1] = onlineRetrievalParts[r];
                case DEFAULT -> { }
            }
        }
        ranker.score(n, rows.user(), rows.item(), rows.itemFeatures(), rows.userFeatures(), pair, out);
        heap.reset(Math.min(k, n));
        for (int r = 0; r < n; r++) heap.offer(items[r], listScores[r] + rankerWeight * out[r * Ranker.OUTPUTS + Ranker.OUTPUT_RELEVANCE]);
        return heap.drainSorted(itemsOut, scoresOut);
    }
}
