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
 * The {@code online users + items} row of the streaming protocol is what a running instance serves: a model trained
 * on the first 80% in time of a generated stream, its user vectors published, the last 20% produced to the real
 * broker one event at a time (one partition, so one order), each sent once the previous one's list was made and its
 * movie's update had come back through {@code item-feedback}, the movie's owner and {@code item-vectors} into the
 * instance's serving copy; every list then equals, movie for movie, the list {@link ServingReplay} made after the same
 * event in mode {@code ONLINE_USERS_AND_ITEMS}, where an item update is served from the next event on.
 *
 * <p>Unpaced, an item update made for one event reaches the serving copy a few commit intervals later (see
 * ItemUpdatesAcrossInstancesIT for the measured lag), so lists made meanwhile use the movie's previous vectors: the
 * pacing here removes exactly that asynchrony and nothing else.
 */
@ExtendWith(SharedKafkaBroker.class)
@Timeout(300)
class LiveItemsMatchStreamingProtocolIT {

    @Test
    void everyServedListEqualsTheProtocolsList(EmbeddedKafka kafka) throws Exception {
        Dataset all = SyntheticData.generate(new SyntheticConfig(50, 300, 20, 8, 0.0, 5L));
        Interactions sorted = all.events().sortedByTime();
        int cut = (int) Math.floor(sorted.size() * 0.8);
        Interactions train = sorted.subset(range(0, cut)), test = sorted.subset(range(cut, sorted.size()));
        Dataset trainPart = new Dataset(all.name(), all.movies(), train, all.summary());
        TrainedModel tm = ModelTrainer.train(trainPart, Indexed.of(all), TrainConfig.defaults().withRatingDim(16), "live-items-vs-protocol",
                EpochListener.NONE);
        Path dir = Files.createTempDirectory("streamrec-live-items-vs-protocol");
        ModelDirectory.write(dir, tm.contents(Map.of()));
        ModelDirectory.Loaded loaded = ModelDirectory.read(dir);

        // the protocol's lists, keyed by (user, event count)
        Map<String, List<Integer>> protocol = new HashMap<>();
        int candidates = 200;
        try (OnnxRanker ranker = OnnxRanker.load(loaded.onnx(), loaded.model().featureSpec(), candidates, 1)) {
            new ServingReplay(loaded.model(), ranker, loaded.rankerWeight(), candidates, tm.warmStarts())
                    .run(test, ServingReplay.Mode.ONLINE_USERS_AND_ITEMS, true, (userId, eventCount, ids, n) -> {
                        List<Integer> l = new ArrayList<>(n);
                        for (int r = 1; r <= n; r++) l.add(ids[r]);
                        protocol.put(userId + "/" + eventCount, l);
                    });
        }

        Map<String, String> deployment = new HashMap<>(TestInstances.deployment(kafka, 1));
        String run = deployment.get("topic.ratings").substring("ratings-".length());
        String vectorsTopic = "user-vectors-" + run;
        kafka.createTopics(Map.of(vectorsTopic, 1), Map.of("cleanup.policy", "compact"));
        deployment.put("topic.user-vectors", vectorsTopic);
        deployment.put("model.dir", dir.toString());
        deployment.put("recommend.candidates", Integer.toString(candidates));
        deployment.put("items.learn.online", "true");
        // each event waits for the previous one's item update: short commits keep that wait short
        deployment.put("commit.interval.ms", "20");
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
                var items = service.app().quality().items();
                long t0 = System.nanoTime();
                long updates = 0;
                for (int e = 0; e < test.size(); e++) {
                    producer.send(EventRecords.rating(ratings, test.userId(e), test.movieId(e), test.rating(e), test.timestamp(e))).get();
                    int item = loaded.model().items().indexOf(test.movieId(e));
                    if (item >= 0 && loaded.model().trained(item)) updates++; // a rating of a trained movie moves it
                    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (items.vectorsAppliedCount() < updates && System.nanoTime() < until) Thread.sleep(1);
                    assertEquals(updates, items.vectorsAppliedCount(), "event " + e + "'s item update served");
                }
                assertEquals(test.size(), service.app().quality().events());
                System.out.printf("[items] %d events one at a time, each after the previous one's item update was served: %.1f s%n",
                        test.size(), (System.nanoTime() - t0) / 1e9);
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
            assertTrue(test.size() > 150, "a replay worth checking: " + test.size() + " events");
        }
    }

    private static int[] range(int from, int to) {
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) a[i] = from + i;
        return a;
    }
}
