package io.streamrec.app.it;

import io.streamrec.app.EventProducers;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.core.events.EventRules;
import io.streamrec.schemas.EventRecords;
import io.streamrec.app.state.UserStateSerde;
import io.streamrec.app.topology.EventTopology;
import io.streamrec.app.topology.TestModels;
import io.streamrec.avro.Recommendations;
import io.streamrec.app.items.ItemFeedbackCodec;
import io.streamrec.core.learn.ItemFeedback;
import io.streamrec.core.learn.OnlineItemLearner;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.schemas.Keys;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.model.ModelDirectory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One exactly-once scenario on the shared broker: its own topics and application id, the first
 * {@code total} generated events, and the checks every restart test makes — per user the
 * committed eventCount sequence is 1..n, and the final state equals the core learner applied
 * once to each event in order.
 */
final class EosFixture {
    private static final long BASE_TIME = System.currentTimeMillis() - 3_600_000L;

    final EmbeddedKafka kafka;
    final String applicationId;
    final Map<String, String> topics;
    final Interactions events = TestModels.data().events().sortedByTime();
    final int total;

    EosFixture(EmbeddedKafka kafka, String name, int total) {
        String run = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.kafka = kafka;
        this.applicationId = run;
        this.total = total;
        this.topics = Map.of("topic.ratings", "ratings-" + run, "topic.watches", "watches-" + run,
                "topic.movies", "movies-" + run, "topic.recommendations", "recs-" + run, "topic.dlq", "dlq-" + run);
        Map<String, Integer> partitions = new LinkedHashMap<>();
        topics.values().forEach(t -> partitions.put(t, 4));
        kafka.createTopics(partitions);
    }

    /** The app's settings: our topics, the test model, and the given state directory. */
    Map<String, String> settings(Path stateDir) {
        Map<String, String> settings = new LinkedHashMap<>(topics);
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        settings.put("application.id", applicationId);
        settings.put("model.dir", TestModels.modelDir().toString());
        settings.put("state.dir", stateDir.toString());
        // items off: the final user states are compared with the learner over fixed item vectors; tests that turn
        // items on (SigkillRestartIT) check the item side instead
        settings.put("items.learn.online", "false");
        settings.put("topic.item-vectors", "item-vectors-" + applicationId);
        // wait for both input partitions before picking the next record, so cross-topic order holds
        settings.put("max.task.idle.ms", "2000");
        return settings;
    }

