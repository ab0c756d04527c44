package io.streamrec.core.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-event fold on a 4-item, 2-d model: movie ids 10, 20, 30, 40 → indexes 0..3; item 3
 * (movie 40) has no trained vector.
 */
class OnlineLearnerTest {
    private static final float MU = 3.5f;
    private static final int DIM = 2;
    private static final OnlineConfig CONFIG = new OnlineConfig(
            new SgdParams(0.1f, 0.05f, 0.02f), new SgdParams(0.2f, 0.01f, 0f), 3, 5, 0.25f);

    static RecommenderModel model() {
        ItemIndex items = ItemIndex.of(new int[] {40, 10, 30, 20});
        MovieMeta[] movies = new MovieMeta[4];
        for (int i = 0; i < 4; i++) movies[i] = new MovieMeta(items.movieId(i), "m" + i, List.of("Drama"), 2000);
        float[] ratingVectors = {2f, 1f, -1f, 0.5f, 0.3f, -0.7f, 0f, 0f};
        float[] ratingBias = {-0.2f, 0.4f, 0.1f, 0f};
        float[] retrievalVectors = {1f, 0f, 0f, 1f, -1f, 1f, 0f, 0f};
        float[] retrievalBias = {0.5f, 0.2f, -0.3f, 0f};
        boolean[] trained = {true, true, true, false};
        long[] popularity = {100, 50, 10, 0};
        return new RecommenderModel("v1", DIM, MU, items, movies, ratingVectors, ratingBias, retrievalVectors,
                retrievalBias, trained, popularity, CONFIG);
    }

    static UserState state() {
        return UserState.restore(new float[] {0.5f, -1f}, 0.1f, new float[] {0.2f, 0.4f}, 7, 3, 11.0, 1000L,
                new int[] {20}, CONFIG.seenCapacity());
    }

    @Test
    void aStateFromAModelOfAnotherShapeRestartsItsVectorsAndKeepsItsHistory() {
        RecommenderModel m = model();
        UserState same = state();
        assertSame(same, same.fittedTo(m));

        UserState wide = UserState.restore(new float[] {1f, 2f, 3f}, 0.7f, new float[] {0.2f, 0.4f, 0.6f}, 7, 3, 11.0,
                1000L, new int[] {20, 30}, CONFIG.seenCapacity());
        UserState fitted = wide.fittedTo(m);
        assertArrayEquals(new float[DIM], fitted.ratingVector());
        assertArrayEquals(new float[DIM], fitted.retrievalVector());
        assertEquals(0f, fitted.ratingBias());
        assertEquals(7, fitted.eventCount());
        assertEquals(11.0, fitted.ratingSum());
        assertArrayEquals(new int[] {20, 30}, fitted.seenOldestFirst());
        new OnlineLearner(m).learn(1L, fitted, 40, 0, 4f, Float.NaN, 2000L);
        assertEquals(8, fitted.eventCount());
    }

    /** Upgrading to a wider rating model (one dimension before, DIM retrieval still): the retrieval vector still fits. */
    @Test
    void onlyThePartOfAnotherDimensionRestarts() {
        RecommenderModel m = model();
        UserState ratingWider = UserState.restore(new float[] {1f, 2f, 3f}, 0.7f, new float[] {0.2f, 0.4f}, 7, 3, 11.0,
                1000L, new int[] {20}, CONFIG.seenCapacity());
        UserState a = ratingWider.fittedTo(m);
        assertArrayEquals(new float[DIM], a.ratingVector());
        assertEquals(0f, a.ratingBias());
        assertArrayEquals(new float[] {0.2f, 0.4f}, a.retrievalVector());
        assertNotSame(ratingWider.retrievalVector(), a.retrievalVector());

        UserState retrievalWider = UserState.restore(new float[] {0.5f, -1f}, 0.1f, new float[] {0.2f, 0.4f, 0.6f}, 7, 3,
                11.0, 1000L, new int[] {20}, CONFIG.seenCapacity());
        UserState b = retrievalWider.fittedTo(m);
        assertArrayEquals(new float[] {0.5f, -1f}, b.ratingVector());
        assertEquals(0.1f, b.ratingBias());
        assertArrayEquals(new float[DIM], b.retrievalVector());
        assertEquals(7, b.eventCount());
        assertArrayEquals(new int[] {20}, b.seenOldestFirst());
    }

