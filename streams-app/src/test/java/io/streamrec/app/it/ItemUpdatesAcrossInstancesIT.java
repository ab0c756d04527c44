package io.streamrec.app.it;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.http.TestInstances;
import io.streamrec.app.items.ItemUpdateStats;
import io.streamrec.avro.ItemVector;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.model.ModelDirectory;
import io.streamrec.app.topology.TestModels;
import io.streamrec.schemas.EventRecords;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Online item learning across instances, on the real broker: two instances of one deployment (2 partitions), a user
 * on partition 0 rates a movie, and the movie's new vectors (made by the movie's owner, whichever instance holds its
 * item-feedback partition) reach the serving copy of both instances — so users of partition 1, on whichever instance
 * owns it, are served with them — within a bounded time. Then a paced stream of events from users of both partitions
 * measures how stale an instance's item vector is: per applied vector, from the event's produce time to the moment it
 * is in that instance's item arrays and retriever.
 */
@ExtendWith(SharedKafkaBroker.class)
@Timeout(240)
class ItemUpdatesAcrossInstancesIT {
    /** What the test allows between an event and its item update on every instance (commit interval 50 ms by default). */
    static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void anItemUpdateMadeOnOnePartitionReachesEveryInstanceWithinABoundedTime(EmbeddedKafka kafka) throws Exception {
        Map<String, String> deployment = new HashMap<>(TestInstances.deployment(kafka, 2));
        deployment.put("items.learn.online", "true");
        RecommenderModel trained = ModelDirectory.read(TestModels.modelDir()).model();
        try (RecommenderInstance one = TestInstances.start(deployment); RecommenderInstance two = TestInstances.start(deployment)) {
            awaitBothActive(one, two);
            List<RecommenderInstance> both = List.of(one, two);
            long user = userOnPartition(0, 2, 1000);
            int item = firstTrained(trained, 0);
            int movie = trained.items().movieId(item);
            int d = trained.dim();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            String ratings = one.config().ratingsTopic();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                long sent = System.nanoTime();
                producer.send(EventRecords.rating(ratings, user, movie, 5f, System.currentTimeMillis() - 1000)).get();
                for (RecommenderInstance inst : both) {
                    float[] v = inst.app().model().model().retrievalVectors();
                    while (rowEquals(v, trained.retrievalVectors(), item * d, d) && System.nanoTime() - sent < BOUND.toNanos()) {
                        Thread.sleep(5);
                    }
                    assertFalse(rowEquals(v, trained.retrievalVectors(), item * d, d),
                            "movie " + movie + "'s update reached instance " + inst.config().applicationId() + " within " + BOUND);
                }
                System.out.printf("[items] one update, partition-0 user to both instances' serving copies: %d ms%n",
                        (System.nanoTime() - sent) / 1_000_000);

                // what was published is what both serve
                ItemVector published = lastPublished(kafka, one.config().itemVectorsTopic(), movie);
                for (RecommenderInstance inst : both) {
                    RecommenderModel m = inst.app().model().model();
                    for (int f = 0; f < d; f++) assertEquals(published.getRetrievalVector().get(f), m.retrievalVectors()[item * d + f]);
                    assertEquals(published.getRetrievalBias(), m.retrievalBias(item));
                    assertEquals(published.getBias(), m.ratingBias(item));
                }

                // staleness under a paced stream: 200 events, 20 ms apart, users of both partitions
                for (int e = 0; e < 200; e++) {
                    long u = 2000 + e % 40;
                    int mv = trained.items().movieId(firstTrained(trained, (e * 7) % trained.itemCount()));
                    producer.send(EventRecords.rating(ratings, u, mv, 1 + e % 5, System.currentTimeMillis() - 1000));
                    Thread.sleep(20);
                }
                producer.flush();
            }
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (RecommenderInstance inst : both) {
                while (inst.app().quality().items().vectorsAppliedCount() < 201 && System.nanoTime() < end) Thread.sleep(50);
            }
            long sentFeedback = one.app().quality().items().feedbackSentCount() + two.app().quality().items().feedbackSentCount();
            long applied = one.app().quality().items().ownerAppliedCount() + two.app().quality().items().ownerAppliedCount();
            assertEquals(201, sentFeedback, "one feedback message per rating");
            assertEquals(201, applied, "each applied once by its movie's owner");
            for (RecommenderInstance inst : both) {
                ItemUpdateStats s = inst.app().quality().items();
                assertTrue(s.vectorsAppliedCount() >= 201, "every published vector applied on each instance: " + s.vectorsAppliedCount());
                System.out.printf("[items] instance %s: %d item vectors applied; event-to-serving-copy lag p50 %d ms, p95 %d ms,"
                                + " max %d ms, mean %.0f ms%n", inst.http().port(), s.vectorsAppliedCount(), s.lagQuantileMillis(0.5),
                        s.lagQuantileMillis(0.95), s.lagMaxMillis(), s.lagMeanMillis());
                assertTrue(s.lagMaxMillis() < BOUND.toMillis(), "max lag " + s.lagMaxMillis() + " ms");
            }

            // an instance that starts now (a restarted pod: empty state directory) serves every published vector
            // from the moment it runs: its global store is restored from item-vectors, then applied to its serving copy
            Map<Integer, ItemVector> latest = allPublished(kafka, one.config().itemVectorsTopic());
            assertTrue(latest.size() > 1, "several movies published: " + latest.size());
            try (RecommenderInstance late = TestInstances.start(deployment)) {
                RecommenderModel m = late.app().model().model();
                int rd = m.ratingDim();
                for (Map.Entry<Integer, ItemVector> e : latest.entrySet()) {
                    int i = m.items().indexOf(e.getKey());
                    ItemVector v = e.getValue();
                    for (int f = 0; f < d; f++) {
                        assertEquals(v.getRetrievalVector().get(f), m.retrievalVectors()[i * d + f], "movie " + e.getKey() + " retrieval " + f);
                    }
                    for (int f = 0; f < rd; f++) {
                        assertEquals(v.getVector().get(f), m.ratingVectors()[i * rd + f], "movie " + e.getKey() + " rating " + f);
                    }
                    assertEquals(v.getBias(), m.ratingBias(i));
                    assertEquals(v.getRetrievalBias(), m.retrievalBias(i));
                }
                System.out.printf("[items] a newly started instance serves all %d published item vectors%n", latest.size());
            }
        }
    }

    /** The last committed record per movie on {@code topic}. */
    static Map<Integer, ItemVector> allPublished(EmbeddedKafka kafka, String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "item-vectors-reader-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<Integer, ItemVector> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(Keys.parseMovieId(r.key()), RecordSerdes.itemVector().deserialize(topic, r.value()));
                }
            }
        }
        return latest;
    }

    static boolean rowEquals(float[] a, float[] b, int off, int d) {
        for (int f = 0; f < d; f++) if (a[off + f] != b[off + f]) return false;
        return true;
    }

    static int firstTrained(RecommenderModel m, int from) {
        for (int i = 0; i < m.itemCount(); i++) {
            int k = (from + i) % m.itemCount();
            if (m.trained(k)) return k;
        }
        throw new AssertionError("no trained item");
    }

    /** A user id whose key Kafka's default partitioner puts on {@code partition} of {@code partitions}. */
    static long userOnPartition(int partition, int partitions, long from) {
        for (long u = from; ; u++) {
            if (Utils.toPositive(Utils.murmur2(Keys.userKey(u))) % partitions == partition) return u;
        }
    }

    static void awaitBothActive(RecommenderInstance one, RecommenderInstance two) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            boolean a = !one.app().streams().metadataForLocalThreads().stream().allMatch(t -> t.activeTasks().isEmpty());
            boolean b = !two.app().streams().metadataForLocalThreads().stream().allMatch(t -> t.activeTasks().isEmpty());
            if (a && b && one.app().awaitRunning(Duration.ofSeconds(1)) && two.app().awaitRunning(Duration.ofSeconds(1))) return;
            Thread.sleep(100);
        }
        throw new AssertionError("both instances did not get active tasks");
    }

    static ItemVector lastPublished(EmbeddedKafka kafka, String topic, int movie) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "item-vectors-reader-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ItemVector last = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (last == null && System.nanoTime() < end) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (Keys.parseMovieId(r.key()) == movie) last = RecordSerdes.itemVector().deserialize(topic, r.value());
                }
            }
        }
        assertNotNull(last, "movie " + movie + " published on " + topic);
        return last;
    }
}