    /** Produces events [from, to) as the replayer would, with distinct increasing timestamps. */
    void produce(int from, int to) {
        Properties p = EventProducers.settings(kafka.bootstrapServers());
        // One request in flight: right after topic creation the broker answered NOT_LEADER_OR_FOLLOWER for a first
        // batch while later ones were written, and the retried first batch was then refused as out of order until
        // it expired: input silently lost, reported as "only N of M recommendations arrived".
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = EventProducers.create(p)) {
            for (int i = from; i < to; i++) {
                sent.add(producer.send(record(i)));
            }
            producer.flush();
            for (int k = 0; k < sent.size(); k++) {
                try {
                    sent.get(k).get();
                } catch (Exception e) {
                    throw new AssertionError("test input event " + (from + k) + " was not written", e);
                }
            }
        }
    }

    /** Event {@code i} as the replayer writes it. */
    ProducerRecord<byte[], byte[]> record(int i) {
        ProducerRecord<byte[], byte[]> r = Float.isNaN(events.rating(i))
                ? EventRecords.watch(topics.get("topic.watches"), events.userId(i), events.movieId(i),
                        EventRules.secondsWatched(events.completion(i)), null, BASE_TIME + i)
                : EventRecords.rating(topics.get("topic.ratings"), events.userId(i), events.movieId(i), events.rating(i), BASE_TIME + i);
        // Kafka Streams orders a task's two input partitions (ratings, watches) by
        // timestamp, so distinct increasing timestamps make the per-user order the event order
        return new ProducerRecord<>(r.topic(), null, BASE_TIME + i, r.key(), r.value());
    }

    /** Producer settings for the test input (one request in flight, see {@link #produce}). */
    Properties producerSettings() {
        Properties p = EventProducers.settings(kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return p;
    }

    /** Reads the output topic (read_committed) until at least {@code expected} lists arrived. */
    List<Recommendations> awaitRecommendations(int expected) {
        return awaitRecommendations(expected, () -> true, Duration.ofSeconds(2));
    }

    /**
     * As above, failing early once {@code alive} turns false (a child process died), and reading
     * on for {@code settle} so duplicates written after the expected count would be seen too.
     */
    List<Recommendations> awaitRecommendations(int expected, BooleanSupplier alive, Duration settle) {
        List<Recommendations> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (KafkaConsumer<String, Recommendations> c = new KafkaConsumer<>(readCommitted(),
                new StringDeserializer(), RecordSerdes.recommendations().deserializer())) {
            c.subscribe(List.of(topics.get("topic.recommendations")));
            while (out.size() < expected && System.nanoTime() < deadline && alive.getAsBoolean()) {
                for (var r : c.poll(Duration.ofMillis(200))) out.add(r.value());
            }
            long settled = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settled) for (var r : c.poll(Duration.ofMillis(200))) out.add(r.value());
        }
        assertTrue(out.size() >= expected, "only " + out.size() + " of " + expected + " recommendations arrived");
        return out;
    }

    /** Each user's committed eventCount sequence is exactly 1..(that user's events among the first total). */
    void assertNoGapNoRepeat(List<Recommendations> out) {
        assertNoGapNoRepeat(out, total);
    }

    /** As above for the first {@code produced} events. */
    void assertNoGapNoRepeat(List<Recommendations> out, int produced) {
        Map<Long, List<Long>> counts = new HashMap<>();
        for (Recommendations r : out) counts.computeIfAbsent(r.getUserId(), u -> new ArrayList<>()).add(r.getEventCount());
        Map<Long, Integer> expectedPerUser = new HashMap<>();
        for (int i = 0; i < produced; i++) expectedPerUser.merge((long) events.userId(i), 1, Integer::sum);
        assertEquals(expectedPerUser.keySet(), counts.keySet());
        for (var e : counts.entrySet()) {
            List<Long> seq = e.getValue();
            for (int k = 0; k < seq.size(); k++) assertEquals(k + 1L, seq.get(k), "user " + e.getKey() + " sequence " + seq);
            assertEquals((long) expectedPerUser.get(e.getKey()), seq.size(), "user " + e.getKey());
        }
    }

    /** Every user's state equals the core learner applied once to each of their events, in order. */
    void assertStatesMatchOfflineReplay(Map<Long, UserState> actualByUser) {
        for (var e : replayOffline().entrySet()) {
            UserState expected = e.getValue(), actual = actualByUser.get(e.getKey());
            assertNotNull(actual, "state of user " + e.getKey());
            assertEquals(expected.eventCount(), actual.eventCount(), "user " + e.getKey());
            assertArrayEquals(expected.retrievalVector(), actual.retrievalVector(), "user " + e.getKey());
            assertArrayEquals(expected.ratingVector(), actual.ratingVector(), "user " + e.getKey());
            assertEquals(expected.ratingBias(), actual.ratingBias(), "user " + e.getKey());
            assertEquals(expected.ratingCount(), actual.ratingCount(), "user " + e.getKey());
            assertEquals(expected.ratingSum(), actual.ratingSum(), "user " + e.getKey());
            assertEquals(expected.lastEventTime(), actual.lastEventTime(), "user " + e.getKey());
            assertArrayEquals(expected.seenOldestFirst(), actual.seenOldestFirst(), "user " + e.getKey());
        }
    }

    /**
     * The input offsets the application has committed, summed over the input topics' partitions (what a restarted
     * instance resumes from); with {@link #total} events produced, a value strictly between 0 and total proves the
     * app stopped mid-stream.
     */
    long committedInputOffsets() throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            var offsets = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
            long sum = 0;
            for (var e : offsets.entrySet()) {
                String t = e.getKey().topic();
                if ((t.equals(topics.get("topic.ratings")) || t.equals(topics.get("topic.watches"))) && e.getValue() != null) {
                    sum += e.getValue().offset();
                }
            }
            return sum;
        }
    }

    /** The committed user states as the changelog holds them (last value per user). */
    Map<Long, UserState> changelogStates() {
        Map<Long, UserState> states = new HashMap<>();
        String changelog = applicationId + "-" + EventTopology.USER_STATE_STORE + "-changelog";
        try (KafkaConsumer<Long, UserState> c = new KafkaConsumer<>(readCommitted(), new LongDeserializer(), new UserStateSerde())) {
            c.subscribe(List.of(changelog));
            long quiet = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < quiet) {
                var records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) quiet = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                for (var r : records) states.put(r.key(), r.value());
            }
        }
        return states;
    }

    /**
     * The item side of exactly-once, with items learning online: the committed {@code item-feedback} log holds exactly
     * one message per event on a trained movie (by user and event count), and every movie's committed
     * {@code item-vectors} value equals its trained vectors with that log's messages for it applied once each, in log
     * order ({@link OnlineItemLearner}), as one uninterrupted owner would have — bit for bit.
     */
    void assertItemStatesMatchFeedbackReplay(int expectedFeedback) {
        RecommenderModel model = ModelDirectory.read(TestModels.modelDir()).model().withOwnItemArrays();
        ItemFeedback fb = new ItemFeedback(model.ratingDim(), model.dim());
        java.util.Set<String> origins = new java.util.HashSet<>();
        int messages = 0;
        java.util.Set<Integer> moved = new java.util.TreeSet<>();
        for (var r : readAll(applicationId + "-item-feedback")) {
            int movie = Keys.parseMovieId(r.key());
            int item = model.items().indexOf(movie);
            ItemFeedbackCodec.read(r.value(), movie, item, fb);
            ItemFeedbackCodec.Origin o = ItemFeedbackCodec.origin(r.value());
            assertTrue(origins.add(o.userId() + "/" + o.eventCount()), "one feedback message per event: " + o);
            messages++;
            OnlineItemLearner.apply(fb, item, model.ratingVectors(), model.ratingBiases(), model.retrievalVectors(),
                    model.retrievalBiases(), model.online());
            moved.add(movie);
        }
        assertEquals(expectedFeedback, messages, "committed item feedback messages");
        Map<Integer, io.streamrec.avro.ItemVector> published = new HashMap<>();
        for (var r : readAll("item-vectors-" + applicationId)) {
            published.put(Keys.parseMovieId(r.key()), RecordSerdes.itemVector().deserialize("item-vectors", r.value()));
        }
        assertEquals(moved, new java.util.TreeSet<>(published.keySet()), "a published vector for every movie that learned");
        int rd = model.ratingDim(), d = model.dim();
        for (var e : published.entrySet()) {
            int item = model.items().indexOf(e.getKey());
            io.streamrec.avro.ItemVector v = e.getValue();
            for (int f = 0; f < rd; f++) assertEquals(model.ratingVectors()[item * rd + f], v.getVector().get(f), "movie " + e.getKey());
            for (int f = 0; f < d; f++) assertEquals(model.retrievalVectors()[item * d + f], v.getRetrievalVector().get(f), "movie " + e.getKey());
            assertEquals(model.ratingBias(item), v.getBias(), "movie " + e.getKey());
            assertEquals(model.retrievalBias(item), v.getRetrievalBias(), "movie " + e.getKey());
        }
    }

    /** The events among the first {@link #total} whose movie the test model has trained vectors for. */
    int eventsOnTrainedMovies() {
        RecommenderModel model = ModelDirectory.read(TestModels.modelDir()).model();
        int n = 0;
        for (int i = 0; i < total; i++) {
            int item = model.items().indexOf(events.movieId(i));
            if (item >= 0 && model.trained(item)) n++;
        }
        return n;
    }

    /** Every committed record of {@code topic}, partition by partition in offset order, until it has been quiet 3 s. */
    private List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Map<Integer, List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>>> byPartition = new java.util.TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(readCommitted(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long quiet = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < quiet) {
                var records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) quiet = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                for (var r : records) byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
            }
        }
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        byPartition.values().forEach(all::addAll);
        return all;
    }

    private Map<Long, UserState> replayOffline() {
        RecommenderModel model = ModelDirectory.read(TestModels.modelDir()).model();
        OnlineLearner learner = new OnlineLearner(model);
        Map<Long, UserState> states = new HashMap<>();
        for (int i = 0; i < total; i++) {
            long user = events.userId(i);
            UserState s = states.computeIfAbsent(user, u -> UserState.empty(model));
            // what the app computes from the replayed watch record
            float completion = Float.isNaN(events.rating(i))
                    ? EventRules.completion(EventRules.secondsWatched(events.completion(i)), null) : Float.NaN;
            learner.learn(user, s, events.movieId(i), model.items().indexOf(events.movieId(i)), events.rating(i), completion,
                    BASE_TIME + i);
            s.roundVectorsToStored(); // the app's store keeps the vectors as half floats; the next event reads them back
        }
        return states;
    }

    private Properties readCommitted() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }
}
