package io.streamrec.app.topology;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.core.learn.FoldIn;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.model.UserState;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The swap as the stream task sees it: the served model changes between two events of one user; the list of the
 * first event carries the old version, the next one the new, the user's eventCount goes on without a gap, and the
 * state is fitted to the new model's dimensions and re-fitted to its item space from the user's history (fold-in)
 * before the new event is learned.
 */
class HotSwapTopologyTest {
    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir
    static Path v2dir;
    static ModelDirectory.Loaded v1, v2;

    @org.junit.jupiter.api.BeforeAll
    static void trainSecondVersion() {
        v1 = ModelDirectory.read(TestModels.modelDir());
        var data = TestModels.data();
        var trained = ModelTrainer.train(data, Indexed.of(data),
                TrainConfig.defaults().withRatingDim(32).withOnlineTuning(false), "test-model-v2", EpochListener.NONE);
        ModelDirectory.write(v2dir, trained.contents(Map.of()));
        v2 = ModelDirectory.read(v2dir);
    }

    /**
     * Warm start across a swap: the new model's user vector is published while the old model is still served (as
     * {@code publish} then {@code publish-users} do); it waits, and the user's first event under the new model adopts
     * it instead of re-fitting from the history.
     */
    @Test
    void aVectorPublishedBeforeTheSwapIsAdoptedAtTheFirstEventAfterIt(@TempDir Path state) {
        AppConfig config = AppConfig.of(Map.of("model.dir", TestModels.modelDir().toString(), "state.dir", state.toString(),
                "topic.user-vectors", "user-vectors"));
        ServedModel served = new ServedModel(v1);
        LiveQuality quality = new LiveQuality();
        io.streamrec.avro.UserVector next = ModelDirectory.readUserVectors(v2dir).stream()
                .filter(v -> v.getSeenMovieIds().size() >= 5).findFirst().orElseThrow();
        long user = next.getUserId();
        try (TopologyTestDriver driver = new TopologyTestDriver(EventTopology.build(config, served, quality,
                new DlqMetrics()), config.streamsProperties(), Instant.ofEpochMilli(NOW))) {
            TestInputTopic<byte[], byte[]> ratings = driver.createInputTopic("ratings", new ByteArraySerializer(), new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> vectors = driver.createInputTopic("user-vectors", new ByteArraySerializer(), new ByteArraySerializer());
            int a = v1.model().items().movieId(3), b = v1.model().items().movieId(10);
            ratings.pipeInput(Keys.userKey(user), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(user, a, 4.5f, NOW - 2000, null)));
            vectors.pipeInput(Keys.userKey(user), RecordSerdes.userVector().serialize("user-vectors", next));
            KeyValueStore<Long, UserState> states = driver.getKeyValueStore(EventTopology.USER_STATE_STORE);
            UserState underV1 = states.get(user);
            assertEquals("test-model", underV1.modelVersion(), "not adopted while v1 is served");
            assertEquals(0, quality.warmStarts());

            served.swapTo(v2);
            ratings.pipeInput(Keys.userKey(user), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(user, b, 3.0f, NOW - 1000, null)));

            UserState now = states.get(user);
            assertEquals("test-model-v2", now.modelVersion());
            assertEquals(1, quality.warmStarts());
            assertEquals(0, quality.refits(), "adopted, not re-fitted");
            UserState expected = underV1.fittedTo(v2.model());
            expected.adoptVectors(ModelDirectory.userState(next, v2.model()));
            new OnlineLearner(v2.model()).learn(user, expected, b, v2.model().items().indexOf(b), 3.0f, Float.NaN, NOW - 1000);
            expected.roundVectorsToStored(); // as the store keeps it (half floats)
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.retrievalVector(), now.retrievalVector());
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.ratingVector(), now.ratingVector());
            assertEquals(2, now.eventCount(), "the user's own count");
            assertEquals(null, driver.<Long, io.streamrec.avro.UserVector>getKeyValueStore(EventTopology.PENDING_USER_VECTORS_STORE)
                    .get(user), "taken from the pending store");
        }
    }

    @Test
    void theNextEventAfterASwapIsServedByTheNewModel(@TempDir Path state) {

        AppConfig config = AppConfig.of(Map.of("model.dir", TestModels.modelDir().toString(), "state.dir", state.toString()));
        ServedModel served = new ServedModel(v1);
        LiveQuality quality = new LiveQuality();
        try (TopologyTestDriver driver = new TopologyTestDriver(EventTopology.build(config, served, quality,
                new DlqMetrics()), config.streamsProperties(), Instant.ofEpochMilli(NOW))) {
            TestInputTopic<byte[], byte[]> ratings = driver.createInputTopic("ratings", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, Recommendations> out = driver.createOutputTopic("recommendations",
                    Serdes.String().deserializer(), RecordSerdes.recommendations().deserializer());
            long user = 7;
            int a = v1.model().items().movieId(3), b = v1.model().items().movieId(10);
            ratings.pipeInput(Keys.userKey(user), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(user, a, 4.5f, NOW - 2000, null)));
            KeyValueStore<Long, UserState> states = driver.getKeyValueStore(EventTopology.USER_STATE_STORE);
            UserState underV1 = states.get(user);
            assertEquals("test-model", underV1.modelVersion());
            assertEquals(1, underV1.historyCount());
            served.swapTo(v2);
            ratings.pipeInput(Keys.userKey(user), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(user, b, 3.0f, NOW - 1000, null)));

            List<Recommendations> lists = out.readValuesToList();
            assertEquals(List.of("test-model", "test-model-v2"), lists.stream().map(Recommendations::getModelVersion).toList());
            assertEquals(List.of(1L, 2L), lists.stream().map(Recommendations::getEventCount).toList());
            UserState now = states.get(user);
            assertEquals(32, now.ratingVector().length, "state fitted to the new rating dimension");
            assertEquals("test-model-v2", now.modelVersion());
            assertEquals(1, served.swaps());
            assertEquals(1, quality.refits());

            // exactly: the v1 state shaped for v2, re-fitted from its one remembered rating, then the new event learned
            UserState expected = underV1.fittedTo(v2.model());
            new FoldIn(v2.model()).refit(user, expected);
            new OnlineLearner(v2.model()).learn(user, expected, b, v2.model().items().indexOf(b), 3.0f, Float.NaN, NOW - 1000);
            expected.roundVectorsToStored(); // as the store keeps it (half floats)
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.ratingVector(), now.ratingVector());
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.retrievalVector(), now.retrievalVector());
            assertEquals(expected.ratingBias(), now.ratingBias());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {a, b}, now.historyMovies());
        }
    }
}
