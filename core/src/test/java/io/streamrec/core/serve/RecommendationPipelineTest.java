package io.streamrec.core.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.learn.BiasedMf;
import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.retrieval.BruteForceRetriever;
import io.streamrec.core.retrieval.TopK;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 6-item, 2-d model: movie ids 10..60 → indexes 0..5; item 5 (movie 60) is untrained.
 * Retrieval vectors / biases:
 * <pre>
 *   0: ( 1,  0)  c = 0.1        for u = (1, 0.5): 1.1
 *   1: ( 0,  1)  c = 0.5                          1.0
 *   2: ( 1,  1)  c = -0.2                         1.3
 *   3: (-1,  0)  c = 0.9                         -0.1
 *   4: ( 0.5,0)  c = 0.3                          0.8
 *   5: ( 9,  9)  c = 5.0 (untrained, never retrieved)
 * </pre>
 * For u = (1, 0.5) the retrieval order is 2, 0, 1, 4, 3. For u = 0 it is the bias order 3, 1, 4, 0, 2.
 */
class RecommendationPipelineTest {
    private static final int DIM = 2;
    private static final float[] RETRIEVAL = {1, 0, 0, 1, 1, 1, -1, 0, 0.5f, 0, 9, 9};
    private static final float[] RETRIEVAL_BIAS = {0.1f, 0.5f, -0.2f, 0.9f, 0.3f, 5f};

    static RecommenderModel model() {
        int n = 6;
        int[] ids = new int[n];
        MovieMeta[] movies = new MovieMeta[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 10 * (i + 1);
            movies[i] = new MovieMeta(ids[i], "m" + i, List.of(FeatureSpec.GENRES.get(i)), 1990 + i);
        }
        float[] ratingVectors = {0.5f, 0.5f, -0.5f, 1f, 1f, 0f, 0f, -1f, 0.2f, 0.2f, 0f, 0f};
        float[] ratingBias = {0.1f, -0.1f, 0.2f, 0f, 0.05f, 0f};
        boolean[] trained = {true, true, true, true, true, false};
        long[] pop = {50, 40, 30, 20, 10, 0};
        return new RecommenderModel("v1", DIM, 3.5f, ItemIndex.of(ids), movies, ratingVectors, ratingBias,
                RETRIEVAL.clone(), RETRIEVAL_BIAS.clone(), trained, pop, OnlineConfig.defaults());
    }

    static BruteForceRetriever retriever(RecommenderModel m) {
        return new BruteForceRetriever(m.retrievalVectors(), m.retrievalBiases(), m.trainedFlags(), m.dim());
    }

    /** Writes a constant relevance and rating correction for every row. */
    static Ranker constant(float relevance, float rating) {
        return (rows, user, item, itemFeatures, userFeatures, pairFeatures, out) -> {
            for (int r = 0; r < rows; r++) {
                out[r * Ranker.OUTPUTS + Ranker.OUTPUT_RELEVANCE] = relevance;
                out[r * Ranker.OUTPUTS + Ranker.OUTPUT_RATING] = rating;
            }
        };
    }

    /** Gives +bonus relevance to the row whose item vector equals the given item's vector. */
    static Ranker prefers(RecommenderModel m, int preferred, float bonus) {
        float[] target = Arrays.copyOfRange(m.retrievalVectors(), preferred * DIM, (preferred + 1) * DIM);
        return (rows, user, item, itemFeatures, userFeatures, pairFeatures, out) -> {
            for (int r = 0; r < rows; r++) {
                boolean match = Arrays.equals(target, Arrays.copyOfRange(item, r * DIM, (r + 1) * DIM));
                out[r * Ranker.OUTPUTS + Ranker.OUTPUT_RELEVANCE] = match ? bonus : 0f;
                out[r * Ranker.OUTPUTS + Ranker.OUTPUT_RATING] = 0f;
            }
        };
    }

