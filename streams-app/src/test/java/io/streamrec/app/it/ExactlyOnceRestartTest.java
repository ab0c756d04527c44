package io.streamrec.app.it;

import io.streamrec.app.RecommenderApp;
import io.streamrec.app.config.AppConfig;
import io.streamrec.app.embedded.EmbeddedKafka;
import io.streamrec.app.embedded.SharedKafkaBroker;
import io.streamrec.app.replay.EventReplayer;
import io.streamrec.app.topology.EventTopology;
import io.streamrec.trainer.export.ModelFiles;
import io.streamrec.app.topology.TestModels;
import io.streamrec.app.topology.ValidatedEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.trainer.data.Interactions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Against a real KRaft broker with exactly-once: events in, recommendations out; the application
 * is stopped mid-stream and a new instance (with an empty state directory, so state comes back
 * from the changelog) takes over. Each user's eventCount sequence in the committed output must
 * be 1..n with no gap and no repeat, and the final state must equal the core learner applied
 * once to each event in order.
 */
@ExtendWith(SharedKafkaBroker.class)
class ExactlyOnceRestartTest {
    private static final long BASE_TIME = System.currentTimeMillis() - 3_600_000L;

    @Test
    @Timeout(180)
    void restartMidStreamNeitherLosesNorRepeatsAnEvent(EmbeddedKafka kafka, @TempDir Path stateA, @TempDir Path stateB) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> topics = Map.of("topic.ratings", "ratings-" + run, "topic.watches", "watches-" + run,
                "topic.movies", "movies-" + run, "topic.recommendations", "recs-" + run, "topic.dlq", "dlq-" + run);
        Map<String, Integer> partitions = new LinkedHashMap<>();
        topics.values().forEach(t -> partitions.put(t, 4));
        kafka.createTopics(partitions);

        Interactions events = TestModels.data().events().sortedByTime();
        int total = 1200, firstPart = 600;
        Map<String, String> settings = new HashMap<>(topics);
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        settings.put("application.id", "eos-it-" + run);
        settings.put("model.dir", TestModels.modelDir().toString());
        // wait for both input partitions before picking the next record, so cross-topic order holds
        settings.put("max.task.idle.ms", "2000");

        produce(kafka, events, 0, firstPart, topics);
        settings.put("state.dir", stateA.toString());
        try (RecommenderApp app = new RecommenderApp(AppConfig.of(settings)).start()) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "app A running");
            awaitRecommendations(kafka, topics.get("topic.recommendations"), firstPart);
        }
        produce(kafka, events, firstPart, total, topics);
        settings.put("state.dir", stateB.toString());
        try (RecommenderApp app = new RecommenderApp(AppConfig.of(settings)).start()) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "app B running");
            List<Recommendations> out = awaitRecommendations(kafka, topics.get("topic.recommendations"), total);

            Map<Long, List<Long>> counts = new HashMap<>();
            for (Recommendations r : out) counts.computeIfAbsent(r.getUserId(), u -> new ArrayList<>()).add(r.getEventCount());
            Map<Long, Integer> expectedPerUser = new HashMap<>();
            for (int i = 0; i < total; i++) expectedPerUser.merge((long) events.userId(i), 1, Integer::sum);
            assertEquals(expectedPerUser.keySet(), counts.keySet());
            for (var e : counts.entrySet()) {
                List<Long> seq = e.getValue();
                for (int k = 0; k < seq.size(); k++) assertEquals(k + 1L, seq.get(k), "user " + e.getKey() + " sequence " + seq);
                assertEquals((long) expectedPerUser.get(e.getKey()), seq.size(), "user " + e.getKey());
            }

            RecommenderModel model = ModelFiles.read(TestModels.modelDir()).model();
            Map<Long, UserState> expected = replayOffline(model, events, total);
            ReadOnlyKeyValueStore<Long, UserState> store = app.streams().store(StoreQueryParameters.fromNameAndType(
                    EventTopology.USER_STATE_STORE, QueryableStoreTypes.keyValueStore()));
            for (var e : expected.entrySet()) {
                UserState actual = store.get(e.getKey());
                assertNotNull(actual, "state of user " + e.getKey());
                assertEquals(e.getValue().eventCount(), actual.eventCount());
                assertArrayEquals(e.getValue().retrievalVector(), actual.retrievalVector(), "user " + e.getKey());
                assertArrayEquals(e.getValue().ratingVector(), actual.ratingVector(), "user " + e.getKey());
                assertEquals(e.getValue().ratingBias(), actual.ratingBias());
            }
        }
    }

    private static Map<Long, UserState> replayOffline(RecommenderModel model, Interactions ev, int n) {
        OnlineLearner learner = new OnlineLearner(model);
        Map<Long, UserState> states = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long user = ev.userId(i);
            UserState s = states.computeIfAbsent(user, u -> new UserState(model.dim(), model.online().seenCapacity()));
            // what the app computes from the replayed watch record
            float completion = Float.isNaN(ev.rating(i))
                    ? ValidatedEvent.completion(EventReplayer.secondsWatched(ev.completion(i)), null) : Float.NaN;
            learner.learn(user, s, ev.movieId(i), model.items().indexOf(ev.movieId(i)), ev.rating(i), completion, 0L);
        }
        return states;
    }

    private static void produce(EmbeddedKafka kafka, Interactions ev, int from, int to, Map<String, String> topics) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                ProducerRecord<byte[], byte[]> r = EventReplayer.record(ev, i, topics.get("topic.ratings"), topics.get("topic.watches"));
                // distinct, increasing record timestamps: Kafka Streams orders a task's two input
                // partitions (ratings, watches) by timestamp, so the per-user order is the event order
                producer.send(new ProducerRecord<>(r.topic(), null, BASE_TIME + i, r.key(), r.value()));
            }
            producer.flush();
        }
    }

    /** Reads the whole topic (read_committed) until at least {@code expected} records arrived. */
    private static List<Recommendations> awaitRecommendations(EmbeddedKafka kafka, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Recommendations> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (KafkaConsumer<String, Recommendations> c = new KafkaConsumer<>(p, new StringDeserializer(), RecordSerdes.recommendations().deserializer())) {
            c.subscribe(List.of(topic));
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(200))) out.add(r.value());
            }
            // a little longer, so duplicates written after the expected count would be seen too
            long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < settle) for (var r : c.poll(Duration.ofMillis(200))) out.add(r.value());
        }
        assertTrue(out.size() >= expected, "only " + out.size() + " of " + expected + " recommendations arrived");
        return out;
    }
}
