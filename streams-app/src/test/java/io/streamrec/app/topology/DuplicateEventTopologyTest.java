package io.streamrec.app.topology;

import io.streamrec.app.dlq.DeadLetters;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.WatchEvent;
import io.streamrec.core.events.EventRules;
import io.streamrec.core.model.UserState;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Event ids through the production topology: a repeat is dead-lettered as duplicate-event, not learned, not counted. */
class DuplicateEventTopologyTest {
    /** Not the default /tmp/streamrec-state: tests running at the same time would share its RocksDB locks. */
    @TempDir
    Path stateDir;

    static ModelDirectory.Loaded model;
    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    TopologyHarness h;

    @BeforeAll
    static void loadModel() {
        model = ModelDirectory.read(TestModels.modelDir());
    }

    @BeforeEach
    void start() {
        h = new TopologyHarness(model, Map.of("dedup.event.ids", "3"), stateDir, NOW);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    int movie(int k) {
        return model.model().items().movieId(k);
    }

    byte[] rating(long user, int movie, String eventId) {
        return RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(user, movie, 4f, NOW, eventId));
    }

    UserState state(long user) {
        KeyValueStore<Long, UserState> store = h.driver.getKeyValueStore(EventTopology.USER_STATE_STORE);
        return store.get(user);
    }

    @Test
    void aRepeatedEventIdIsDeadLetteredAndChangesNothing() {
        h.ratings.pipeInput(Keys.userKey(11), rating(11, movie(1), "e1"));
        assertEquals(1L, h.recommendations.readValue().getEventCount());
        UserState before = state(11);

        byte[] repeat = rating(11, movie(1), "e1");
        h.ratings.pipeInput(Keys.userKey(11), repeat);
        // the same id on the other topic is the same event id of the same user
        h.watches.pipeInput(Keys.userKey(11), RecordSerdes.watchEvent().serialize("watches",
                new WatchEvent(11L, movie(2), 3000, 6000, NOW, "e1")));

        assertTrue(h.recommendations.isEmpty(), "no new list for a duplicate");
        List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
        assertEquals(2, dead.size());
        for (var d : dead) assertEquals(DlqReasons.DUPLICATE_EVENT, DeadLetters.header(d.headers(), DeadLetters.REASON));
        assertArrayEquals(repeat, dead.get(0).value(), "original bytes");
        assertEquals("ratings", DeadLetters.header(dead.get(0).headers(), DeadLetters.TOPIC));
        assertEquals("1", DeadLetters.header(dead.get(0).headers(), DeadLetters.OFFSET));
        assertEquals("watches", DeadLetters.header(dead.get(1).headers(), DeadLetters.TOPIC));
        assertTrue(DeadLetters.header(dead.get(0).headers(), DeadLetters.DETAIL).contains("\"e1\""));
        assertEquals(2, h.dlqMetrics.count(DlqReasons.DUPLICATE_EVENT));

        UserState after = state(11);
        assertEquals(1, after.eventCount(), "not counted");
        assertArrayEquals(before.ratingVector(), after.ratingVector(), "not learned");
        assertArrayEquals(before.retrievalVector(), after.retrievalVector());
        assertArrayEquals(before.seenOldestFirst(), after.seenOldestFirst());
        assertEquals(1, h.quality.events(), "live quality counts it once");
    }

    @Test
    void otherIdsNoIdsAndOtherUsersAreApplied() {
        h.ratings.pipeInput(Keys.userKey(12), rating(12, movie(1), "a"));
        h.ratings.pipeInput(Keys.userKey(12), rating(12, movie(2), "b"));
        h.ratings.pipeInput(Keys.userKey(12), rating(12, movie(3), null));
        h.ratings.pipeInput(Keys.userKey(12), rating(12, movie(3), null));
        h.ratings.pipeInput(Keys.userKey(13), rating(13, movie(1), "a"));
        assertTrue(h.dlq.isEmpty());
        assertEquals(4, state(12).eventCount());
        assertEquals(1, state(13).eventCount());
        assertArrayEquals(new long[] {EventRules.eventIdHash("a"), EventRules.eventIdHash("b")}, state(12).eventIdsOldestFirst());
    }

    @Test
    void onlyTheLatestIdsAreRemembered() {
        for (String id : new String[] {"1", "2", "3", "4"}) h.ratings.pipeInput(Keys.userKey(14), rating(14, movie(1), id));
        h.ratings.pipeInput(Keys.userKey(14), rating(14, movie(1), "2")); // still remembered (2, 3, 4)
        h.ratings.pipeInput(Keys.userKey(14), rating(14, movie(1), "1")); // forgotten: applied again
        assertEquals(List.of(DlqReasons.DUPLICATE_EVENT), h.dlq.readRecordsToList().stream()
                .map(r -> DeadLetters.header(r.headers(), DeadLetters.REASON)).toList());
        assertEquals(5, state(14).eventCount());
    }

    @Test
    void aMalformedEventIdIsABadId() {
        h.ratings.pipeInput(Keys.userKey(15), rating(15, movie(1), "x".repeat(129)));
        h.ratings.pipeInput(Keys.userKey(15), rating(15, movie(1), ""));
        var dead = h.dlq.readRecordsToList();
        assertEquals(2, dead.size());
        for (var d : dead) {
            assertEquals(DlqReasons.BAD_ID, DeadLetters.header(d.headers(), DeadLetters.REASON));
            assertTrue(DeadLetters.header(d.headers(), DeadLetters.DETAIL).startsWith("eventId:"));
        }
        assertNull(state(15));
    }
}
