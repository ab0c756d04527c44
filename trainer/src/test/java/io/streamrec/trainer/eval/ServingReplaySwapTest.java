package io.streamrec.trainer.eval;

import io.streamrec.core.learn.FoldIn;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.model.GeneratedModel;
import io.streamrec.trainer.data.Interactions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * Replays chained across a model swap do what the app does at a user's first event under the new model: re-fit the
 * state from its remembered events, or take the new model's published vector when there is one.
 */
class ServingReplaySwapTest {
    static final RecommenderModel A = GeneratedModel.model(60, 4, 1), B = GeneratedModel.model(60, 6, 2);
    static final int USER = 7;

    static Interactions before() {
        Interactions.Builder b = Interactions.builder();
        for (int m = 1; m <= 5; m++) b.addRating(USER, m, 1f + m * 0.5f, 1000L + m);
        b.addWatch(USER, 9, 0.8f, 1010L);
        return b.build();
    }

    static Interactions after() {
        return Interactions.builder().addRating(USER, 20, 4f, 2000L).build();
    }

    static ServingReplay replay(RecommenderModel m) {
        return new ServingReplay(m, GeneratedModel.ranker(m.dim(), new int[] {8}, 3), 0.5f, 20, u -> null);
    }

    @Test
    void theFirstEventUnderANewModelReFitsTheStateFromItsHistory() {
        ServingReplay.Users users = new ServingReplay.Users();
        replay(A).run(before(), ServingReplay.Mode.ONLINE_USERS, true, ServingReplay.ListSink.NONE, users, null, true, null);
        UserState underA = users.state(USER);
        assertEquals(A.version(), underA.modelVersion());
        assertEquals(6, underA.historyCount());

        ServingReplay.Result r = replay(B).run(after(), ServingReplay.Mode.ONLINE_USERS, true, ServingReplay.ListSink.NONE,
                users, null, true, u -> u == USER);
        UserState underB = users.state(USER);
        assertNotSame(underA, underB);
        assertEquals(B.version(), underB.modelVersion());
        assertEquals(7, underB.eventCount());
        assertEquals(1, r.focus().events());

        UserState expected = underA.fittedTo(B);
        new FoldIn(B).refit(USER, expected);
        new OnlineLearner(B).learn(USER, expected, 20, B.items().indexOf(20), 4f, Float.NaN, 2000L);
        expected.roundVectorsToStored(); // as the app stores it after the event (half floats)
        assertArrayEquals(expected.ratingVector(), underB.ratingVector());
        assertArrayEquals(expected.retrievalVector(), underB.retrievalVector());
        assertEquals(expected.ratingBias(), underB.ratingBias());
    }

    @Test
    void aPublishedVectorOfTheNewModelIsTakenInsteadOfAReFit() {
        ServingReplay.Users users = new ServingReplay.Users();
        replay(A).run(before(), ServingReplay.Mode.ONLINE_USERS, true, ServingReplay.ListSink.NONE, users, null, true, null);
        UserState underA = users.state(USER);
        UserState published = new UserState(B.ratingDim(), B.dim(), 100);
        for (int f = 0; f < B.dim(); f++) published.retrievalVector()[f] = 0.1f * (f + 1);
        published.ratingBias(0.25f);
        published.addSeen(33);
        published.modelVersion(B.version());

        replay(B).run(after(), ServingReplay.Mode.ONLINE_USERS, true, ServingReplay.ListSink.NONE, users,
                u -> u == USER ? published : null, true, null);

        UserState expected = underA.fittedTo(B);
        expected.adoptVectors(published);
        new OnlineLearner(B).learn(USER, expected, 20, B.items().indexOf(20), 4f, Float.NaN, 2000L);
        expected.roundVectorsToStored(); // as the app stores it after the event (half floats)
        UserState underB = users.state(USER);
        assertArrayEquals(expected.retrievalVector(), underB.retrievalVector());
        assertEquals(expected.ratingBias(), underB.ratingBias());
        assertEquals(B.version(), underB.modelVersion());
        assertEquals(true, underB.hasSeen(33), "the published training movies are seen");
    }
}
