package io.streamrec.core.serve;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.learn.BiasedMf;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.core.simd.FloatKernels;

import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * Retrieve, then rank: the top-N candidates by retrieval score (excluding seen items) are scored
 * in one batch by the ranking network and the K best by relevance are returned. The same code
 * makes the streaming app's lists and the trainer's "ours" evaluation, so what is measured is
 * what is served. One instance per thread: every buffer is allocated once, here.
 */
public final class RecommendationPipeline {
    /**
     * Candidates scored per list unless configured (the app's {@code recommend.candidates} default, the trainer's
     * served count): a model whose network was trained on 200 gave the same HR@10 served with 50, 70 or 100 on
     * ml-latest-small's streaming protocol (0.0508 / 0.0507 / 0.0508, 30: 0.0501; docs/benchmarks.md), and the ranking
     * call, the candidates' features and their selection cost about half at 50 of what they cost at 100.
     */
    public static final int DEFAULT_CANDIDATES = 50;

    private final RecommenderModel model;
    private final CandidateRetriever retriever;
    private final Ranker ranker;
    private final int candidates;
    private final float rankerWeight;
    private final int dim;
    private final TopK heap;
    private final int[] candidateItems;
    private final float[] candidateScores;
    private final float[] userRows, itemRows, itemFeatRows, userFeatRows, pairRows, out;
    private final float[] userFeatures = new float[FeatureSpec.USER_SIZE];
    /** b_i + p_u·q_i per candidate, computed for all candidates in one SIMD pass. */
    private final float[] mfParts;
    private final BitSet seenMask = new BitSet();
    /**
     * The bits the last {@link #excludeSeen} set, so the next clears those alone: {@code BitSet.clear()} zeroes every
     * word up to the highest bit set, ~125 KB per event over a 1M-movie catalogue.
     */
    private int[] seenSet = new int[64];
    private int seenSetCount;
    /** Made once: a method reference created per call is a new object per event. */
    private final IntPredicate seenExclude = seenMask::get;

    /**
     * @param rankerWeight how much of the network's relevance correction is added to the
     *                     retrieval score (the trainer picks it on validation users)
     */
    public RecommendationPipeline(RecommenderModel model, CandidateRetriever retriever, Ranker ranker, int candidates,
                                  float rankerWeight) {
        if (candidates < 1) throw new IllegalArgumentException("candidates must be >= 1");
        this.rankerWeight = rankerWeight;
        this.model = model;
        this.retriever = retriever;
        this.ranker = ranker;
        this.candidates = candidates;
        this.dim = model.dim();
        this.heap = new TopK(Math.max(candidates, 1));
        this.candidateItems = new int[candidates];
        this.candidateScores = new float[candidates];
        this.userRows = new float[candidates * dim];
        this.itemRows = new float[candidates * dim];
        this.itemFeatRows = new float[candidates * FeatureSpec.ITEM_SIZE];
        this.userFeatRows = new float[candidates * FeatureSpec.USER_SIZE];
        this.pairRows = new float[candidates * FeatureSpec.PAIR_SIZE];
        this.out = new float[candidates * Ranker.OUTPUTS];
        this.mfParts = new float[candidates];
    }

    public int candidates() {
        return candidates;
    }

    /** Recommends for a live user, excluding the movies remembered in the state. */
    public int recommend(UserState user, int k, int[] itemsOut, float[] scoresOut) {
        return recommend(user, excludeSeen(user), k, itemsOut, scoresOut);
    }

    /**
     * The exclusion rule of a live user's list: the dense indexes of the movies remembered in the state. This
     * pipeline's one predicate, refilled for {@code user}: valid until the next call.
     */
    public IntPredicate excludeSeen(UserState user) {
        for (int j = 0; j < seenSetCount; j++) seenMask.clear(seenSet[j]);
        seenSetCount = 0;
        if (seenSet.length < user.seenSize()) seenSet = new int[user.seenSize()];
        for (int j = 0; j < user.seenSize(); j++) {
            int idx = model.items().indexOf(user.seen(j));
            if (idx >= 0) {
                seenMask.set(idx);
                seenSet[seenSetCount++] = idx;
            }
        }
        return seenExclude;
    }

