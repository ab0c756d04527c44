package io.streamrec.core.learn;

import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The item side of the online step on {@link OnlineLearnerTest}'s 2-d model, checked by hand. */
class OnlineItemLearnerTest {
    private static final OnlineConfig ITEMS = new OnlineConfig(new SgdParams(0.1f, 0.05f, 0.02f), new SgdParams(0.2f, 0.01f, 0f),
            3, 5, 0.25f, new SgdParams(0.1f, 0.05f, 0.02f), new SgdParams(0.2f, 0.01f, 0.1f));

    @Test
    void itemStepByHand() {
        ItemFeedback fb = new ItemFeedback(2, 2);
        fb.reset(10, 0);
        fb.rating(0.6f, new float[] {0.5f, -1f}, 0);
        fb.retrievalVector(new float[] {0.2f, 0.4f}, 0);
        fb.addRetrievalGradient(0.3f);
        fb.addRetrievalGradient(0.2f);
        float[] q = {2f, 1f, 9f, 9f}, b = {-0.2f, 9f}, v = {1f, 0f, 9f, 9f}, c = {0.5f, 9f};
        OnlineItemLearner.apply(fb, 0, q, b, v, c, ITEMS);
        // q ← q + 0.1·(0.6·p − 0.05·q); b ← b + 0.1·(0.6 − 0.02·b)
        assertArrayEquals(new float[] {2.02f, 0.935f, 9f, 9f}, q, 1e-6f);
        assertEquals(-0.1396f, b[0], 1e-6f);
        // v ← v + 0.2·(0.5·u − 0.01·v); c ← c + 0.2·(0.5 − 0.1·c)
        assertArrayEquals(new float[] {1.018f, 0.04f, 9f, 9f}, v, 1e-6f);
        assertEquals(0.59f, c[0], 1e-6f);
        assertEquals(9f, b[1]);
        assertEquals(9f, c[1]);
    }

    @Test
    void aWatchMovesOnlyTheRetrievalSide() {
        ItemFeedback fb = new ItemFeedback(2, 2);
        fb.reset(10, 0);
        fb.retrievalVector(new float[] {0.2f, 0.4f}, 0);
        fb.addRetrievalGradient(0.5f);
        float[] q = {2f, 1f}, b = {-0.2f}, v = {1f, 0f}, c = {0.5f};
        OnlineItemLearner.apply(fb, 0, q, b, v, c, ITEMS);
        assertArrayEquals(new float[] {2f, 1f}, q, 0f);
        assertEquals(-0.2f, b[0]);
        assertArrayEquals(new float[] {1.018f, 0.04f}, v, 1e-6f);
    }

    @Test
    void learnerRecordsTheFeedbackWithoutChangingTheUserStep() {
        RecommenderModel m = OnlineLearnerTest.model().withOnline(ITEMS);
        UserState with = OnlineLearnerTest.state(), without = OnlineLearnerTest.state();
        ItemFeedback fb = new ItemFeedback(2, 2);
        new OnlineLearner(m).learn(42L, with, 10, 0, 4f, Float.NaN, 2000L, fb);
        new OnlineLearner(m).learn(42L, without, 10, 0, 4f, Float.NaN, 2000L);
        assertArrayEquals(without.ratingVector(), with.ratingVector(), 0f);
        assertArrayEquals(without.retrievalVector(), with.retrievalVector(), 0f);
        assertEquals(without.ratingBias(), with.ratingBias());
        // r̂ = 3.5 + 0.1 − 0.2 + (0.5·2 − 1·1) = 3.4, so e = 0.6, with the user's vectors before the step
        assertEquals(0.6f, fb.ratingError(), 1e-6f);
        assertArrayEquals(new float[] {0.5f, -1f}, fb.userRatingVector(), 0f);
        assertArrayEquals(new float[] {0.2f, 0.4f}, fb.userRetrievalVector(), 0f);
        assertTrue(fb.retrievalGradient() > 0f, "BPR steps were made: " + fb.retrievalGradient());
        assertEquals(0, fb.item());
        assertFalse(fb.isEmpty());

        new OnlineLearner(m).learn(42L, with, 99, -1, 4f, Float.NaN, 2001L, fb);
        assertTrue(fb.isEmpty(), "an unknown movie teaches no item");
    }

    @Test
    void itemUpdatesGoToAPrivateCopyOfTheModel() {
        RecommenderModel m = OnlineLearnerTest.model();
        RecommenderModel own = m.withOwnItemArrays();
        own.ratingVectors()[0] = 42f;
        own.retrievalBiases()[0] = 42f;
        assertEquals(2f, m.ratingVectors()[0]);
        assertEquals(0.5f, m.retrievalBiases()[0]);
    }

    @Test
    void aBusyUsersEventMovesTheMovieLessWhenDamped() {
        RecommenderModel undamped = OnlineLearnerTest.model().withOnline(ITEMS);
        RecommenderModel damped = OnlineLearnerTest.model().withOnline(ITEMS.withItemDamping(10f));
        ItemFeedback a = new ItemFeedback(2, 2), b = new ItemFeedback(2, 2);
        // the same user state, so the same sampled negatives and gradients; only the weight differs
        UserState s1 = OnlineLearnerTest.state(), s2 = OnlineLearnerTest.state();
        for (int e = 0; e < 30; e++) {
            s1.countEvent(Float.NaN, 1000L + e);
            s2.countEvent(Float.NaN, 1000L + e);
        }
        new OnlineLearner(undamped).learn(42L, s1, 10, 0, 4f, Float.NaN, 2000L, a);
        new OnlineLearner(damped).learn(42L, s2, 10, 0, 4f, Float.NaN, 2000L, b);
        long n = OnlineLearnerTest.state().eventCount() + 30;
        assertTrue(a.retrievalGradient() > 0f);
        assertEquals(a.retrievalGradient() * 10f / (10f + n), b.retrievalGradient(), 1e-6f);
        assertEquals(a.ratingError(), b.ratingError(), "the rating side is not damped");
        assertArrayEquals(s1.retrievalVector(), s2.retrievalVector(), 0f); // nor the user's own step
        assertEquals(1f, ITEMS.itemWeight(1_000_000), "off by default");
        assertEquals(0.5f, ITEMS.withItemDamping(10f).itemWeight(10));
    }
}
