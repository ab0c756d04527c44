package io.streamrec.app.it;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.dlq.DeadLetters;
import io.streamrec.app.http.Http;
import io.streamrec.app.http.TestInstances;
import io.streamrec.app.topology.TestModels;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.EventRecords;
import io.streamrec.schemas.Keys;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every bad record accounted for, on the real broker: a record too large to be dead-lettered as it is goes to the
 * dead-letter topic cut, with its original size; a user state that cannot be decoded sends that user's event to the
 * dead-letter topic as processing-error while the app goes on; tombstones, negative ids and ancient timestamps.
 */
@ExtendWith(SharedKafkaBroker.class)
@Timeout(180)
class BadRecordsIT {

    @Test
    void recordsTooLargeOrUnprocessableAreDeadLetteredAndTheAppGoesOn(EmbeddedKafka kafka) throws Exception {
        Map<String, String> deployment = TestInstances.deployment(kafka, 2);
        String ratings = deployment.get("topic.ratings"), dlq = deployment.get("topic.dlq");
        String appId = deployment.get("application.id");
        int movie = TestModels.data().movies().get(0).movieId();
        long now = System.currentTimeMillis();

        // 1. a user with a state, then the instance goes away
        RecommenderInstance first = TestInstances.start(deployment);
        Http http = new Http(first.baseUrl());
        long corruptUser = 700_001, otherUser = 700_002;
        send(kafka, EventRecords.rating(ratings, corruptUser, movie, 4f, now));
        http.await("/users/" + corruptUser + "/recommendations", r -> r.status() == 200, Duration.ofSeconds(30));
        first.close();

        // 2. that user's stored state is replaced by bytes no release can read (on the changelog, as a bad disk or
        //    a bug would leave it), and the instance comes back on a fresh state directory, restoring it
        String changelog = appId + "-user-state-changelog";
        try (var p = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new LongSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(changelog, partitionOf(kafka, ratings, corruptUser), corruptUser,
                    new byte[] {(byte) 0x7f, 1, 2, 3})).get();
        }
        RecommenderInstance second = TestInstances.start(deployment);
        try {
            http = new Http(second.baseUrl());
            int big = 1_040_000; // fits the broker's 1 MiB message limit, not once dlq.* headers are added
            byte[] huge = new byte[big];
            java.util.Arrays.fill(huge, (byte) 'x');
            send(kafka, new ProducerRecord<>(ratings, Keys.userKey(corruptUser), huge));
            send(kafka, EventRecords.rating(ratings, corruptUser, movie, 3f, now));          // processing-error
            send(kafka, new ProducerRecord<>(ratings, Keys.userKey(otherUser), null));      // tombstone
            send(kafka, new ProducerRecord<>(ratings, Keys.userKey(5), io.streamrec.schemas.RecordSerdes.ratingEvent()
                    .serialize(ratings, new io.streamrec.avro.RatingEvent(-5L, movie, 3f, now, null))));  // negative user id
            send(kafka, EventRecords.rating(ratings, otherUser, movie, 3f, 0L));             // 1970: valid, learned
            var list = http.await("/users/" + otherUser + "/recommendations", r -> r.status() == 200, Duration.ofSeconds(30));
            assertEquals(200, list.status(), "the app went on: " + list.body());
            assertEquals(1, list.json().get("eventCount").asLong());
            assertEquals(200, http.get("/health").status(), "still UP");

            List<ConsumerRecord<byte[], byte[]>> dead = readDlq(kafka, dlq, 4);
            assertEquals(4, dead.size());
            ConsumerRecord<byte[], byte[]> cut = dead.stream().filter(r -> r.headers().lastHeader(DeadLetters.ORIGINAL_SIZE) != null)
                    .findFirst().orElseThrow(() -> new AssertionError("no cut dead letter"));
            assertEquals(String.valueOf(big), DeadLetters.header(cut.headers(), DeadLetters.ORIGINAL_SIZE));
            assertEquals(DlqReasons.DESERIALIZATION, DeadLetters.header(cut.headers(), DeadLetters.REASON));
            assertTrue(cut.value().length < big && cut.value().length > 900_000, "a prefix: " + cut.value().length);

            List<String> reasons = dead.stream().map(r -> DeadLetters.header(r.headers(), DeadLetters.REASON)).sorted().toList();
            assertEquals(List.of(DlqReasons.DESERIALIZATION, DlqReasons.DESERIALIZATION, DlqReasons.BAD_ID,
                    DlqReasons.PROCESSING_ERROR).stream().sorted().toList(), reasons, "huge, tombstone, -5, corrupt state");
            ConsumerRecord<byte[], byte[]> failed = dead.stream()
                    .filter(r -> DlqReasons.PROCESSING_ERROR.equals(DeadLetters.header(r.headers(), DeadLetters.REASON)))
                    .findFirst().orElseThrow();
            assertTrue(DeadLetters.header(failed.headers(), DeadLetters.DETAIL).contains("UserState: unknown format version"),
                    DeadLetters.header(failed.headers(), DeadLetters.DETAIL));
            assertArrayEquals(Keys.userKey(corruptUser), failed.key(), "the source record's original key");
            assertEquals(ratings, DeadLetters.header(failed.headers(), DeadLetters.TOPIC));
            assertEquals(1, second.app().dlq().count(DlqReasons.PROCESSING_ERROR));
        } finally {
            second.close();
        }
    }

    /** The partition of the user's events, and so of the task and of its changelog (2 partitions here). */
    private static int partitionOf(EmbeddedKafka kafka, String topic, long user) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(Keys.userKey(user))) % 2;
    }

    private static void send(EmbeddedKafka kafka, ProducerRecord<byte[], byte[]> record) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_100_000);
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(record).get();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readDlq(EmbeddedKafka kafka, String topic, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2_000_000);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < end) c.poll(Duration.ofMillis(200)).forEach(out::add);
            long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < settle) c.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }
}
