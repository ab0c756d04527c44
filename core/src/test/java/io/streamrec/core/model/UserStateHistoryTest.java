package io.streamrec.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a state keeps for moving with the model: its model version, its latest events, the last list sent. */
class UserStateHistoryTest {

    @Test
    void remembersTheNewestEventsOldestFirst() {
        UserState s = new UserState(2, 4);
        for (int m = 1; m <= 5; m++) s.rememberEvent(m, m % 2 == 0 ? m : Float.NaN, m % 2 == 0 ? Float.NaN : 0.5f, 3);
        assertArrayEquals(new int[] {3, 4, 5}, s.historyMovies());
        assertArrayEquals(new float[] {Float.NaN, 4f, Float.NaN}, s.historyRatings());
        assertArrayEquals(new float[] {0.5f, Float.NaN, 0.5f}, s.historyCompletions());
        s.rememberEvent(6, 1f, Float.NaN, 0);
        assertEquals(0, s.historyCount(), "capacity 0 remembers none");
    }

    @Test
    void keepsTheFirstTenOfTheLastList() {
        UserState s = new UserState(2, 4);
        assertFalse(s.inLastList(1));
        int[] list = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21};
        s.lastList(list, 12);
        assertEquals(UserState.LAST_LIST_MAX, s.lastListSize());
        assertTrue(s.inLastList(19));
        assertFalse(s.inLastList(20), "beyond the first 10");
        s.lastList(new int[] {7}, 1);
        assertTrue(s.inLastList(7));
        assertFalse(s.inLastList(10));
    }

    /** The list just sent, kept whole with its stamps for the query API; live HR still looks at its first 10 only. */
    @Test
    void keepsTheWholeListSentWithItsStamps() {
        UserState s = new UserState(3, 4); // another shape than twoDim(): fittedTo copies
        assertFalse(s.hasServableList());
        s.modelVersion("m1");
        s.countEvent(4f, 10L);
        int[] ids = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21};
        float[] scores = {12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        s.lastList(ids, scores, 12, 1234L);
        assertTrue(s.hasServableList());
        assertEquals(12, s.lastListSize());
        assertEquals(21, s.lastListMovie(11));
        assertEquals(1f, s.lastListScore(11));
        assertEquals("m1", s.lastListModelVersion());
        assertEquals(1234L, s.lastListGeneratedAt());
        assertEquals(1L, s.lastListEventCount());
        assertTrue(s.inLastList(19));
        assertFalse(s.inLastList(20), "live HR is at 10");
        ids[0] = 99;
        assertEquals(10, s.lastListMovie(0), "copied, not shared: the processor reuses its arrays");
        s.countEvent(3f, 11L);
        s.modelVersion("m2");
        assertEquals("m1", s.lastListModelVersion(), "the stamps are the list's, not the state's now");
        assertEquals(1L, s.lastListEventCount());
        UserState f = s.fittedTo(twoDim());
        assertTrue(f != s);
        assertTrue(f.hasServableList(), "a re-shaped state keeps the list whole");
        assertEquals(12, f.lastListSize());
        assertEquals(1234L, f.lastListGeneratedAt());
    }

    @Test
    void fittingToAnotherShapeKeepsVersionHistoryAndList() {
        UserState s = new UserState(3, 3, 10);
        s.modelVersion("old");
        s.rememberEvent(5, 4f, Float.NaN, 50);
        s.lastList(new int[] {8, 9}, 2);
        RecommenderModel m = twoDim();
        UserState f = s.fittedTo(m);
        assertEquals("old", f.modelVersion());
        assertArrayEquals(new int[] {5}, f.historyMovies());
        assertTrue(f.inLastList(9));
        UserState same = new UserState(m.ratingDim(), m.dim(), 10);
        assertSame(same, same.fittedTo(m));
    }

    static RecommenderModel twoDim() {
        ItemIndex items = ItemIndex.of(new int[] {1, 2});
        io.streamrec.core.features.MovieMeta[] movies = {new io.streamrec.core.features.MovieMeta(1, "a", java.util.List.of(), 2000),
                new io.streamrec.core.features.MovieMeta(2, "b", java.util.List.of(), 2000)};
        return new RecommenderModel("v", 2, 3.5f, items, movies, new float[4], new float[2], new float[4], new float[2],
                new boolean[] {true, true}, new long[2], io.streamrec.core.learn.OnlineConfig.defaults());
    }

    @Test
    void adoptingAPublishedVectorKeepsOwnCountsAndAddsItsSeenMovies() {
        UserState s = UserState.restore(new float[] {1, 1}, 0.5f, new float[] {2, 2}, 7, 3, 11.0, 1000L, new int[] {20}, 10);
        s.modelVersion("old");
        s.rememberEvent(20, 4f, Float.NaN, 50);
        UserState published = UserState.restore(new float[] {3, 4}, -0.1f, new float[] {5, 6}, 40, 40, 150.0, 900L,
                new int[] {30, 20}, 10);
        published.modelVersion("new");
        s.adoptVectors(published);
        assertArrayEquals(new float[] {3, 4}, s.ratingVector());
        assertArrayEquals(new float[] {5, 6}, s.retrievalVector());
        assertEquals(-0.1f, s.ratingBias());
        assertEquals("new", s.modelVersion());
        assertEquals(7, s.eventCount());
        assertArrayEquals(new int[] {20, 30}, s.seenOldestFirst());
        assertArrayEquals(new int[] {20}, s.historyMovies());
    }
}