    static UserState user(float u0, float u1) {
        UserState s = new UserState(DIM, 10);
        s.retrievalVector()[0] = u0;
        s.retrievalVector()[1] = u1;
        return s;
    }

    @Test
    void withoutARankerCorrectionTheListIsTheRetrievalOrder() {
        RecommenderModel m = model();
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), constant(0f, 0f), 5, 0.7f);
        int[] items = new int[3];
        float[] scores = new float[3];
        int n = p.recommend(user(1f, 0.5f), 3, items, scores);
        assertEquals(3, n);
        assertArrayEquals(new int[] {2, 0, 1}, items);
        assertArrayEquals(new float[] {1.3f, 1.1f, 1.0f}, scores, 1e-6f);

        // and equals what the retriever alone returns
        int[] ref = new int[3];
        retriever(m).topK(new float[] {1f, 0.5f}, 3, i -> false, new TopK(3), ref, new float[3]);
        assertArrayEquals(ref, items);
    }

    @Test
    void aConstantCorrectionDoesNotChangeTheOrder() {
        RecommenderModel m = model();
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), constant(2f, 0f), 5, 0.5f);
        int[] items = new int[5];
        float[] scores = new float[5];
        assertEquals(5, p.recommend(user(1f, 0.5f), 5, items, scores));
        assertArrayEquals(new int[] {2, 0, 1, 4, 3}, items);
        // score = retrieval + 0.5·2
        assertArrayEquals(new float[] {2.3f, 2.1f, 2.0f, 1.8f, 0.9f}, scores, 1e-6f);
    }

    @Test
    void seenItemsNeverAppear() {
        RecommenderModel m = model();
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), constant(0f, 0f), 3, 1f);
        UserState s = user(1f, 0.5f);
        s.addSeen(30); // index 2, the retrieval favourite
        s.addSeen(20); // index 1
        s.addSeen(999); // a movie the model does not know: ignored
        int[] items = new int[3];
        int n = p.recommend(s, 3, items, new float[3]);
        assertEquals(3, n, "seen items are excluded before the candidate cut, so the list stays full");
        assertArrayEquals(new int[] {0, 4, 3}, items);
        for (int i : items) {
            assertFalse(s.hasSeen(m.items().movieId(i)));
        }
    }

    @Test
    void oneUsersSeenMoviesAreNotExcludedForTheNext() {
        RecommenderModel m = model();
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), constant(0f, 0f), 5, 1f);
        UserState first = user(1f, 0.5f);
        for (int id : new int[] {10, 20, 30, 50}) first.addSeen(id);
        int[] items = new int[5];
        assertEquals(1, p.recommend(first, 5, items, new float[5]));
        assertEquals(3, items[0]);
        UserState second = user(1f, 0.5f);
        second.addSeen(40); // index 3, the only one left to the first user
        assertEquals(4, p.recommend(second, 5, items, new float[5]), "the first user's seen movies are back");
        assertArrayEquals(new int[] {2, 0, 1, 4}, Arrays.copyOf(items, 4));
        assertEquals(5, p.recommend(user(1f, 0.5f), 5, items, new float[5]), "and nothing is excluded for a user who saw none");
    }

    @Test
    void seenItemsNeverAppearEvenWhenTheRankerLovesThem() {
        RecommenderModel m = model();
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), prefers(m, 3, 100f), 5, 1f);
        UserState s = user(1f, 0.5f);
        s.addSeen(40); // index 3
        int[] items = new int[5];
        int n = p.recommend(s, 5, items, new float[5]);
        assertEquals(4, n);
        for (int k = 0; k < n; k++) assertTrue(items[k] != 3 && items[k] != 5);
    }

    @Test
    void aNewUserGetsThePopularityPrior() {
        RecommenderModel m = model();
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), constant(0f, 0f), 5, 1f);
        UserState fresh = new UserState(DIM, 10);
        int[] items = new int[5];
        float[] scores = new float[5];
        int n = p.recommend(fresh, 5, items, scores);
        assertEquals(5, n);
        // by retrieval bias, untrained item 5 (bias 5.0) excluded
        assertArrayEquals(new int[] {3, 1, 4, 0, 2}, items);
        assertArrayEquals(new float[] {0.9f, 0.5f, 0.3f, 0.1f, -0.2f}, scores, 1e-6f);
    }

    @Test
    void aPreferredItemMovesToTheTop() {
        RecommenderModel m = model();
        // item 3 is last of the 5 candidates for u = (1, 0.5) (retrieval -0.1); the ranker adds 10
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), prefers(m, 3, 10f), 5, 1f);
        int[] items = new int[3];
        float[] scores = new float[3];
        assertEquals(3, p.recommend(user(1f, 0.5f), 3, items, scores));
        assertArrayEquals(new int[] {3, 2, 0}, items);
        assertEquals(9.9f, scores[0], 1e-5f);
        assertEquals(1.3f, scores[1], 1e-6f);

        // with rankerWeight 0 the ranker is ignored
        RecommendationPipeline off = new RecommendationPipeline(m, retriever(m), prefers(m, 3, 10f), 5, 0f);
        off.recommend(user(1f, 0.5f), 3, items, scores);
        assertArrayEquals(new int[] {2, 0, 1}, items);
    }

    @Test
    void theRankerOnlyReordersTheRetrievedCandidates() {
        RecommenderModel m = model();
        // 3 candidates (2, 0, 1): item 3 is not among them and cannot be promoted
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), prefers(m, 3, 10f), 3, 1f);
        int[] items = new int[5];
        int n = p.recommend(user(1f, 0.5f), 5, items, new float[5]);
        assertEquals(3, n, "never more than the candidate count");
        assertArrayEquals(new int[] {2, 0, 1}, Arrays.copyOf(items, 3));
        // promoting a candidate does work
        RecommendationPipeline q = new RecommendationPipeline(m, retriever(m), prefers(m, 1, 10f), 3, 1f);
        q.recommend(user(1f, 0.5f), 2, items, new float[5]);
        assertArrayEquals(new int[] {1, 2}, Arrays.copyOf(items, 2));
    }

    @Test
    void theRankerSeesTheServingFeatureRows() {
        RecommenderModel m = model();
        UserState s = user(1f, 0.5f);
        s.ratingVector()[0] = 0.4f;
        s.ratingVector()[1] = -0.2f;
        s.ratingBias(0.3f);
        s.countEvent(4f, 1L);
        s.countEvent(Float.NaN, 2L);
        int[] calls = {0};
        Ranker checking = (rows, user, item, itemFeatures, userFeatures, pairFeatures, out) -> {
            calls[0]++;
            assertEquals(5, rows);
            int[] order = {2, 0, 1, 4, 3};
            float[] uf = new float[FeatureSpec.USER_SIZE];
            FeatureSpec.encodeUser(2, 1, 4.0, 0.3f, uf, 0);
            for (int r = 0; r < rows; r++) {
                int i = order[r];
                assertArrayEquals(new float[] {1f, 0.5f}, Arrays.copyOfRange(user, r * DIM, (r + 1) * DIM), 0f);
                assertArrayEquals(Arrays.copyOfRange(m.retrievalVectors(), i * DIM, (i + 1) * DIM),
                        Arrays.copyOfRange(item, r * DIM, (r + 1) * DIM), 0f);
                assertArrayEquals(Arrays.copyOfRange(m.itemFeatures(), i * FeatureSpec.ITEM_SIZE, (i + 1) * FeatureSpec.ITEM_SIZE),
                        Arrays.copyOfRange(itemFeatures, r * FeatureSpec.ITEM_SIZE, (r + 1) * FeatureSpec.ITEM_SIZE), 0f);
                assertArrayEquals(uf, Arrays.copyOfRange(userFeatures, r * FeatureSpec.USER_SIZE, (r + 1) * FeatureSpec.USER_SIZE), 0f);
                float mf = BiasedMf.predict(3.5f, 0.3f, m.ratingBias(i), new float[] {0.4f, -0.2f}, 0, m.ratingVectors(), i * DIM, DIM);
                float retrieval = m.retrievalBias(i) + 1f * m.retrievalVectors()[i * DIM] + 0.5f * m.retrievalVectors()[i * DIM + 1];
                assertEquals(mf - 3.5f, pairFeatures[r * 2], 1e-6f, "mf_rating, row " + r);
                assertEquals(retrieval, pairFeatures[r * 2 + 1], 1e-6f, "retrieval_score, row " + r);
                out[r * 2] = 0f;
                out[r * 2 + 1] = 0f;
            }
        };
        // item 2 by hand: mf = 3.5 + 0.3 + 0.2 + (0.4·1 + (-0.2)·0) = 4.4 -> pair[0] = 0.9
        assertEquals(4.4f, BiasedMf.predict(3.5f, 0.3f, 0.2f, new float[] {0.4f, -0.2f}, 0, m.ratingVectors(), 4, DIM), 1e-6f);
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), checking, 5, 1f);
        assertEquals(5, p.recommend(s, 5, new int[5], new float[5]));
        assertEquals(1, calls[0], "one batch per request");
    }

    @Test
    void predictRatingAddsTheRatingCorrection() {
        RecommenderModel m = model();
        UserState s = user(0f, 0f);
        s.ratingVector()[0] = 0.4f;
        s.ratingVector()[1] = -0.2f;
        s.ratingBias(0.3f);
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), constant(0f, 0.25f), 5, 1f);
        // item 2: 4.4 (see above) + 0.25
        assertEquals(4.65f, p.predictRating(s, 2), 1e-5f);
        // untrained or unknown: μ + b_u, no correction
        assertEquals(3.8f, p.predictRating(s, 5), 1e-6f);
        assertEquals(3.8f, p.predictRating(s, -1), 1e-6f);
    }

    @Test
    void nothingToRecommend() {
        RecommenderModel m = model();
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), (rows, u, i, itf, uf, pf, out) -> {
            throw new AssertionError("the ranker must not be called with no candidates");
        }, 5, 1f);
        UserState s = user(1f, 0.5f);
        for (int id = 10; id <= 50; id += 10) s.addSeen(id);
        assertEquals(0, p.recommend(s, 3, new int[3], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new RecommendationPipeline(m, retriever(m), constant(0f, 0f), 0, 1f));
    }

    @Test
    void encodeSingleWritesRowZero() {
        RecommenderModel m = model();
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), constant(0f, 0f), 5, 1f);
        p.encodeSingle(user(1f, 0.5f), 4);
        RecommendationPipeline.FeatureRows rows = p.rows();
        assertEquals(4, rows.items()[0]);
        assertArrayEquals(new float[] {0.5f, 0f}, Arrays.copyOfRange(rows.item(), 0, 2), 0f);
        assertEquals(0.8f, rows.pairFeatures()[1], 1e-6f, "retrieval score 0.3 + 0.5·1");
    }

    @Test
    void reusingThePipelineGivesTheSameAnswer() {
        RecommenderModel m = model();
        RecommendationPipeline p = new RecommendationPipeline(m, retriever(m), prefers(m, 4, 0.45f), 5, 1f);
        int[] a = new int[4], b = new int[4];
        p.recommend(user(1f, 0.5f), 4, a, new float[4]);
        p.recommend(new UserState(DIM, 4), 2, new int[2], new float[2]);
        p.recommend(user(1f, 0.5f), 4, b, new float[4]);
        assertArrayEquals(a, b);
        // item 4: 0.8 + 0.45 = 1.25 -> between item 2 (1.3) and item 0 (1.1)
        assertArrayEquals(new int[] {2, 4, 0, 1}, a);
    }
}
