package io.streamrec.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UserStateTest {

    @Test
    void freshStateIsZero() {
        UserState s = new UserState(3, 4);
        assertEquals(3, s.ratingDim());
        assertArrayEquals(new float[3], s.ratingVector(), 0f);
        assertArrayEquals(new float[3], s.retrievalVector(), 0f);
        assertEquals(0f, s.ratingBias(), 0f);
        assertEquals(0, s.eventCount());
        assertEquals(0, s.seenSize());
        assertEquals(4, s.seenCapacity());
        assertArrayEquals(new int[0], s.seenOldestFirst());
        assertFalse(s.hasSeen(0), "an empty ring must not report the zero-filled slots as seen");
    }

    @Test
    void seenRingKeepsTheNewestOldestFirst() {
        UserState s = new UserState(2, 3);
        s.addSeen(1);
        s.addSeen(2);
        assertArrayEquals(new int[] {1, 2}, s.seenOldestFirst());
        s.addSeen(3);
        assertArrayEquals(new int[] {1, 2, 3}, s.seenOldestFirst());
        s.addSeen(4);
        s.addSeen(5);
        assertArrayEquals(new int[] {3, 4, 5}, s.seenOldestFirst());
        assertEquals(3, s.seenSize());
        assertEquals(3, s.seen(0));
        assertEquals(5, s.seen(2));
        assertFalse(s.hasSeen(1));
        assertFalse(s.hasSeen(2));
        assertTrue(s.hasSeen(3));
        assertTrue(s.hasSeen(5));
    }

    @Test
    void duplicatesAreNotReAdded() {
        UserState s = new UserState(2, 3);
        s.addSeen(1);
        s.addSeen(2);
        s.addSeen(1);
        assertArrayEquals(new int[] {1, 2}, s.seenOldestFirst());
        assertEquals(2, s.seenSize());
        s.addSeen(3);
        s.addSeen(2); // already there: no change, does not count as newer
        assertArrayEquals(new int[] {1, 2, 3}, s.seenOldestFirst());
        s.addSeen(4); // evicts the oldest, 1
        assertArrayEquals(new int[] {2, 3, 4}, s.seenOldestFirst());
        s.addSeen(1); // 1 was forgotten: added again, evicting 2
        assertArrayEquals(new int[] {3, 4, 1}, s.seenOldestFirst());
    }

    @Test
    void capacityOne() {
        UserState s = new UserState(1, 1);
        s.addSeen(7);
        s.addSeen(7);
        assertArrayEquals(new int[] {7}, s.seenOldestFirst());
        s.addSeen(8);
        assertArrayEquals(new int[] {8}, s.seenOldestFirst());
        assertFalse(s.hasSeen(7));
    }

    @Test
    void ringMatchesAReferenceOnRandomSequences() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int cap = rnd.nextInt(1, 8);
            UserState s = new UserState(2, cap);
            Deque<Integer> ref = new ArrayDeque<>();
            for (int step = 0; step < 200; step++) {
                int id = rnd.nextInt(0, 15);
                s.addSeen(id);
                if (!ref.contains(id)) {
                    ref.addLast(id);
                    if (ref.size() > cap) ref.removeFirst();
                }
                assertArrayEquals(ref.stream().mapToInt(Integer::intValue).toArray(), s.seenOldestFirst(),
                        "seed " + seed + " step " + step);
                for (int q = 0; q < 15; q++) assertEquals(ref.contains(q), s.hasSeen(q));
            }
        }
    }

    @Test
    void ringGrowsPastItsInitialStorageAndStillMatchesAReference() {
        for (long seed = 1; seed <= 10; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int cap = rnd.nextInt(17, 120);
            UserState s = new UserState(2, cap);
            Deque<Integer> ref = new ArrayDeque<>();
            for (int step = 0; step < 600; step++) {
                int id = rnd.nextInt(0, 3 * cap);
                s.addSeen(id);
                if (!ref.contains(id)) {
                    ref.addLast(id);
                    if (ref.size() > cap) ref.removeFirst();
                }
                if (step % 50 == 0) {
                    // a state rebuilt from the store (ring storage sized to its ids) goes on identically
                    s = UserState.restore(s.ratingVector(), s.ratingBias(), s.retrievalVector(), s.eventCount(),
                            s.ratingCount(), s.ratingSum(), s.lastEventTime(), s.seenOldestFirst(), s.seenCapacity());
                }
                assertArrayEquals(ref.stream().mapToInt(Integer::intValue).toArray(), s.seenOldestFirst(),
                        "seed " + seed + " step " + step);
                assertEquals(cap, s.seenCapacity());
            }
        }
    }

    @Test
    void countEvent() {
        UserState s = new UserState(2, 3);
        s.countEvent(4f, 100L);
        s.countEvent(Float.NaN, 300L);
        s.countEvent(2.5f, 200L);
        assertEquals(3, s.eventCount());
        assertEquals(2, s.ratingCount());
        assertEquals(6.5, s.ratingSum(), 0.0);
        assertEquals(300L, s.lastEventTime(), "an out-of-order event does not move the time back");
    }

    @Test
    void restoreRoundTrip() {
        UserState s = new UserState(2, 3);
        s.ratingVector()[0] = 0.5f;
        s.ratingVector()[1] = -1f;
        s.retrievalVector()[0] = 0.25f;
        s.retrievalVector()[1] = 2f;
        s.ratingBias(0.1f);
        s.countEvent(4f, 10L);
        s.countEvent(Float.NaN, 20L);
        for (int id : new int[] {5, 6, 7, 8}) s.addSeen(id);

        UserState r = UserState.restore(s.ratingVector(), s.ratingBias(), s.retrievalVector(), s.eventCount(),
                s.ratingCount(), s.ratingSum(), s.lastEventTime(), s.seenOldestFirst(), s.seenCapacity());
        assertArrayEquals(s.ratingVector(), r.ratingVector(), 0f);
        assertArrayEquals(s.retrievalVector(), r.retrievalVector(), 0f);
        assertEquals(s.ratingBias(), r.ratingBias(), 0f);
        assertEquals(s.eventCount(), r.eventCount());
        assertEquals(s.ratingCount(), r.ratingCount());
        assertEquals(s.ratingSum(), r.ratingSum(), 0.0);
        assertEquals(s.lastEventTime(), r.lastEventTime());
        assertEquals(s.seenCapacity(), r.seenCapacity());
        assertArrayEquals(new int[] {6, 7, 8}, r.seenOldestFirst());

        // the restored ring evicts in the same order as the original
        s.addSeen(9);
        r.addSeen(9);
        assertArrayEquals(new int[] {7, 8, 9}, r.seenOldestFirst());
        assertArrayEquals(s.seenOldestFirst(), r.seenOldestFirst());

        // the restored state owns its arrays
        s.ratingVector()[0] = 42f;
        s.retrievalVector()[0] = 42f;
        assertEquals(0.5f, r.ratingVector()[0], 0f);
        assertEquals(0.25f, r.retrievalVector()[0], 0f);
    }

    @Test
    void restoreIntoASmallerRingKeepsTheNewest() {
        UserState r = UserState.restore(new float[2], 0f, new float[2], 5, 0, 0, 0, new int[] {1, 2, 3, 4, 5}, 2);
        assertArrayEquals(new int[] {4, 5}, r.seenOldestFirst());
        assertEquals(2, r.seenCapacity());
    }
}