    /** An independent re-implementation of the documented retrieval step, for comparison. */
    static float[] expectedRetrieval(RecommenderModel m, long userId, long eventCountBefore, float[] u0, int pos, float w) {
        float[] u = u0.clone();
        int[] trainedItems = {0, 1, 2};
        float[] v = m.retrievalVectors(), c = m.retrievalBiases();
        long seed = OnlineLearner.mix(userId * 0x9E3779B97F4A7C15L + eventCountBefore);
        for (int k = 0; k < CONFIG.negatives(); k++) {
            seed = OnlineLearner.mix(seed + k + 1);
            int neg = trainedItems[(int) Long.remainderUnsigned(seed, trainedItems.length)];
            if (neg == pos) continue;
            float sp = c[pos] + u[0] * v[pos * DIM] + u[1] * v[pos * DIM + 1];
            float sn = c[neg] + u[0] * v[neg * DIM] + u[1] * v[neg * DIM + 1];
            float g = (float) (w / (1.0 + Math.exp(sp - sn)));
            for (int f = 0; f < DIM; f++) {
                u[f] = u[f] + CONFIG.retrieval().learningRate()
                        * (g * (v[pos * DIM + f] - v[neg * DIM + f]) - CONFIG.retrieval().factorReg() * u[f]);
            }
        }
        return u;
    }

    @Test
    void predictRatingByHandAndFallback() {
        OnlineLearner learner = new OnlineLearner(model());
        UserState s = state();
        // item 0: 3.5 + 0.1 - 0.2 + (0.5·2 - 1·1) = 3.4
        assertEquals(3.4f, learner.predictRating(s, 0), 1e-6f);
        // item 1: 3.5 + 0.1 + 0.4 + (0.5·(-1) + (-1)·0.5) = 4.0 - 1.0 = 3.0
        assertEquals(3.0f, learner.predictRating(s, 1), 1e-6f);
        // unknown and untrained items: μ + b_u
        assertEquals(3.6f, learner.predictRating(s, -1), 1e-6f);
        assertEquals(3.6f, learner.predictRating(s, 3), 1e-6f);
    }

    @Test
    void ratingMovesTheRatingVectorExactlyAsBiasedMfUserStep() {
        RecommenderModel m = model();
        OnlineLearner learner = new OnlineLearner(m);
        UserState s = state();
        float[] p = s.ratingVector().clone();
        float err = 4f - BiasedMf.predict(MU, s.ratingBias(), m.ratingBias(0), p, 0, m.ratingVectors(), 0, DIM);
        float bu = BiasedMf.userStep(err, p, 0, s.ratingBias(), m.ratingVectors(), 0, DIM, CONFIG.rating());
        // by hand: err = 0.6; p = (0.6175, -0.935); bu = 0.1598 (same numbers as BiasedMfTest)
        assertArrayEquals(new float[] {0.6175f, -0.935f}, p, 1e-6f);
        assertEquals(0.1598f, bu, 1e-6f);

        learner.learn(42L, s, 10, 0, 4f, Float.NaN, 2000L);
        assertArrayEquals(p, s.ratingVector(), 0f);
        assertEquals(bu, s.ratingBias(), 0f);
    }

    @Test
    void ratingIsAlsoAFullWeightRetrievalPositive() {
        RecommenderModel m = model();
        UserState s = state();
        float[] expected = expectedRetrieval(m, 42L, s.eventCount(), s.retrievalVector(), 0, 1f);
        new OnlineLearner(m).learn(42L, s, 10, 0, 4f, Float.NaN, 2000L);
        assertArrayEquals(expected, s.retrievalVector(), 1e-6f);
        assertFalse(Arrays.equals(new float[] {0.2f, 0.4f}, s.retrievalVector()), "the retrieval vector moved");
    }

    @Test
    void ratingEventIsCountedAndRemembered() {
        UserState s = state();
        new OnlineLearner(model()).learn(42L, s, 30, 2, 4.5f, Float.NaN, 2000L);
        assertEquals(8, s.eventCount());
        assertEquals(4, s.ratingCount());
        assertEquals(15.5, s.ratingSum(), 1e-9);
        assertEquals(2000L, s.lastEventTime());
        assertArrayEquals(new int[] {20, 30}, s.seenOldestFirst());
    }