    /** Recommends with an explicit exclusion rule on dense item indexes. Returns the count written. */
    public int recommend(UserState user, IntPredicate exclude, int k, int[] itemsOut, float[] scoresOut) {
        int n = encodeCandidates(user, exclude);
        if (n == 0) return 0;
        ranker.score(n, userRows, itemRows, itemFeatRows, userFeatRows, pairRows, out);
        heap.reset(Math.min(k, n));
        for (int r = 0; r < n; r++) heap.offer(candidateItems[r], candidateScores[r] + rankerWeight * out[r * Ranker.OUTPUTS + Ranker.OUTPUT_RELEVANCE]);
        return heap.drainSorted(itemsOut, scoresOut);
    }

    /**
     * Retrieves the candidates and writes their network inputs into this pipeline's row buffers
     * (see {@link #rows()}); returns the number of rows. The trainer builds its ranking examples
     * through this method, so training features are serving features.
     */
    public int encodeCandidates(UserState user, IntPredicate exclude) {
        int n = retriever.topK(user.retrievalVector(), candidates, exclude, heap, candidateItems, candidateScores);
        if (n == 0) return 0;
        FeatureSpec.encodeUser(user.eventCount(), user.ratingCount(), user.ratingSum(), user.ratingBias(), userFeatures, 0);
        // the rating model's feature for every candidate as one matrix-vector product over the
        // candidates' rows (256-d: it was 27% of the stream thread as one dot per row)
        FloatKernels.gatherScores(user.ratingVector(), model.ratingVectors(), model.ratingBiases(), candidateItems, n,
                model.ratingDim(), mfParts);
        float base = model.globalMean() + user.ratingBias();
        for (int r = 0; r < n; r++) encodeRow(user, r, candidateItems[r], candidateScores[r], base + mfParts[r]);
        return n;
    }

    /** Writes the network input of one (user, item) pair into row 0. */
    public void encodeSingle(UserState user, int item) {
        FeatureSpec.encodeUser(user.eventCount(), user.ratingCount(), user.ratingSum(), user.ratingBias(), userFeatures, 0);
        float retrieval = model.retrievalBias(item) + BiasedMf.dot(user.retrievalVector(), 0, model.retrievalVectors(), item * dim, dim);
        candidateItems[0] = item;
        float mf = BiasedMf.predict(model.globalMean(), user.ratingBias(), model.ratingBias(item), user.ratingVector(), 0,
                model.ratingVectors(), item * model.ratingDim(), model.ratingDim());
        encodeRow(user, 0, item, retrieval, mf);
    }

    private void encodeRow(UserState user, int r, int item, float retrievalScore, float mf) {
        System.arraycopy(user.retrievalVector(), 0, userRows, r * dim, dim);
        System.arraycopy(model.retrievalVectors(), item * dim, itemRows, r * dim, dim);
        System.arraycopy(model.itemFeatures(), item * FeatureSpec.ITEM_SIZE, itemFeatRows, r * FeatureSpec.ITEM_SIZE, FeatureSpec.ITEM_SIZE);
        System.arraycopy(userFeatures, 0, userFeatRows, r * FeatureSpec.USER_SIZE, FeatureSpec.USER_SIZE);
        FeatureSpec.encodePair(mf, retrievalScore, pairRows, r * FeatureSpec.PAIR_SIZE);
    }

    /** The row buffers last filled by {@link #encodeCandidates} or {@link #encodeSingle}. */
    public FeatureRows rows() {
        return new FeatureRows(candidateItems, userRows, itemRows, itemFeatRows, userFeatRows, pairRows);
    }

    /** Views of the row buffers: row r of each array belongs to candidate item {@code items[r]}. */
    public record FeatureRows(int[] items, float[] user, float[] item, float[] itemFeatures, float[] userFeatures,
                              float[] pairFeatures) {}

    /** Rating prediction: the rating model plus the network's rating correction. */
    public float predictRating(UserState user, int item) {
        float mu = model.globalMean();
        if (item < 0 || !model.trained(item)) return mu + user.ratingBias();
        encodeSingle(user, item);
        ranker.score(1, userRows, itemRows, itemFeatRows, userFeatRows, pairRows, out);
        return pairRows[0] + FeatureSpec.RATING_CENTRE + out[Ranker.OUTPUT_RATING];
    }
}
