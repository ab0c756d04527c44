package io.streamrec.app.topology;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.avro.UserVector;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.model.ModelDirectory;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Warm start through the production topology: a user vector the trainer wrote (users.avro of a
 * model the real trainer exported) published on `user-vectors` becomes the user's state, and the
 * user's first list is exactly what the serving pipeline makes from the batch vector after the
 * online step, with none of the user's training movies in it.
 */
class WarmStartTopologyTest {
    /** Not the default /tmp/streamrec-state: tests running at the same time would share its RocksDB locks. */
    @TempDir
    Path stateDir;

    static ModelDirectory.Loaded model;
    static List<UserVector> vectors;
    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    AppConfig config;
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> ratings, userVectors;
    TestOutputTopic<String, Recommendations> recommendations;
    LiveQuality quality;

    @BeforeAll
    static void loadModel() {
        model = ModelDirectory.read(TestModels.modelDir());
        vectors = ModelDirectory.readUserVectors(TestModels.modelDir());
    }

    @BeforeEach
    void start() {
        config = AppConfig.of(Map.of("model.dir", TestModels.modelDir().toString(), "topic.user-vectors", "user-vectors",
                "state.dir", stateDir.toString(), "items.learn.online", "false")); // expected states use the trained items
        quality = new LiveQuality();
        Properties props = config.streamsProperties();
        driver = new TopologyTestDriver(EventTopology.build(config, model, quality, new DlqMetrics()), props, Instant.ofEpochMilli(NOW));
        ratings = driver.createInputTopic("ratings", new ByteArraySerializer(), new ByteArraySerializer());
        userVectors = driver.createInputTopic("user-vectors", new ByteArraySerializer(), new ByteArraySerializer());
        recommendations = driver.createOutputTopic("recommendations", Serdes.String().deserializer(),
                RecordSerdes.recommendations().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** A published user with a real training history. */
    static UserVector knownUser() {
        return vectors.stream().filter(v -> v.getSeenMovieIds().size() >= 20).findFirst().orElseThrow();
    }

    void publish(UserVector v) {
        userVectors.pipeInput(Keys.userKey(v.getUserId()), RecordSerdes.userVector().serialize("user-vectors", v));
    }

    void rate(long user, int movie, float rating, long time) {
        ratings.pipeInput(Keys.userKey(user), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(user, movie, rating, time, null)));
    }

    /** A trained movie the user did not see in training. */
    static int unseenMovie(RecommenderModel m, UserVector v) {
        for (int i = 0; i < m.itemCount(); i++) {
            if (m.trained(i) && !v.getSeenMovieIds().contains(m.items().movieId(i))) return m.items().movieId(i);
        }
        throw new IllegalStateException("no unseen movie");
    }

    /**
     * A warm-started user's state has counts but no list: their first event is no live HR sample and writes their state
     * only, nothing to the list store older releases wrote (no list was ever sent).
     */
    @Test
    void aWarmStartedUsersFirstListGoesOnlyIntoTheState() {
        UserVector v = knownUser();
        publish(v);
        assertFalse(driver.<Long, UserState>getKeyValueStore(EventTopology.USER_STATE_STORE).get(v.getUserId()).hasServableList());
        rate(v.getUserId(), unseenMovie(model.model(), v), 4f, NOW);
        assertEquals(1, recommendations.readValuesToList().size());
        assertTrue(Double.isNaN(quality.hitRate()), "no live HR sample: no list had been sent to the user");
        assertTrue(driver.<Long, UserState>getKeyValueStore(EventTopology.USER_STATE_STORE).get(v.getUserId()).hasServableList());
        assertFalse(TopologyHarness.oldListStoreWritten(driver), driver.producedTopicNames().toString());
    }

    @Test
    void theTrainerWritesAVectorForEveryUserItKnows() {
        assertEquals(TestModels.data().events().distinctUsers().length, vectors.size());
        for (UserVector v : vectors) {
            assertEquals(model.model().version(), v.getModelVersion());
            assertTrue(v.getEventCount() > 0);
            assertEquals(model.model().ratingDim(), v.getRatingVector().size());
            assertEquals(model.model().dim(), v.getRetrievalVector().size());
        }
    }

    @Test
    void theAdoptedHistoryIsTheNewestTrainingMoviesWithTheirRatings() {
        int capacity = config.userHistoryEvents();
        UserVector v = vectors.stream().filter(x -> x.getSeenMovieIds().size() > capacity).findFirst().orElseThrow();
        int n = v.getSeenMovieIds().size();
        assertEquals(n, v.getSeenRatings().size(), "one rating (or NaN for a watch) per seen movie");
        assertTrue(v.getSeenRatings().stream().anyMatch(r -> !r.isNaN()), "the generated users rate");
        publish(v);
        UserState adopted = driver.<Long, UserState>getKeyValueStore(EventTopology.USER_STATE_STORE).get(v.getUserId());
        int[] movies = new int[capacity];
        float[] ratings = new float[capacity];
        for (int k = 0; k < capacity; k++) {
            movies[k] = v.getSeenMovieIds().get(n - capacity + k);
            ratings[k] = v.getSeenRatings().get(n - capacity + k);
        }
        assertArrayEquals(movies, adopted.historyMovies());
        assertArrayEquals(ratings, adopted.historyRatings(), "what fold-in re-fits the rating vector from at the next swap");

        // a version-1 vector (no ratings): the same movies, remembered without ratings
        UserVector old = UserVector.newBuilder(v).setUserId(v.getUserId() + 1_000_000).setSeenRatings(List.of()).build();
        publish(old);
        UserState noRatings = driver.<Long, UserState>getKeyValueStore(EventTopology.USER_STATE_STORE).get(old.getUserId());
        assertArrayEquals(movies, noRatings.historyMovies());
        for (float r : noRatings.historyRatings()) assertTrue(Float.isNaN(r));
    }

    @Test
    void aKnownUsersFirstListIsThePipelinesOutputForTheBatchVector() {
        RecommenderModel m = model.model();
        UserVector v = knownUser();
        long user = v.getUserId();
        publish(v);
        KeyValueStore<Long, UserState> store = driver.getKeyValueStore(EventTopology.USER_STATE_STORE);
        UserState adopted = store.get(user);
        UserState batch = ModelDirectory.userState(v, m);
        batch.roundVectorsToStored(); // the store keeps the vectors as half floats
        assertArrayEquals(batch.ratingVector(), adopted.ratingVector());
        assertArrayEquals(batch.retrievalVector(), adopted.retrievalVector());
        assertEquals(v.getEventCount(), adopted.eventCount());
        assertEquals(1, quality.warmStarts());

        int movie = unseenMovie(m, v);
        rate(user, movie, 4.5f, NOW - 1000);
        List<Recommendations> out = recommendations.readValuesToList();
        assertEquals(1, out.size());

        UserState expected = ModelDirectory.userState(v, m);
        expected.roundVectorsToStored(); // the event starts from the adopted state as stored
        new OnlineLearner(m).learn(user, expected, movie, m.items().indexOf(movie), 4.5f, Float.NaN, NOW - 1000);
        int k = config.recommendK();
        int[] items = new int[k];
        float[] scores = new float[k];
        int n;
        try (OnnxRanker ranker = OnnxRanker.load(model.onnx(), m.featureSpec(), config.recommendCandidates(), 1)) {
            RecommendationPipeline pipeline = new RecommendationPipeline(m, CandidateRetriever.forModel(m), ranker,
                    config.recommendCandidates(), model.rankerWeight());
            n = pipeline.recommend(expected, k, items, scores);
        }
        List<RecommendedMovie> list = out.get(0).getMovies();
        assertEquals(n, list.size());
        for (int r = 0; r < n; r++) {
            assertEquals(m.items().movieId(items[r]), list.get(r).getMovieId(), "rank " + r);
            assertEquals(scores[r], list.get(r).getScore(), 0f, "score at rank " + r);
            assertFalse(v.getSeenMovieIds().contains(list.get(r).getMovieId()), "a training movie was recommended");
        }
        assertEquals(v.getEventCount() + 1, out.get(0).getEventCount());

        // the same event from a user nobody published gets the prior's list, not this one
        rate(999_999L, movie, 4.5f, NOW - 1000);
        List<Integer> cold = recommendations.readValuesToList().get(0).getMovies().stream().map(RecommendedMovie::getMovieId).toList();
        assertNotEquals(list.stream().map(RecommendedMovie::getMovieId).toList(), cold);
    }

    @Test
    void aVectorOfAnotherModelIsIgnored() {
        UserVector v = UserVector.newBuilder(knownUser()).setModelVersion("some-other-model").build();
        publish(v);
        assertEquals(null, driver.<Long, UserState>getKeyValueStore(EventTopology.USER_STATE_STORE).get(v.getUserId()));
        assertEquals(0, quality.warmStarts());
    }

    @Test
    void aStateFittedToAnotherVersionTakesThePublishedVectorAndKeepsItsOwnHistory() {
        UserVector v = knownUser();
        int movie = unseenMovie(model.model(), v);
        rate(v.getUserId(), movie, 4f, NOW - 1000);
        KeyValueStore<Long, UserState> store = driver.getKeyValueStore(EventTopology.USER_STATE_STORE);
        UserState mine = store.get(v.getUserId());
        mine.modelVersion("an-older-model");
        store.put(v.getUserId(), mine);
        publish(v);
        UserState s = store.get(v.getUserId());
        UserState batch = ModelDirectory.userState(v, model.model());
        batch.roundVectorsToStored(); // as stored
        assertArrayEquals(batch.retrievalVector(), s.retrievalVector());
        assertArrayEquals(batch.ratingVector(), s.ratingVector());
        assertEquals(model.model().version(), s.modelVersion());
        assertEquals(1, s.eventCount(), "its own count");
        assertArrayEquals(new int[] {movie}, s.historyMovies(), "its own history");
        assertTrue(s.hasSeen(movie) && s.hasSeen(v.getSeenMovieIds().get(0)), "its own and the training movies seen");
        assertEquals(1, quality.warmStarts());
    }

    @Test
    void aUserTheAppHasSeenKeepsWhatItLearned() {
        UserVector v = knownUser();
        rate(v.getUserId(), unseenMovie(model.model(), v), 4f, NOW - 1000);
        publish(v);
        UserState s = driver.<Long, UserState>getKeyValueStore(EventTopology.USER_STATE_STORE).get(v.getUserId());
        assertEquals(1, s.eventCount());
        assertEquals(0, quality.warmStarts());
    }
}