    @Test
    void watchDoesNotTouchTheRatingModelButMovesTheRetrievalVector() {
        RecommenderModel m = model();
        OnlineLearner learner = new OnlineLearner(m);
        for (int pos = 0; pos < 3; pos++) {
            UserState s = state();
            float[] rv = s.ratingVector().clone();
            float bu = s.ratingBias();
            float[] u0 = s.retrievalVector().clone();
            float[] expected = expectedRetrieval(m, 7L, s.eventCount(), u0, pos, learner.watchWeight(0.6f));
            learner.learn(7L, s, m.items().movieId(pos), pos, Float.NaN, 0.6f, 3000L);
            assertArrayEquals(rv, s.ratingVector(), 0f, "rating vector untouched by a watch");
            assertEquals(bu, s.ratingBias(), 0f, "rating bias untouched by a watch");
            assertArrayEquals(expected, s.retrievalVector(), 1e-6f, "pos=" + pos);
            assertFalse(Arrays.equals(u0, s.retrievalVector()), "the retrieval vector moved, pos=" + pos);
            assertEquals(8, s.eventCount());
            assertEquals(3, s.ratingCount(), "a watch carries no rating");
            assertEquals(11.0, s.ratingSum(), 0.0);
            assertTrue(s.hasSeen(m.items().movieId(pos)));
        }
    }

    @Test
    void watchIsWeightedByCompletion() {
        RecommenderModel m = model();
        OnlineLearner learner = new OnlineLearner(m);
        UserState low = state(), high = state();
        learner.learn(7L, low, 20, 1, Float.NaN, 0.05f, 3000L); // weight floored at 0.25
        learner.learn(7L, high, 20, 1, Float.NaN, 1f, 3000L);   // weight 1, as a rating
        float[] u0 = state().retrievalVector();
        assertArrayEquals(expectedRetrieval(m, 7L, 7, u0, 1, 0.25f), low.retrievalVector(), 1e-6f);
        assertArrayEquals(expectedRetrieval(m, 7L, 7, u0, 1, 1f), high.retrievalVector(), 1e-6f);
        // the full watch moves further from the start than the abandoned one
        assertTrue(dist(u0, high.retrievalVector()) > dist(u0, low.retrievalVector()));
    }

    private static double dist(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }

    @Test
    void unknownItemOnlyCountsTheEventAndRemembersTheMovie() {
        OnlineLearner learner = new OnlineLearner(model());
        UserState s = state();
        learner.learn(42L, s, 999, -1, 5f, Float.NaN, 500L);
        assertArrayEquals(new float[] {0.5f, -1f}, s.ratingVector(), 0f);
        assertEquals(0.1f, s.ratingBias(), 0f);
        assertArrayEquals(new float[] {0.2f, 0.4f}, s.retrievalVector(), 0f);
        assertEquals(8, s.eventCount());
        assertEquals(4, s.ratingCount());
        assertEquals(16.0, s.ratingSum(), 0.0);
        assertEquals(1000L, s.lastEventTime(), "an older event does not move lastEventTime back");
        assertTrue(s.hasSeen(999));
        assertArrayEquals(new int[] {20, 999}, s.seenOldestFirst());

        learner.learn(42L, s, 998, -1, Float.NaN, 0.9f, 5000L);
        assertArrayEquals(new float[] {0.2f, 0.4f}, s.retrievalVector(), 0f);
        assertEquals(9, s.eventCount());
        assertEquals(4, s.ratingCount());
        assertEquals(5000L, s.lastEventTime());
        assertArrayEquals(new int[] {20, 999, 998}, s.seenOldestFirst());
    }

    @Test
    void untrainedKnownItemIsTreatedLikeAnUnknownOne() {
        OnlineLearner learner = new OnlineLearner(model());
        UserState s = state();
        learner.learn(42L, s, 40, 3, 2f, Float.NaN, 2000L);
        assertArrayEquals(new float[] {0.5f, -1f}, s.ratingVector(), 0f);
        assertEquals(0.1f, s.ratingBias(), 0f);
        assertArrayEquals(new float[] {0.2f, 0.4f}, s.retrievalVector(), 0f);
        assertEquals(8, s.eventCount());
        assertTrue(s.hasSeen(40));
    }

    private static void replay(OnlineLearner learner, long userId, UserState s) {
        learner.learn(userId, s, 10, 0, 4f, Float.NaN, 1L);
        learner.learn(userId, s, 20, 1, Float.NaN, 0.3f, 2L);
        learner.learn(userId, s, 999, -1, 3f, Float.NaN, 3L);
        learner.learn(userId, s, 30, 2, 1.5f, Float.NaN, 4L);
        learner.learn(userId, s, 40, 3, Float.NaN, Float.NaN, 5L);
        learner.learn(userId, s, 10, 0, Float.NaN, 1.2f, 6L);
        for (int i = 0; i < 20; i++) learner.learn(userId, s, 10 * (1 + i % 3), i % 3, 0.5f + (i % 10) * 0.5f, Float.NaN, 7L + i);
    }

