package io.streamrec.app.topology;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.Recommendations;
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
 * state is fitted to the new model's dimensions.
 */
class HotSwapTopologyTest {
    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @Test
    void theNextEventAfterASwapIsServedByTheNewModel(@TempDir Path state, @TempDir Path v2dir) {
        ModelDirectory.Loaded v1 = ModelDirectory.read(TestModels.modelDir());
        var data = TestModels.data();
        var trained = ModelTrainer.train(data, Indexed.of(data),
                TrainConfig.defaults().withRatingDim(32).withOnlineTuning(false), "test-model-v2", EpochListener.NONE);
        ModelDirectory.write(v2dir, trained.contents(Map.of()));
        ModelDirectory.Loaded v2 = ModelDirectory.read(v2dir);

        AppConfig config = AppConfig.of(Map.of("model.dir", TestModels.modelDir().toString(), "state.dir", state.toString()));
        ServedModel served = new ServedModel(v1);
        try (TopologyTestDriver driver = new TopologyTestDriver(EventTopology.build(config, served, new LiveQuality(),
                new DlqMetrics()), config.streamsProperties(), Instant.ofEpochMilli(NOW))) {
            TestInputTopic<byte[], byte[]> ratings = driver.createInputTopic("ratings", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, Recommendations> out = driver.createOutputTopic("recommendations",
                    Serdes.String().deserializer(), RecordSerdes.recommendations().deserializer());
            long user = 7;
            int a = v1.model().items().movieId(3), b = v1.model().items().movieId(10);
            ratings.pipeInput(Keys.userKey(user), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(user, a, 4.5f, NOW - 2000, null)));
            served.swapTo(v2);
            ratings.pipeInput(Keys.userKey(user), RecordSerdes.ratingEvent().serialize("ratings", new RatingEvent(user, b, 3.0f, NOW - 1000, null)));

            List<Recommendations> lists = out.readValuesToList();
            assertEquals(List.of("test-model", "test-model-v2"), lists.stream().map(Recommendations::getModelVersion).toList());
            assertEquals(List.of(1L, 2L), lists.stream().map(Recommendations::getEventCount).toList());
            KeyValueStore<Long, UserState> states = driver.getKeyValueStore(EventTopology.USER_STATE_STORE);
            assertEquals(32, states.get(user).ratingVector().length, "state fitted to the new rating dimension");
            assertEquals(1, served.swaps());
        }
    }
}
