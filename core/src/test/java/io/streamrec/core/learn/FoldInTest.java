package io.streamrec.core.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fold-in recovers a user's vectors from the user's history on generated data: ratings made exactly by a known
 * user vector and bias give that vector back (closed form); positives drawn from a known retrieval vector give a
 * vector pointing the same way and ranking the items alike (BPR passes).
 */
class FoldInTest {
    private static final int ITEMS = 400, RATING_DIM = 8, DIM = 12;
    private static final float MU = 3.5f;

    static RecommenderModel model(SplittableRandom rnd, OnlineConfig online) {
        int[] ids = new int[ITEMS];
        MovieMeta[] movies = new MovieMeta[ITEMS];
        for (int i = 0; i < ITEMS; i++) ids[i] = 1000 + 3 * i;
        ItemIndex index = ItemIndex.of(ids);
        for (int i = 0; i < ITEMS; i++) movies[i] = new MovieMeta(index.movieId(i), "m" + i, List.of("Drama"), 2000);
        float[] q = gaussian(rnd, ITEMS * RATING_DIM, 0.5), bi = gaussian(rnd, ITEMS, 0.3);
        float[] v = gaussian(rnd, ITEMS * DIM, 1.0), c = new float[ITEMS];
        boolean[] trained = new boolean[ITEMS];
        java.util.Arrays.fill(trained, true);
        return new RecommenderModel("v2", DIM, RATING_DIM, MU, index, movies, q, bi, v, c, trained, new long[ITEMS], online);
    }

    static float[] gaussian(SplittableRandom rnd, int n, double sd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (sd * gaussian(rnd));
        return a;
    }

    static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    @Test
    void ratingsMadeByAKnownUserGiveTheUsersVectorAndBiasBack() {
        SplittableRandom rnd = new SplittableRandom(7);
        OnlineConfig online = new OnlineConfig(new SgdParams(0.05f, 1e-5f, 1e-5f), new SgdParams(0.05f, 0.01f, 0f), 4, 1000, 0.1f);
        RecommenderModel m = model(rnd, online);
        float[] p = gaussian(rnd, RATING_DIM, 0.5);
        float bu = 0.3f;
        UserState s = new UserState(RATING_DIM, DIM, 1000);
        s.modelVersion("v1");
        for (int k = 0; k < 50; k++) {
            int item = rnd.nextInt(ITEMS);
            float r = BiasedMf.predict(MU, bu, m.ratingBias(item), p, 0, m.ratingVectors(), item * RATING_DIM, RATING_DIM);
            s.rememberEvent(m.items().movieId(item), r, Float.NaN, 50);
        }
        // the old model's vectors, meaningless in the new space
        java.util.Arrays.fill(s.ratingVector(), 9f);
        s.ratingBias(-2f);

        new FoldIn(m).refit(42L, s);

        assertArrayEquals(p, s.ratingVector(), 1e-3f);
        assertEquals(bu, s.ratingBias(), 1e-3f);
        assertEquals("v2", s.modelVersion());
    }

    @Test
    void positivesDrawnFromAKnownUserGiveAVectorThatRanksLikeIt() {
        SplittableRandom rnd = new SplittableRandom(11);
        OnlineConfig online = new OnlineConfig(new SgdParams(0.05f, 0.01f, 0.01f), new SgdParams(0.1f, 0.01f, 0f), 4, 1000, 0.1f);
        RecommenderModel m = model(rnd, online);
        float[] truth = gaussian(rnd, DIM, 1.0);
        float[] trueScores = scores(m, truth);
        // 50 distinct positives, each drawn with probability ∝ exp(score): the user's tastes, with noise
        UserState s = new UserState(RATING_DIM, DIM, 1000);
        double[] w = new double[ITEMS];
        double max = Double.NEGATIVE_INFINITY;
        for (float x : trueScores) max = Math.max(max, x);
        for (int i = 0; i < ITEMS; i++) w[i] = Math.exp(trueScores[i] - max);
        for (int k = 0; k < 50; k++) {
            double total = 0;
            for (double x : w) total += x;
            double pick = rnd.nextDouble() * total;
            int item = 0;
            while (pick > w[item]) pick -= w[item++];
            w[item] = 0;
            s.rememberEvent(m.items().movieId(item), k % 2 == 0 ? 4f : Float.NaN, k % 2 == 0 ? Float.NaN : 0.9f, 50);
        }
        java.util.Arrays.fill(s.retrievalVector(), -5f);

        new FoldIn(m).refit(42L, s);

        double cosine = cosine(truth, s.retrievalVector());
        assertTrue(cosine > 0.8, "cosine to the true vector " + cosine);
        // the re-fitted vector ranks the catalogue like the true one: most of the true top 20 are in its top 40
        int overlap = overlap(top(trueScores, 20), top(scores(m, s.retrievalVector()), 40));
        assertTrue(overlap >= 14, "true top-20 movies in the re-fitted top-40: " + overlap);
        // and the same history gives the same vector (deterministic negatives)
        UserState again = UserState.restore(new float[RATING_DIM], 0f, new float[DIM], 0, 0, 0, 0, new int[0], 1000);
        again.restoreHistory(s.historyMovies(), s.historyRatings(), s.historyCompletions());
        new FoldIn(m).refit(42L, again);
        assertArrayEquals(s.retrievalVector(), again.retrievalVector(), 0f);
    }

    @Test
    void withoutRatingsTheRatingVectorIsThePriorAndTheBiasStays() {
        SplittableRandom rnd = new SplittableRandom(3);
        RecommenderModel m = model(rnd, OnlineConfig.defaults());
        UserState s = new UserState(RATING_DIM, DIM, 1000);
        s.rememberEvent(m.items().movieId(5), Float.NaN, 1f, 50);
        s.rememberEvent(424242, 5f, Float.NaN, 50); // a movie the model does not know: ignored
        java.util.Arrays.fill(s.ratingVector(), 1f);
        s.ratingBias(1f);
        new FoldIn(m).refit(1L, s);
        assertArrayEquals(new float[RATING_DIM], s.ratingVector());
        assertEquals(1f, s.ratingBias());
        assertTrue(cosine(java.util.Arrays.copyOfRange(m.retrievalVectors(), 5 * DIM, 6 * DIM), s.retrievalVector()) > 0.5, "the watched movie pulls the retrieval vector towards it");
    }

    @Test
    void choleskySolvesASmallSystem() {
        // [4 2; 2 3] x = [2; 1] → x = [0.5, 0]
        double[] a = {4, 2, 0, 3};
        double[] y = {2, 1};
        FoldIn.choleskySolve(a, y, 2);
        assertEquals(0.5, y[0], 1e-12);
        assertEquals(0.0, y[1], 1e-12);
    }

    static float[] scores(RecommenderModel m, float[] u) {
        float[] s = new float[ITEMS];
        for (int i = 0; i < ITEMS; i++) s[i] = ImplicitMf.score(u, 0, m.retrievalVectors(), i * DIM, m.retrievalBiases()[i], DIM);
        return s;
    }

    static int[] top(float[] scores, int k) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Float.compare(scores[y], scores[x]));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) out[i] = order[i];
        return out;
    }

    static int overlap(int[] a, int[] b) {
        int n = 0;
        for (int x : a) for (int y : b) if (x == y) n++;
        return n;
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int f = 0; f < a.length; f++) {
            ab += a[f] * b[f];
            aa += a[f] * a[f];
            bb += b[f] * b[f];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