    @Test
    void replayingTheSameEventsGivesBitIdenticalStates() {
        RecommenderModel m = model();
        UserState a = new UserState(DIM, CONFIG.seenCapacity()), b = new UserState(DIM, CONFIG.seenCapacity());
        replay(new OnlineLearner(m), 12345L, a);
        replay(new OnlineLearner(model()), 12345L, b);
        assertArrayEquals(a.ratingVector(), b.ratingVector(), 0f);
        assertArrayEquals(a.retrievalVector(), b.retrievalVector(), 0f);
        for (int f = 0; f < DIM; f++) {
            assertEquals(Float.floatToRawIntBits(a.ratingVector()[f]), Float.floatToRawIntBits(b.ratingVector()[f]));
            assertEquals(Float.floatToRawIntBits(a.retrievalVector()[f]), Float.floatToRawIntBits(b.retrievalVector()[f]));
        }
        assertEquals(Float.floatToRawIntBits(a.ratingBias()), Float.floatToRawIntBits(b.ratingBias()));
        assertEquals(a.eventCount(), b.eventCount());
        assertEquals(a.ratingCount(), b.ratingCount());
        assertEquals(a.ratingSum(), b.ratingSum(), 0.0);
        assertArrayEquals(a.seenOldestFirst(), b.seenOldestFirst());
        // something was actually learned
        assertNotEquals(0f, a.retrievalVector()[0]);
        assertNotEquals(0f, a.ratingVector()[0]);
        assertEquals(26, a.eventCount());
    }

    @Test
    void replayAfterARestoreContinuesIdentically() {
        // a task that restarts from a stored state must continue exactly as one that never stopped
        RecommenderModel m = model();
        OnlineLearner learner = new OnlineLearner(m);
        UserState live = new UserState(DIM, CONFIG.seenCapacity());
        replay(learner, 9L, live);
        UserState restored = UserState.restore(live.ratingVector(), live.ratingBias(), live.retrievalVector(),
                live.eventCount(), live.ratingCount(), live.ratingSum(), live.lastEventTime(), live.seenOldestFirst(),
                live.seenCapacity());
        replay(learner, 9L, live);
        replay(learner, 9L, restored);
        assertArrayEquals(live.ratingVector(), restored.ratingVector(), 0f);
        assertArrayEquals(live.retrievalVector(), restored.retrievalVector(), 0f);
        assertEquals(live.ratingBias(), restored.ratingBias(), 0f);
        assertArrayEquals(live.seenOldestFirst(), restored.seenOldestFirst());
    }

    @Test
    void theModelIsNeverWritten() {
        RecommenderModel m = model();
        float[] rv = m.ratingVectors().clone(), rb = m.ratingBiases().clone();
        float[] tv = m.retrievalVectors().clone(), tb = m.retrievalBiases().clone();
        replay(new OnlineLearner(m), 1L, new UserState(DIM, CONFIG.seenCapacity()));
        assertArrayEquals(rv, m.ratingVectors(), 0f);
        assertArrayEquals(rb, m.ratingBiases(), 0f);
        assertArrayEquals(tv, m.retrievalVectors(), 0f);
        assertArrayEquals(tb, m.retrievalBiases(), 0f);
    }

    @Test
    void watchWeightRule() {
        OnlineLearner learner = new OnlineLearner(model()); // minWatchWeight = 0.25
        assertEquals(0.6f, learner.watchWeight(0.6f), 0f);
        assertEquals(1f, learner.watchWeight(1f), 0f);
        assertEquals(0.25f, learner.watchWeight(0.25f), 0f);
        assertEquals(0.25f, learner.watchWeight(0.1f), 0f, "floored at minWatchWeight");
        assertEquals(0.25f, learner.watchWeight(0f), 0f);
        assertEquals(0.25f, learner.watchWeight(-0.5f), 0f, "clipped to 0 then floored");
        assertEquals(1f, learner.watchWeight(1.7f), 0f, "clipped to 1");
        assertEquals(1f, learner.watchWeight(Float.POSITIVE_INFINITY), 0f);
        assertEquals(0.25f, learner.watchWeight(Float.NEGATIVE_INFINITY), 0f);
        assertEquals(1f, learner.watchWeight(Float.NaN), 0f, "unknown completion counts fully");
    }

    @Test
    void onlineConfigValidation() {
        SgdParams p = new SgdParams(0.1f, 0f, 0f);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new OnlineConfig(p, p, 0, 10, 0.1f));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new OnlineConfig(p, p, 1, 0, 0.1f));
        OnlineConfig d = OnlineConfig.defaults();
        assertTrue(d.negatives() >= 1 && d.seenCapacity() >= 1);
    }
}
