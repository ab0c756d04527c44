package io.streamrec.app.it;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.http.TestInstances;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.avro.UserVector;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.EventRecords;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming protocol measures what is served: a model trained on the first 80% in time of a
 * generated stream (ratings only), its user vectors published, the last 20% produced to the real
 * broker and processed by a real instance; every list the app emits equals, movie for movie, the
 * list the protocol's {@code online users} replay ({@link ServingReplay}) made after the same event
 * of the same user, with items learning online turned off ({@link LiveItemsMatchStreamingProtocolIT}
 * checks the {@code online users + items} row).
 */
@ExtendWith(SharedKafkaBroker.class)
@Timeout(300)
class LiveMatchesStreamingProtocolIT {

    @Test
    void everyServedListEqualsTheProtocolsList(EmbeddedKafka kafka) throws Exception {
        Dataset all = SyntheticData.generate(new SyntheticConfig(200, 300, 30, 8, 0.0, 5L));
        Interactions sorted = all.events().sortedByTime();
        int cut = (int) Math.floor(sorted.size() * 0.8);
        Interactions train = sorted.subset(range(0, cut)), test = sorted.subset(range(cut, sorted.size()));
        Dataset trainPart = new Dataset(all.name(), all.movies(), train, all.summary());
        TrainedModel tm = ModelTrainer.train(trainPart, Indexed.of(all), TrainConfig.defaults().withRatingDim(16), "live-vs-protocol",
                EpochListener.NONE);
        Path dir = Files.createTempDirectory("streamrec-live-vs-protocol");
        ModelDirectory.write(dir, tm.contents(Map.of()));
        ModelDirectory.Loaded loaded = ModelDirectory.read(dir);

        // the protocol's lists, keyed by (user, event count)
        Map<String, List<Integer>> protocol = new HashMap<>();
        int candidates = 200;
        try (OnnxRanker ranker = OnnxRanker.load(loaded.onnx(), loaded.model().featureSpec(), candidates, 1)) {
            new ServingReplay(loaded.model(), ranker, loaded.rankerWeight(), candidates, tm.warmStarts())
                    .run(test, ServingReplay.Mode.ONLINE_USERS, true, (userId, eventCount, ids, n) -> {
                        List<Integer> l = new ArrayList<>(n);
                        for (int r = 1; r <= n; r++) l.add(ids[r]);
                        protocol.put(userId + "/" + eventCount, l);
                    });
        }

        Map<String, String> deployment = new HashMap<>(TestInstances.deployment(kafka, 2));
        String run = deployment.get("topic.ratings").substring("ratings-".length());
        String vectorsTopic = "user-vectors-" + run;
        kafka.createTopics(Map.of(vectorsTopic, 2), Map.of("cleanup.policy", "compact"));
        deployment.put("topic.user-vectors", vectorsTopic);
        deployment.put("model.dir", dir.toString());
        deployment.put("recommend.candidates", Integer.toString(candidates));
        // the online users row: items as trained (LiveItemsMatchStreamingProtocolIT checks the online users + items row)
        deployment.put("items.learn.online", "false");
        List<UserVector> vectors = ModelDirectory.readUserVectors(dir);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (UserVector v : vectors) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(vectorsTopic, Keys.userKey(v.getUserId()),
                        RecordSerdes.userVector().serialize(vectorsTopic, v)));
            }
            producer.flush();
        }

        try (RecommenderInstance service = TestInstances.start(deployment)) {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (service.app().quality().warmStarts() < vectors.size() && System.nanoTime() < end) Thread.sleep(50);
            assertEquals(vectors.size(), service.app().quality().warmStarts(), "every published user adopted before the replay");

            String ratings = service.config().ratingsTopic();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int e = 0; e < test.size(); e++) {
                    producer.send(EventRecords.rating(ratings, test.userId(e), test.movieId(e), test.rating(e), test.timestamp(e)));
                }
                producer.flush();
            }

            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "live-vs-protocol-" + run);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            Map<String, List<Integer>> live = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(service.config().recommendationsTopic()));
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (live.size() < test.size() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        Recommendations rec = RecordSerdes.recommendations().deserialize(r.topic(), r.value());
                        live.put(rec.getUserId() + "/" + rec.getEventCount(),
                                rec.getMovies().stream().map(RecommendedMovie::getMovieId).toList());
                    }
                }
            }
            assertEquals(test.size(), live.size(), "one list per replayed event");
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
            assertTrue(test.size() > 500, "a replay worth checking: " + test.size() + " events");
        }
    }

    private static int[] range(int from, int to) {
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) a[i] = from + i;
        return a;
    }
}
