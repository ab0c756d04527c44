package io.streamrec.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker behaves like a real one where it matters to us: partitions, transactions (commit and abort,
 * read_committed), exactly-once Kafka Streams, and data that survives a restart.
 */
@ExtendWith(SharedKafkaBroker.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedKafkaIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void createTopicsIsIdempotentAndAppliesPartitionsAndConfigs(EmbeddedKafka kafka) throws Exception {
        assertEquals(kafka.bootstrapServers(), SharedKafkaBroker.bootstrapServers()); // the one shared broker
        kafka.createTopics(Map.of("ek-created", 3), Map.of("cleanup.policy", "compact"));
        kafka.createTopics(Map.of("ek-created", 5)); // exists already: ignored, not an error, not changed

        try (Admin admin = kafka.admin()) {
            TopicDescription topic = admin.describeTopics(Set.of("ek-created")).allTopicNames().get().get("ek-created");
            assertEquals(3, topic.partitions().size());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "ek-created");
            String policy = admin.describeConfigs(Set.of(resource)).all().get().get(resource)
                    .get("cleanup.policy").value();
            assertEquals("compact", policy);
        }
    }

    /** Formatting with the defaults gives the feature levels of a real cluster; transactions and EOS rely on them. */
    @Test
    void featureLevelsAreTheLatestProductionDefaults(EmbeddedKafka kafka) throws Exception {
        Map<String, FinalizedVersionRange> finalized;
        try (Admin admin = kafka.admin()) {
            finalized = admin.describeFeatures().featureMetadata().get().finalizedFeatures();
        }
        MetadataVersion latest = MetadataVersion.latestProduction();
        assertEquals(latest.featureLevel(), finalized.get(MetadataVersion.FEATURE_NAME).maxVersionLevel());
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            FinalizedVersionRange level = finalized.get(feature.featureName());
            assertTrue(level != null, feature.featureName() + " is not finalized: " + finalized);
            assertEquals(feature.defaultLevel(latest), level.maxVersionLevel(), feature.featureName());
        }
        assertTrue(finalized.get("transaction.version").maxVersionLevel() >= 2, "transaction.version: " + finalized);
    }

    @Test
    void readCommittedConsumerSeesOnlyCommittedTransactions(EmbeddedKafka kafka) {
        String topic = "ek-transactions";
        kafka.createTopics(Map.of(topic, 3));

        try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "ek-transactions-tx")) {
            producer.initTransactions();
            sendInTransaction(producer, topic, "committed-a", 6);
            producer.commitTransaction();
            sendInTransaction(producer, topic, "aborted", 6);
            producer.abortTransaction();
            sendInTransaction(producer, topic, "committed-b", 6);
            producer.commitTransaction();
        }

        List<String> committed = values(readAll(kafka, topic, "read_committed"));
        Set<String> expected = IntStream.range(0, 6)
                .mapToObj(i -> Set.of("committed-a-" + i, "committed-b-" + i))
                .flatMap(Set::stream)
                .collect(Collectors.toSet());
        assertEquals(expected, Set.copyOf(committed));
        assertEquals(12, committed.size(), "no duplicates: " + committed);

        // The aborted records really were written (a read_uncommitted consumer sees them); read_committed hides them.
        List<String> uncommitted = values(readAll(kafka, topic, "read_uncommitted"));
        assertEquals(18, uncommitted.size(), uncommitted.toString());
        assertTrue(uncommitted.contains("aborted-0"), uncommitted.toString());
    }

    /** A tiny exactly_once_v2 Streams app: needs the transaction coordinator and the group coordinator. */
    @Test
    void exactlyOnceStreamsAppRuns(EmbeddedKafka kafka, @TempDir Path stateDir) throws Exception {
        String in = "ek-eos-in";
        String out = "ek-eos-out";
        String appId = "ek-eos-app";
        kafka.createTopics(Map.of(in, 2, out, 2));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(in, "k" + i, "movie-" + i));
            }
        }

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> v.toUpperCase(Locale.ROOT))
                .to(out, Produced.with(Serdes.String(), Serdes.String()));

        List<String> output;
        List<String> transactionalIds;
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            output = values(pollUntil(kafka, out, "read_committed", 10));
            try (Admin admin = kafka.admin()) {
                transactionalIds = admin.listTransactions().all().get().stream()
                        .map(TransactionListing::transactionalId)
                        .collect(Collectors.toList());
            }
            streams.close(Duration.ofSeconds(10));
        }

        Set<String> expected = IntStream.range(0, 10).mapToObj(i -> "MOVIE-" + i).collect(Collectors.toSet());
        assertEquals(expected, Set.copyOf(output));
        assertEquals(10, output.size(), "exactly once: " + output);
        assertTrue(transactionalIds.stream().anyMatch(id -> id.startsWith(appId + "-")),
                "the Streams app wrote through transactions: " + transactionalIds);
    }

    /** The demo's case: a persistent data directory keeps its data and cluster id, and is formatted only once. */
    @Test
    void restartOnPersistentDirectoryKeepsCommittedRecords(@TempDir Path dir) throws Exception {
        String topic = "ek-restart";
        String clusterId;
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDir(dir).build()) {
            System.out.printf("Broker on a new persistent dir started in %d ms%n", first.startupTime().toMillis());
            assertTrue(first.formattedOnStart());
            clusterId = clusterId(first);
            first.createTopics(Map.of(topic, 3));
            // A second broker on the same directory would corrupt the first one's metadata log: refused up front.
            IllegalStateException inUse = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafka.builder().dataDir(dir).build());
            assertTrue(inUse.getMessage().contains("in use"), inUse.getMessage());
            try (KafkaProducer<String, String> producer = transactionalProducer(first, "ek-restart-tx")) {
                producer.initTransactions();
                sendInTransaction(producer, topic, "before-restart", 5);
                producer.commitTransaction();
            }
        }
        assertTrue(Files.exists(dir.resolve("server.properties")), "persistent directory kept on close");

        try (EmbeddedKafka second = EmbeddedKafka.builder().dataDir(dir).build()) {
            System.out.printf("Broker restarted on existing dir in %d ms%n", second.startupTime().toMillis());
            assertFalse(second.formattedOnStart(), "an already formatted directory is not formatted again");
            assertEquals(clusterId, clusterId(second));
            second.createTopics(Map.of(topic, 3)); // the demo does this on every start: must not fail
            List<String> values = values(pollUntil(second, topic, "read_committed", 5));
            assertEquals(Set.of("before-restart-0", "before-restart-1", "before-restart-2", "before-restart-3",
                    "before-restart-4"), Set.copyOf(values));
        }
    }

    @Test
    void temporaryDirectoryIsDeletedOnClose() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        Path dir = kafka.dataDir();
        assertTrue(Files.isDirectory(dir));
        assertNotEquals(kafka.brokerPort(), kafka.controllerPort());
        kafka.close();
        kafka.close(); // idempotent
        assertFalse(Files.exists(dir), dir + " should be deleted");
    }

    /** Kafka would halt the JVM on a port it cannot bind; a fixed port in use must fail with an exception instead. */
    @Test
    void fixedPortInUseFailsWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafka.builder().brokerPort(taken.getLocalPort()).build());
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
        }
    }

    // ----------------------------------------------------------------------------------------------------------------

    private static Properties producerProps(EmbeddedKafka kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka, String transactionalId) {
        Properties props = producerProps(kafka);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return new KafkaProducer<>(props);
    }

    /** Begins a transaction and sends {@code count} records keyed so that they spread over the partitions. */
    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic, String prefix,
            int count) {
        producer.beginTransaction();
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, "key-" + i, prefix + "-" + i));
        }
        producer.flush();
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka, String isolationLevel) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, WAIT).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .collect(Collectors.toList());
    }

    /**
     * Reads every partition from the beginning up to its current end offset (for read_committed: the last stable
     * offset), so "nothing more" is a fact, not a timeout.
     */
    private static List<ConsumerRecord<String, String>> readAll(EmbeddedKafka kafka, String topic, String isolation) {
        try (KafkaConsumer<String, String> consumer = consumer(kafka, isolation)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, WAIT);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, WAIT) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Did not reach the end offsets " + end + " of " + topic + " within "
                            + WAIT + "; got " + values(records));
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    /** Polls from the beginning until at least {@code expected} records arrived, failing after 30 s. */
    private static List<ConsumerRecord<String, String>> pollUntil(EmbeddedKafka kafka, String topic, String isolation,
            int expected) {
        try (KafkaConsumer<String, String> consumer = consumer(kafka, isolation)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Expected " + expected + " records on " + topic + " within " + WAIT
                            + ", got " + values(records));
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            // Anything beyond the expected count (duplicates) that is already there shows up in one more poll.
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records;
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }

    private static String clusterId(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }
}
