package io.streamrec.app.topology;

import io.streamrec.app.dlq.DeadLetters;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.avro.WatchEvent;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.model.UserState;
import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.model.ModelDirectory;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The production topology, with the production topic names, driven by TopologyTestDriver. */
class EventTopologyTest {
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
        // items as trained: the expected states are the learner's over the trained item vectors (ItemLearningTopologyTest
        // covers items learning online)
        h = new TopologyHarness(model, Map.of("items.learn.online", "false"), stateDir, NOW);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    int movie(int k) {
        return model.model().items().movieId(k);
    }

    void rate(long user, int movie, float rating, long time) {
        h.ratings.pipeInput(Keys.userKey(user), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(user, movie, rating, time, null)));
    }

    void watch(long user, int movie, int seconds, long time) {
        h.watches.pipeInput(Keys.userKey(user), RecordSerdes.watchEvent().serialize("watches", new WatchEvent(user, movie, seconds, 6000, time, null)));
    }

    @Test
    void storedUserStateEqualsTheCoreSgdResult() {
        long user = 7;
        int[] movies = {movie(3), movie(10), movie(25), movie(40)};
        rate(user, movies[0], 4.5f, NOW - 4000);
        watch(user, movies[1], 3000, NOW - 3000);
        rate(user, movies[2], 2.0f, NOW - 2000);
        rate(user, movies[3], 5.0f, NOW - 1000);

        var rm = model.model();
        UserState expected = UserState.empty(rm);
        OnlineLearner learner = new OnlineLearner(rm);
        // the store keeps the vectors as half floats and the next event starts from what it reads back
        learner.learn(user, expected, movies[0], rm.items().indexOf(movies[0]), 4.5f, Float.NaN, NOW - 4000);
        expected.roundVectorsToStored();
        learner.learn(user, expected, movies[1], rm.items().indexOf(movies[1]), Float.NaN, 0.5f, NOW - 3000);
        expected.roundVectorsToStored();
        learner.learn(user, expected, movies[2], rm.items().indexOf(movies[2]), 2.0f, Float.NaN, NOW - 2000);
        expected.roundVectorsToStored();
        learner.learn(user, expected, movies[3], rm.items().indexOf(movies[3]), 5.0f, Float.NaN, NOW - 1000);
        expected.roundVectorsToStored();

        KeyValueStore<Long, UserState> store = h.driver.getKeyValueStore(EventTopology.USER_STATE_STORE);
        UserState actual = store.get(user);
        assertArrayEquals(expected.ratingVector(), actual.ratingVector());
        assertArrayEquals(expected.retrievalVector(), actual.retrievalVector());
        assertEquals(expected.ratingBias(), actual.ratingBias());
        assertEquals(4, actual.eventCount());
        assertArrayEquals(movies, actual.seenOldestFirst());

        List<Recommendations> out = h.recommendations.readValuesToList();
        assertEquals(List.of(1L, 2L, 3L, 4L), out.stream().map(Recommendations::getEventCount).toList());
    }

    /**
     * The query API serves a user's list from the state: after each event the state keeps exactly the list sent to the
     * output topic (ids, scores, model version, time, event count), and the list store older releases wrote stays
     * unwritten (one store write per event).
     */
    @Test
    void theStateKeepsTheListSentAndTheOldListStoreIsNotWritten() {
        long user = 9;
        KeyValueStore<Long, UserState> states = h.driver.getKeyValueStore(EventTopology.USER_STATE_STORE);
        for (int i = 0; i < 3; i++) {
            rate(user, movie(5 + i), 4f, NOW - 1000 + i);
            Recommendations sent = h.recommendations.readValue();
            UserState s = states.get(user);
            assertTrue(s.hasServableList());
            assertEquals(sent.getMovies().size(), s.lastListSize());
            for (int r = 0; r < s.lastListSize(); r++) {
                assertEquals(sent.getMovies().get(r).getMovieId(), s.lastListMovie(r));
                assertEquals(sent.getMovies().get(r).getScore(), s.lastListScore(r));
            }
            assertEquals(sent.getModelVersion(), s.lastListModelVersion());
            assertEquals(sent.getGeneratedAt(), s.lastListGeneratedAt());
            assertEquals(sent.getEventCount(), s.lastListEventCount());
            assertEquals(i + 1, s.lastListEventCount());
        }
        KeyValueStore<Long, Recommendations> old = h.driver.getKeyValueStore(EventTopology.RECOMMENDATIONS_STORE);
        assertNull(old.get(user));
        assertFalse(TopologyHarness.oldListStoreWritten(h.driver), "not even a delete: the user has no state an older release stored");
    }

    /**
     * A user whose state an older release stored (the list's ids only, the list itself in the list store): live HR
     * reads the stored ids, and the first new list goes into the state and removes the old store's stale copy.
     */
    @Test
    void aStateFromAnOlderReleaseMovesItsListIntoTheState() {
        long user = 11;
        var rm = model.model();
        UserState old = UserState.empty(rm);
        old.modelVersion(rm.version());
        old.countEvent(4f, NOW - 5000);
        old.lastList(new int[] {movie(1), movie(2)}, 2);
        KeyValueStore<Long, UserState> states = h.driver.getKeyValueStore(EventTopology.USER_STATE_STORE);
        KeyValueStore<Long, Recommendations> lists = h.driver.getKeyValueStore(EventTopology.RECOMMENDATIONS_STORE);
        states.put(user, old);
        lists.put(user, new Recommendations(user, List.of(new RecommendedMovie(movie(1), 1f)), rm.version(), NOW - 5000, 1L));
        assertFalse(states.get(user).hasServableList());

        rate(user, movie(2), 4f, NOW - 1000);
        assertEquals(1.0, h.quality.hitRate(), 1e-9, "the movie was among the stored ids of the last list");
        UserState now = states.get(user);
        assertTrue(now.hasServableList());
        assertEquals(2L, now.lastListEventCount());
        assertEquals(h.recommendations.readValue().getMovies().get(0).getMovieId(), now.lastListMovie(0));
        assertNull(lists.get(user), "the old store's list is stale from now on");
    }

    @Test
    void aListNeverContainsASeenMovieAndANewUserGetsAList() {
        long user = 42;
        var rm = model.model();
        for (int i = 0; i < 30; i++) rate(user, movie(i * 3), 3.5f + (i % 3) * 0.5f, NOW - 100_000 + i);
        List<TestRecord<String, Recommendations>> out = h.recommendations.readRecordsToList();
        assertEquals(30, out.size());
        for (int i = 0; i < out.size(); i++) {
            Recommendations r = out.get(i).value();
            assertEquals("42", out.get(i).key());
            assertEquals(10, r.getMovies().size(), "a new user gets a full list from the first event");
            assertEquals(rm.version(), r.getModelVersion());
            for (RecommendedMovie m : r.getMovies()) {
                for (int j = 0; j <= i; j++) assertNotEquals(movie(j * 3), m.getMovieId(), "seen movie in list " + i);
            }
        }
    }

    @Test
    void eachPoisonInputLandsInTheDlqWithItsReasonAndGoodEventsStillFlow() {
        byte[] good = RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(5L, movie(1), 4f, NOW, null));
        h.ratings.pipeInput(Keys.userKey(5), "not avro at all".getBytes(StandardCharsets.UTF_8));
        h.ratings.pipeInput(null, good);
        h.ratings.pipeInput(Keys.userKey(6), good);
        h.ratings.pipeInput(Keys.userKey(5), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(5L, movie(1), 7f, NOW, null)));
        h.ratings.pipeInput(Keys.userKey(5), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(5L, -3, 4f, NOW, null)));
        h.ratings.pipeInput(Keys.userKey(5), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(5L, movie(1), 4f, NOW + 10L * 86_400_000, null)));
        byte[] unknownSchema = good.clone();
        unknownSchema[5] ^= 0x55;
        h.ratings.pipeInput(Keys.userKey(5), unknownSchema);
        h.watches.pipeInput("abc".getBytes(StandardCharsets.UTF_8), RecordSerdes.watchEvent().serialize("watches", new WatchEvent(5L, movie(2), 100, null, NOW, null)));
        h.ratings.pipeInput(Keys.userKey(5), good);

        List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
        List<String> reasons = dead.stream().map(r -> DeadLetters.header(r.headers(), DeadLetters.REASON)).toList();
        assertEquals(List.of(DlqReasons.DESERIALIZATION, DlqReasons.NULL_KEY, DlqReasons.KEY_MISMATCH, DlqReasons.RATING_OUT_OF_RANGE,
                DlqReasons.BAD_ID, DlqReasons.FUTURE_TIMESTAMP, DlqReasons.UNKNOWN_SCHEMA, DlqReasons.KEY_MISMATCH), reasons);
        assertArrayEquals("not avro at all".getBytes(StandardCharsets.UTF_8), dead.get(0).value(), "original bytes kept");
        assertEquals("ratings", DeadLetters.header(dead.get(0).headers(), DeadLetters.TOPIC));
        assertEquals("0", DeadLetters.header(dead.get(0).headers(), DeadLetters.OFFSET));
        assertTrue(DeadLetters.header(dead.get(3).headers(), DeadLetters.DETAIL).contains("rating"));
        assertEquals(1, h.dlqMetrics.count(DlqReasons.RATING_OUT_OF_RANGE));

        List<TestRecord<String, Recommendations>> out = h.recommendations.readRecordsToList();
        assertEquals(1, out.size(), "the good event after the poison ones still produced a list");
        assertEquals("5", out.get(0).key());
        assertEquals(1L, out.get(0).value().getEventCount());
    }

    @Test
    void notANumberRatingsAndImpossibleWatchesAreDeadLetteredNotLearned() {
        // NaN marks a watch inside ValidatedEvent: a NaN rating must be refused before that, not learned as a watch
        h.ratings.pipeInput(Keys.userKey(7), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(7L, movie(1), Float.NaN, NOW, null)));
        h.ratings.pipeInput(Keys.userKey(7), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(7L, movie(1), Float.POSITIVE_INFINITY, NOW, null)));
        h.watches.pipeInput(Keys.userKey(7), RecordSerdes.watchEvent().serialize("watches", new WatchEvent(7L, movie(2), -30, 6000, NOW, null)));
        h.watches.pipeInput(Keys.userKey(7), RecordSerdes.watchEvent().serialize("watches", new WatchEvent(7L, movie(2), 30, 0, NOW, null)));

        List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
        List<String> reasons = dead.stream().map(r -> DeadLetters.header(r.headers(), DeadLetters.REASON)).toList();
        assertEquals(List.of(DlqReasons.RATING_OUT_OF_RANGE, DlqReasons.RATING_OUT_OF_RANGE, DlqReasons.WATCH_OUT_OF_RANGE,
                DlqReasons.WATCH_OUT_OF_RANGE), reasons);
        assertTrue(DeadLetters.header(dead.get(0).headers(), DeadLetters.DETAIL).startsWith("rating:"));
        assertTrue(DeadLetters.header(dead.get(2).headers(), DeadLetters.DETAIL).startsWith("secondsWatched:"));
        assertTrue(DeadLetters.header(dead.get(3).headers(), DeadLetters.DETAIL).startsWith("movieLengthSeconds:"));
        assertEquals(2, h.dlqMetrics.count(DlqReasons.WATCH_OUT_OF_RANGE));
        assertTrue(h.recommendations.isEmpty(), "nothing was learned, so no list was made");
    }

    @Test
    void liveQualityIsMeasuredBeforeLearning() {
        rate(9, movie(2), 4f, NOW - 10);
        Recommendations first = h.recommendations.readValue();
        int recommended = first.getMovies().get(0).getMovieId();
        rate(9, recommended, 5f, NOW - 5);
        assertEquals(1.0, h.quality.hitRate(), "the second event's movie was in the list sent after the first");
        assertTrue(h.quality.rmse() > 0 && h.quality.rmse() < 4.5);
        assertEquals(2, h.quality.events());
    }
}
