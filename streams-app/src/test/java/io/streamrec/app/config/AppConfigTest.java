package io.streamrec.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.app.dlq.DeadLetterDeserializationHandler;
import io.streamrec.app.state.BoundedMemoryRocksDBConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"streamrec\" password=\"s3cr3t\";";

    @Test
    void defaults() {
        AppConfig c = AppConfig.defaults();
        assertEquals("localhost:9092", c.bootstrapServers());
        assertEquals("streamrec", c.applicationId());
        assertEquals("ratings", c.ratingsTopic());
        assertEquals("watches", c.watchesTopic());
        assertEquals("movies", c.moviesTopic());
        assertEquals("recommendations", c.recommendationsTopic());
        assertEquals("recommender-dlq", c.dlqTopic());
        assertEquals(Path.of("models/current"), c.modelDir());
        assertEquals(200, c.recommendCandidates());
        assertEquals(10, c.recommendK());
        assertEquals(Path.of("/tmp/streamrec-state"), c.stateDir());
        assertEquals("exactly_once_v2", c.processingGuarantee());
        assertTrue(c.exactlyOnce());
        assertEquals(1, c.numStreamThreads());
        assertEquals(100, c.commitIntervalMs());
        assertEquals(86_400_000L, c.maxFutureSkewMs());
        assertEquals(64L << 20, c.rocksdbBlockCacheBytes());
        assertEquals(16L << 20, c.rocksdbWriteBufferBytes());
        assertEquals(1, c.rankerIntraOpThreads());
        assertEquals(8080, c.httpPort());
        assertTrue(c.passthrough().isEmpty());
        assertEquals(AppConfig.SETTINGS.size(), c.values().size());
    }

    @Test
    void everySettingIsDocumentedAndItsDefaultIsValid() {
        for (Setting s : AppConfig.SETTINGS) {
            assertFalse(s.doc().isBlank(), s.key());
            assertFalse(s.validator().describe().isBlank(), s.key());
            assertEquals(s.defaultValue(), AppConfig.defaults().get(s), s.key());
        }
    }

    @Test
    void streamsPropertiesCarryOurSettingsHandlerAndSetter() {
        AppConfig c = AppConfig.of(Map.of("bootstrap.servers", "k1:9092,k2:9092", "application.id", "recs-eu",
                "processing.guarantee", "at_least_once", "num.stream.threads", "4", "commit.interval.ms", "250",
                "state.dir", "/var/lib/streamrec", "topic.dlq", "bad-records", "rocksdb.block.cache.mb", "256",
                "rocksdb.write.buffer.mb", "32"));
        Properties p = c.streamsProperties();
        assertEquals("k1:9092,k2:9092", p.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("recs-eu", p.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("at_least_once", p.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("4", p.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals("250", p.getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals("/var/lib/streamrec", p.getProperty(StreamsConfig.STATE_DIR_CONFIG));
        assertEquals(DeadLetterDeserializationHandler.class.getName(),
                p.getProperty(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG));
        assertEquals("bad-records", p.getProperty(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG));
        assertEquals(BoundedMemoryRocksDBConfig.class.getName(),
                p.getProperty(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertEquals(Long.toString(256L << 20), p.getProperty(BoundedMemoryRocksDBConfig.BLOCK_CACHE_BYTES_CONFIG));
        assertEquals(Long.toString(32L << 20), p.getProperty(BoundedMemoryRocksDBConfig.WRITE_BUFFER_BYTES_CONFIG));

        // Kafka Streams accepts them and builds our handler from them, configured with the dead-letter topic.
        StreamsConfig sc = new StreamsConfig(p);
        DeadLetterDeserializationHandler handler =
                assertInstanceOf(DeadLetterDeserializationHandler.class, sc.deserializationExceptionHandler());
        assertEquals("bad-records", handler.dlqTopic());
    }

    @Test
    void overridesWinOverTheFileWhichWinsOverDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("streamrec.properties");
        Files.writeString(file, "# comment\nrecommend.k = 20\nrecommend.candidates=500\nmodel.dir=/models/v7\n"
                + "http.port=9000 \n", StandardCharsets.UTF_8);
        AppConfig c = AppConfig.load(file, Map.of("recommend.k", "50"));
        assertEquals(50, c.recommendK());
        assertEquals(500, c.recommendCandidates());
        assertEquals(Path.of("/models/v7"), c.modelDir());
        assertEquals(9000, c.httpPort(), "values are trimmed");
        assertEquals("ratings", c.ratingsTopic());

        assertEquals(AppConfig.defaults(), AppConfig.load(null, null));
    }

    @Test
    void missingFileNamesTheFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.properties");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> AppConfig.load(file, Map.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void kafkaSecuritySettingsArePassedThroughUnchanged() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("security.protocol", "SASL_SSL");
        given.put("sasl.mechanism", "SCRAM-SHA-512");
        given.put("sasl.jaas.config", JAAS);
        given.put("ssl.truststore.location", "/etc/streamrec/truststore.p12");
        given.put("ssl.truststore.password", "changeit");
        given.put("ssl.endpoint.identification.algorithm", "https");
        given.put("producer.linger.ms", "5");
        given.put("consumer.max.poll.records", "500");
        given.put("main.consumer.fetch.max.wait.ms", "100");
        given.put("admin.request.timeout.ms", "30000");
        given.put("num.standby.replicas", "1");
        given.put("statestore.cache.max.bytes", "0");
        given.put("topic.min.insync.replicas", "2");
        given.put("max.poll.records", "1000");
        AppConfig c = AppConfig.of(given);
        assertEquals(given, c.passthrough());
        Properties p = c.streamsProperties();
        given.forEach((k, v) -> assertEquals(v, p.getProperty(k), k));

        // and Kafka Streams hands them to its clients
        StreamsConfig sc = new StreamsConfig(p);
        Map<String, Object> producer = sc.getProducerConfigs("client-1");
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals(JAAS, String.valueOf(producer.get("sasl.jaas.config")));
        assertEquals("5", String.valueOf(producer.get("linger.ms")));
        Map<String, Object> consumer = sc.getMainConsumerConfigs("g", "c", 0);
        assertEquals("SASL_SSL", consumer.get("security.protocol"));
        assertEquals("500", String.valueOf(consumer.get("max.poll.records")));
    }

    @Test
    void secretsAreHiddenInToString() {
        AppConfig c = AppConfig.of(Map.of("sasl.jaas.config", JAAS, "ssl.key.password", "k3y"));
        String s = c.toString();
        assertFalse(s.contains("s3cr3t"), s);
        assertFalse(s.contains("k3y"), s);
        assertTrue(s.contains("sasl.jaas.config = [hidden]"), s);
        assertTrue(s.contains("recommend.k = 10"), s);
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("recomend.k", "5")));
        assertTrue(e.getMessage().contains("recomend.k: unknown key"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean recommend.k?"), e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("topic.rating", "r")));
        assertTrue(e.getMessage().contains("topic.rating: unknown key"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean topic.ratings?"), e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("frobnicate", "yes")));
        assertTrue(e.getMessage().startsWith("Invalid configuration: frobnicate: unknown key"), e.getMessage());
    }

    @Test
    void badNumberNamesKeyValueAndWhatIsAllowed() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("recommend.candidates", "lots")));
        assertEquals("Invalid configuration: recommend.candidates = lots: not an integer; allowed: integer in"
                + " [1, 10000]", e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("http.port", "70000")));
        assertEquals("Invalid configuration: http.port = 70000: out of range; allowed: integer in [0, 65535]",
                e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("processing.guarantee",
                "exactly_once")));
        assertTrue(e.getMessage().contains("processing.guarantee = exactly_once: allowed: one of exactly_once_v2,"
                + " at_least_once"), e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("bootstrap.servers", "broker")));
        assertTrue(e.getMessage().contains("bootstrap.servers = broker: not a host:port list"), e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("topic.watches", "my topic")));
        assertTrue(e.getMessage().contains("topic.watches = my topic: not a legal Kafka topic name"),
                e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("model.dir", " ")));
        assertTrue(e.getMessage().contains("model.dir = \"\": must not be empty"), e.getMessage());
    }

    @Test
    void allProblemsAreReportedTogether() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("recommend.k", "x", "num.stream.threads", "0", "bogus.key", "1")));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("recommend.k = x"), e.getMessage());
        assertTrue(e.getMessage().contains("num.stream.threads = 0"), e.getMessage());
        assertTrue(e.getMessage().contains("bogus.key: unknown key"), e.getMessage());
    }

    @Test
    void kMustNotExceedCandidates() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("recommend.k", "50", "recommend.candidates", "20")));
        assertEquals("Invalid configuration: recommend.k = 50: must be at most recommend.candidates (20)",
                e.getMessage());
        assertEquals(20, AppConfig.of(Map.of("recommend.k", "20", "recommend.candidates", "20")).recommendK());
    }

    @Test
    void writeBufferMustBeLessThanCache() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("rocksdb.block.cache.mb", "16")));
        assertTrue(e.getMessage().contains("rocksdb.write.buffer.mb = 16: must be less than rocksdb.block.cache.mb"
                + " (16)"), e.getMessage());
    }

    @Test
    void topicsMustDiffer() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("topic.dlq", "ratings")));
        assertTrue(e.getMessage().contains("topic.dlq = ratings: the same topic as topic.ratings"), e.getMessage());
    }

    @Test
    void keysTheAppSetsItselfAreRefused() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> AppConfig.of(
                Map.of("deserialization.exception.handler",
                        "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler")));
        assertTrue(e.getMessage().contains("deserialization.exception.handler = "), e.getMessage());
        assertTrue(e.getMessage().contains("set by streamrec"), e.getMessage());

        e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("rocksdb.config.setter", "com.example.Setter")));
        assertTrue(e.getMessage().contains("rocksdb.config.setter = com.example.Setter: set by streamrec"),
                e.getMessage());
    }

    @Test
    void badPassthroughValueIsReportedByKafkaWithTheKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("num.standby.replicas", "many")));
        assertTrue(e.getMessage().contains("num.standby.replicas"), e.getMessage());
        assertTrue(e.getMessage().contains("many"), e.getMessage());
    }
}
