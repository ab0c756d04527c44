package io.streamrec.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.core.events.EventRules;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The recent event ids a user's state remembers, for dropping retried sends. */
class UserStateEventIdsTest {

    @Test
    void remembersTheNewestIdsOldestFirst() {
        UserState s = new UserState(2, 4);
        assertFalse(s.hasEventId(7));
        for (long h = 1; h <= 5; h++) s.rememberEventId(h, 3);
        assertArrayEquals(new long[] {3, 4, 5}, s.eventIdsOldestFirst());
        assertTrue(s.hasEventId(5) && s.hasEventId(3));
        assertFalse(s.hasEventId(2), "forgotten beyond the capacity");
    }

    @Test
    void aLowerCapacityKeepsTheNewestAndZeroRemembersNone() {
        UserState s = UserState.restore(new float[2], 0f, new float[2], 5, 0, 0, 0, new int[0], 4, new long[] {1, 2, 3, 4, 5});
        s.rememberEventId(6, 2);
        assertArrayEquals(new long[] {5, 6}, s.eventIdsOldestFirst());
        s.rememberEventId(7, 0);
        assertEquals(0, s.eventIdCount());
    }

    @Test
    void eventIdRulesAndHash() {
        assertNull(EventRules.checkEventId(null));
        assertNull(EventRules.checkEventId("c0ffee-1"));
        assertTrue(EventRules.checkEventId("").startsWith("eventId: "));
        assertTrue(EventRules.checkEventId("x".repeat(129)).startsWith("eventId: "));
        assertTrue(EventRules.checkEventId("a\nb").startsWith("eventId: "));
        assertEquals(EventRules.eventIdHash("abc"), EventRules.eventIdHash(new String("abc")));
        Set<Long> hashes = new HashSet<>();
        for (int i = 0; i < 100_000; i++) hashes.add(EventRules.eventIdHash("event-" + i));
        assertEquals(100_000, hashes.size(), "no collision among 100k similar ids");
        assertNotEquals(EventRules.eventIdHash("ab"), EventRules.eventIdHash("ba"));
    }
}
