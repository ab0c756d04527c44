package io.streamrec.trainer.train;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.core.simd.FloatKernels;

import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * {@link io.streamrec.core.serve.RecommendationPipeline#recommend(UserState, int, int[], float[])} for
 * {@link ItemStepStudy} only, with the source of each item-side input chosen: the item vectors learnt online (the
 * served path's only source) or the ones of the model's load (batch). With every source at its default it computes
 * exactly what the served pipeline computes (the study's {@code via} knob replays {@code base} through it to show
 * that). Not a serving class: the served path is unchanged; this asks whether it should be.
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
    private final CandidateRetriever onlineRetriever, batchRetriever;
    private final Ranker ranker;
    private final int candidates, dim;
    private final float rankerWeight;
    private final Sources src;
    private final TopK heap;
    private final int[] items;
    private final float[] retrievalScores, listScores, mfParts, batchRetrievalParts, onlineRetrievalParts;
    private final float[] userRows, itemRows, itemFeatRows, userFeatRows, pairRows, out;
    private final float[] userFeatures = new float[FeatureSpec.USER_SIZE];
    private final BitSet seenMask = new BitSet();
    private final IntPredicate seenExclude = seenMask::get;

    /**
     * @param online the model whose item arrays learn online (the served path's)
     * @param batch  the model as loaded, never written
     */
    ItemSourcePipeline(RecommenderModel online, RecommenderModel batch, CandidateRetriever onlineRetriever,
                       CandidateRetriever batchRetriever, Ranker ranker, int candidates, float rankerWeight, Sources src) {
        this.online = online;
        this.batch = batch;
        this.onlineRetriever = onlineRetriever;
        this.batchRetriever = batchRetriever;
        this.ranker = ranker;
        this.candidates = candidates;
        this.rankerWeight = rankerWeight;
        this.src = src;
        this.dim = online.dim();
        this.heap = new TopK(candidates);
        this.items = new int[candidates];
        this.retrievalScores = new float[candidates];
        this.listScores = new float[candidates];
        this.mfParts = new float[candidates];
        this.batchRetrievalParts = new float[candidates];
        this.onlineRetrievalParts = new float[candidates];
        this.userRows = new float[candidates * dim];
        this.itemRows = new float[candidates * dim];
        this.itemFeatRows = new float[candidates * FeatureSpec.ITEM_SIZE];
        this.userFeatRows = new float[candidates * FeatureSpec.USER_SIZE];
        this.pairRows = new float[candidates * FeatureSpec.PAIR_SIZE];
        this.out = new float[candidates * Ranker.OUTPUTS];
    }

    int recommend(UserState user, int k, int[] itemsOut, float[] scoresOut) {
        seenMask.clear();
        for (int j = 0; j < user.seenSize(); j++) {
            int idx = online.items().indexOf(user.seen(j));
            if (idx >= 0) seenMask.set(idx);
        }
        CandidateRetriever retriever = src.batchRetrieval() ? batchRetriever : onlineRetriever;
        int n = retriever.topK(user.retrievalVector(), candidates, seenExclude, heap, items, retrievalScores);
        if (n == 0) return 0;
        FeatureSpec.encodeUser(user.eventCount(), user.ratingCount(), user.ratingSum(), user.ratingBias(), userFeatures, 0);
        RecommenderModel mfSource = src.pair() == Pair.BATCH ? batch : online;
        FloatKernels.gatherScores(user.ratingVector(), mfSource.ratingVectors(), mfSource.ratingBiases(), items, n,
                online.ratingDim(), mfParts);
        FloatKernels.gatherScores(user.retrievalVector(), batch.retrievalVectors(), batch.retrievalBiases(), items, n, dim,
                batchRetrievalParts);
        FloatKernels.gatherScores(user.retrievalVector(), online.retrievalVectors(), online.retrievalBiases(), items, n, dim,
                onlineRetrievalParts);
        float base = online.globalMean() + user.ratingBias();
        float[] rankVectors = src.batchRankVectors() ? batch.retrievalVectors() : online.retrievalVectors();
        for (int r = 0; r < n; r++) {
            int item = items[r];
            float retrievalFeature = switch (src.pair()) {
                case DEFAULT -> retrievalScores[r];
                case BATCH -> batchRetrievalParts[r];
                case ONLINE -> onlineRetrievalParts[r];
            };
            listScores[r] = src.batchListScore() ? batchRetrievalParts[r] : retrievalScores[r];
            System.arraycopy(user.retrievalVector(), 0, userRows, r * dim, dim);
            System.arraycopy(rankVectors, item * dim, itemRows, r * dim, dim);
            System.arraycopy(online.itemFeatures(), item * FeatureSpec.ITEM_SIZE, itemFeatRows, r * FeatureSpec.ITEM_SIZE,
                    FeatureSpec.ITEM_SIZE);
            System.arraycopy(userFeatures, 0, userFeatRows, r * FeatureSpec.USER_SIZE, FeatureSpec.USER_SIZE);
            FeatureSpec.encodePair(base + mfParts[r], retrievalFeature, pairRows, r * FeatureSpec.PAIR_SIZE);
        }
        ranker.score(n, userRows, itemRows, itemFeatRows, userFeatRows, pairRows, out);
        heap.reset(Math.min(k, n));
        for (int r = 0; r < n; r++) heap.offer(items[r], listScores[r] + rankerWeight * out[r * Ranker.OUTPUTS + Ranker.OUTPUT_RELEVANCE]);
        return heap.drainSorted(itemsOut, scoresOut);
    }
}
