package io.streamrec.app.it;

import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.avro.UserVector;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticData;
import io.streamrec.trainer.eval.ServingReplay;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.TrainedModel;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the tests that hold the live app to the streaming protocol share: a generated stream split 80/20 in time, a
 * model trained on the first part and written like the trainer writes it, the protocol's lists for the last part
 * ({@link ServingReplay}), the model's user vectors published for warm start, and the lists the app emitted.
 * Lists are keyed {@code userId/eventCount}.
 */
final class StreamingProtocolRun {
    final Interactions test;
    final Path dir;
    final ModelDirectory.Loaded loaded;
    private final TrainedModel trained;

    private StreamingProtocolRun(Interactions test, Path dir, ModelDirectory.Loaded loaded, TrainedModel trained) {
        this.test = test;
        this.dir = dir;
        this.loaded = loaded;
        this.trained = trained;
    }

    /** Trains on the first 80% in time of a generated stream (rating dimension 16) and writes the model directory. */
    static StreamingProtocolRun train(SyntheticConfig data, String version) throws Exception {
        Dataset all = SyntheticData.generate(data);
        Interactions sorted = all.events().sortedByTime();
        int cut = (int) Math.floor(sorted.size() * 0.8);
        Interactions train = sorted.slice(0, cut), test = sorted.slice(cut, sorted.size());
        Dataset trainPart = new Dataset(all.name(), all.movies(), train, all.summary());
        TrainedModel tm = ModelTrainer.train(trainPart, Indexed.of(all), TrainConfig.defaults().withRatingDim(16), version,
                EpochListener.NONE);
        Path dir = Files.createTempDirectory("streamrec-" + version);
        ModelDirectory.write(dir, tm.contents(Map.of()));
        return new StreamingProtocolRun(test, dir, ModelDirectory.read(dir), tm);
    }

    /** The lists the protocol's replay in {@code mode} makes after each event of the test part. */
    Map<String, List<Integer>> protocolLists(ServingReplay.Mode mode, int candidates) {
        Map<String, List<Integer>> protocol = new HashMap<>();
        try (OnnxRanker ranker = OnnxRanker.load(loaded.onnx(), loaded.model().featureSpec(), candidates, 1)) {
            new ServingReplay(loaded.model(), ranker, loaded.rankerWeight(), candidates, trained.warmStarts())
                    .run(test, mode, true, (userId, eventCount, ids, n) -> {
                        List<Integer> l = new ArrayList<>(n);
                        for (int r = 1; r <= n; r++) l.add(ids[r]);
                        protocol.put(userId + "/" + eventCount, l);
                    });
        }
        return protocol;
    }

    /**
     * Publishes the model's user vectors to a new compacted topic with {@code partitions} partitions (as
     * {@code publish-users} does) and points the deployment at it and at this model; returns how many were published.
     */
    int publishUserVectors(EmbeddedKafka kafka, Map<String, String> deployment, int partitions) {
        String vectorsTopic = "user-vectors-" + runId(deployment);
        kafka.createTopics(Map.of(vectorsTopic, partitions), Map.of("cleanup.policy", "compact"));
        deployment.put("topic.user-vectors", vectorsTopic);
        deployment.put("model.dir", dir.toString());
        List<UserVector> vectors = ModelDirectory.readUserVectors(dir);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (UserVector v : vectors) {
                producer.send(new ProducerRecord<>(vectorsTopic, Keys.userKey(v.getUserId()),
                        RecordSerdes.userVector().serialize(vectorsTopic, v)));
            }
            producer.flush();
        }
        return vectors.size();
    }

    /** The run's suffix that {@code TestInstances.deployment} gave its topics. */
    static String runId(Map<String, String> deployment) {
        return deployment.get("topic.ratings").substring("ratings-".length());
    }

    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The committed lists on {@code topic}, read until {@code expected} keys arrived or two minutes passed. */
    static Map<String, List<Integer>> liveLists(EmbeddedKafka kafka, String topic, String group, int expected) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<Integer>> live = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (live.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Recommendations rec = RecordSerdes.recommendations().deserialize(r.topic(), r.value());
                    live.put(rec.getUserId() + "/" + rec.getEventCount(),
                            rec.getMovies().stream().map(RecommendedMovie::getMovieId).toList());
                }
            }
        }
        return live;
    }

    /** Every protocol list has a live list with the same movies in the same order, and nothing else was emitted. */
    static void assertSameLists(Map<String, List<Integer>> protocol, Map<String, List<Integer>> live) {
        assertEquals(protocol.size(), live.size(), "one list per replayed event");
        assertEquals(protocol.keySet(), live.keySet());
        int differ = 0;
        String first = null;
        for (Map.Entry<String, List<Integer>> e : protocol.entrySet()) {
            if (!e.getValue().equals(live.get(e.getKey()))) {
                differ++;
                if (first == null) first = e.getKey() + ": protocol " + e.getValue() + " live " + live.get(e.getKey());
            }
        }
        assertEquals(0, differ, differ + " of " + protocol.size() + " lists differ, e.g. " + first);
    }
}
