package io.streamrec.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.app.dlq.DeadLetterDeserializationHandler;
import io.streamrec.app.state.BoundedMemoryRocksDBConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
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
        assertEquals(50, c.recommendCandidates());
        assertEquals(10, c.recommendK());
        assertEquals(Path.of("/tmp/streamrec-state"), c.stateDir());
        assertEquals("exactly_once_v2", c.processingGuarantee());
        assertTrue(c.exactlyOnce());
        assertEquals(1, c.numStreamThreads());
        assertEquals(50, c.commitIntervalMs());
        assertEquals(86_400_000L, c.maxFutureSkewMs());
        assertEquals(256L << 20, c.rocksdbBlockCacheBytes());
        assertEquals(64L << 20, c.rocksdbWriteBufferBytes());
        assertEquals(1, c.rankerIntraOpThreads());
        assertEquals(8080, c.httpPort());
        assertTrue(c.passthrough().isEmpty());
        assertEquals(AppConfig.configDef().names().size(), c.values().size());
        assertEquals(List.copyOf(AppConfig.configDef().configKeys().keySet()), List.copyOf(c.values().keySet()),
                "values() in definition order");
    }

    @Test
    void everySettingIsDocumentedValidatedAndItsDefaultIsItsValue() {
        AppConfig defaults = AppConfig.defaults();
        for (ConfigDef.ConfigKey k : AppConfig.configDef().configKeys().values()) {
            assertFalse(k.documentation == null || k.documentation.isBlank(), k.name);
            assertNotNull(k.validator, k.name);
            assertFalse(k.validator.toString().isBlank(), k.name);
            assertTrue(k.hasDefault(), k.name);
            assertEquals(ConfigDef.convertToString(k.defaultValue, k.type), defaults.values().get(k.name), k.name);
        }
    }

    @Test
    void configDefIsACopy() {
        AppConfig.configDef().define("extra.key", ConfigDef.Type.STRING, "x", ConfigDef.Importance.LOW, "doc");
        assertFalse(AppConfig.configDef().names().contains("extra.key"));
        assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("extra.key", "y")));
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
        AppConfig c = AppConfig.of(Map.of("sasl.jaas.config", JAAS, "ssl.key.password", "k3y",
                "producer.ssl.keystore.password", "pr0d", "sasl.login.custom.token", "t0ken",
                "security.protocol", "SASL_SSL"));
        for (String s : List.of(c.toString(), c.passthrough().toString())) {
            assertFalse(s.contains("s3cr3t"), s);
            assertFalse(s.contains("k3y"), s);
            assertFalse(s.contains("pr0d"), s); // a password behind a client prefix
            assertFalse(s.contains("t0ken"), s); // a sasl. key Kafka does not define: may be secret
            assertTrue(s.contains("SASL_SSL"), s); // not a password in Kafka's definition
        }
        assertTrue(c.toString().contains("sasl.jaas.config = [hidden]"), c.toString());
        assertTrue(c.toString().contains("recommend.k = 10"), c.toString());
        assertEquals("k3y", c.passthrough().get("ssl.key.password"), "Kafka still gets the value");
        assertEquals("k3y", c.streamsProperties().getProperty("ssl.key.password"));
    }

    @Test
    void secretsAreHiddenInErrorMessages() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> AppConfig.of(
                Map.of("sasl.jaas.config", JAAS, "ssl.keystore.password", "k3y", "sasl.mechanism", "PLAIN",
                        "security.protocol", "SASL_NOPE")));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertFalse(e.getMessage().contains("k3y"), e.getMessage());
        assertTrue(e.getMessage().contains("security.protocol = SASL_NOPE"), e.getMessage());
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

        // behind a client prefix, only that client's settings pass (Kafka would ignore the rest without a word)
        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("producer.lingr.ms", "5")));
        assertTrue(e.getMessage().contains("did you mean producer.linger.ms?"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("admin.max.poll.records", "5")));
        assertTrue(e.getMessage().contains("admin.max.poll.records: unknown key"), e.getMessage());
        assertEquals("x", AppConfig.of(Map.of("consumer.sasl.login.custom", "x")).passthrough()
                .get("consumer.sasl.login.custom"), "sasl./ssl. extensions pass behind a prefix too");

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("frobnicate", "yes")));
        assertTrue(e.getMessage().startsWith("Invalid configuration: frobnicate: unknown key"), e.getMessage());
    }

    @Test
    void badNumberNamesKeyValueAndWhatIsAllowed() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("recommend.candidates", "lots")));
        assertEquals("Invalid configuration: recommend.candidates = lots: not a number of type INT; allowed:"
                + " [1,...,10000]", e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("http.port", "70000")));
        assertEquals("Invalid configuration: http.port = 70000: value must be no more than 65535; allowed:"
                + " [0,...,65535]", e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("max.future.skew.ms", "-1")));
        assertEquals("Invalid configuration: max.future.skew.ms = -1: value must be at least 0; allowed: [0,...]",
                e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("processing.guarantee",
                "exactly_once")));
        assertEquals("Invalid configuration: processing.guarantee = exactly_once: string must be one of:"
                + " exactly_once_v2, at_least_once", e.getMessage());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("bootstrap.servers", "broker")));
        assertTrue(e.getMessage().contains("bootstrap.servers = broker: not a host:port list"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("bootstrap.servers", "")));
        assertTrue(e.getMessage().contains("bootstrap.servers = \"\": not a host:port list: empty"), e.getMessage());
        assertEquals("[::1]:9092,k2:9092",
                AppConfig.of(Map.of("bootstrap.servers", " [::1]:9092 , k2:9092")).bootstrapServers());

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("topic.watches", "my topic")));
        assertTrue(e.getMessage().contains("topic.watches = my topic: not a legal Kafka topic name"),
                e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("application.id", "..")));
        assertTrue(e.getMessage().contains("application.id = ..: not a legal Kafka topic name"), e.getMessage());
        assertEquals("x".repeat(249), AppConfig.of(Map.of("topic.movies", "x".repeat(249))).moviesTopic());
        assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("topic.movies", "x".repeat(250))));

        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("model.dir", " ")));
        assertTrue(e.getMessage().contains("model.dir = \"\": string must be non-empty"), e.getMessage());
    }

    @Test
    void allProblemsAreReportedTogether() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("recommend.k", "x", "num.stream.threads", "0", "bogus.key", "1")));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("recommend.k = x"), e.getMessage());
        assertTrue(e.getMessage().contains("num.stream.threads = 0"), e.getMessage());
        assertTrue(e.getMessage().contains("bogus.key: unknown key"), e.getMessage());

        // rules between keys and Kafka's checks of passthrough values are reported alongside, not after a fix
        e = assertThrows(ConfigurationException.class, () -> AppConfig.of(Map.of("recommend.k", "50",
                "recommend.candidates", "20", "http.port", "-1", "num.standby.replicas", "many",
                "producer.linger.ms", "soon", "ssl.truststore.type", "P12 ")));
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("recommend.k = 50: must be at most recommend.candidates (20)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("http.port = -1"), e.getMessage());
        assertTrue(e.getMessage().contains("num.standby.replicas = many: not a number of type INT"), e.getMessage());
        assertTrue(e.getMessage().contains("producer.linger.ms = soon: not a number of type LONG"), e.getMessage());
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
        assertTrue(e.getMessage().contains("rocksdb.write.buffer.mb = 64: must be less than rocksdb.block.cache.mb"
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
        assertEquals("Invalid configuration: num.standby.replicas = many: not a number of type INT",
                e.getMessage());

        e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("consumer.auto.offset.reset", "sometimes")));
        assertTrue(e.getMessage().startsWith("Invalid configuration: consumer.auto.offset.reset = sometimes: "),
                e.getMessage());

        // Kafka Streams' own rules over the whole result still run once every value is valid on its own
        e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("rack.aware.assignment.tags", "zone")));
        assertTrue(e.getMessage().startsWith("Invalid configuration: rejected by Kafka Streams: "), e.getMessage());
        assertTrue(e.getMessage().contains("rack.aware.assignment.tags"), e.getMessage());
        assertEquals("zone", AppConfig.of(Map.of("rack.aware.assignment.tags", "zone", "client.tag.zone", "eu-1"))
                .passthrough().get("rack.aware.assignment.tags"));
        // ... including those Kafka Streams reports with an IllegalArgumentException
        e = assertThrows(ConfigurationException.class,
                () -> AppConfig.of(Map.of("producer.transaction.timeout.ms", "40"))); // below the commit interval
        assertTrue(e.getMessage().contains("Transaction timeout 40"), e.getMessage());
    }

    @Test
    void configProvidersPassThroughAndResolveSecretsFromMountedFilesWhenKafkaParses(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path secrets) throws Exception {
        java.nio.file.Files.writeString(secrets.resolve("password"), "s3cret");
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("config.providers", "secrets");
        m.put("config.providers.secrets.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        m.put("config.providers.secrets.param.allowed.paths", secrets.toString());
        m.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\""
                + " password=\"${secrets:" + secrets + ":password}\";");
        AppConfig config = AppConfig.of(m);
        assertFalse(config.toString().contains("s3cret"), config.toString());
        Object resolved = new org.apache.kafka.streams.StreamsConfig(config.streamsProperties()).originals().get("sasl.jaas.config");
        assertTrue(String.valueOf(resolved).contains("password=\"s3cret\""), "resolved by Kafka: " + resolved);
        // a reference to a directory the provider may not read fails at start-up, naming the key
        m.put("config.providers.secrets.param.allowed.paths", secrets.resolve("elsewhere").toString());
        assertThrows(ConfigurationException.class, () -> AppConfig.of(m));
    }
}
