package io.streamrec.app.config;

import static io.streamrec.app.config.Setting.Validator.hostPortList;
import static io.streamrec.app.config.Setting.Validator.intRange;
import static io.streamrec.app.config.Setting.Validator.longRange;
import static io.streamrec.app.config.Setting.Validator.nonEmpty;
import static io.streamrec.app.config.Setting.Validator.oneOf;
import static io.streamrec.app.config.Setting.Validator.optionalTopicName;
import static io.streamrec.app.config.Setting.Validator.topicName;

import io.streamrec.app.dlq.DeadLetterDeserializationHandler;
import io.streamrec.app.state.BoundedMemoryRocksDBConfig;
import io.streamrec.schemas.DlqReasons;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The streams app's configuration, in one place. Every key it owns is a {@link Setting} in {@link #SETTINGS}, with
 * its default, its meaning and its allowed values; {@link #documentation()} renders them as the table in
 * {@code docs/configuration.md}.
 *
 * <p>Sources, later wins: the defaults, a Java properties file (UTF-8), then overrides (e.g. from the command line).
 * Keys the app does not own but Kafka knows are passed to Kafka Streams unchanged ({@link #passthrough()}): every
 * Kafka Streams, producer, consumer and admin client setting (e.g. {@code security.protocol},
 * {@code sasl.jaas.config}, {@code ssl.truststore.location}, {@code statestore.cache.max.bytes}), any key starting
 * with {@code sasl.} or {@code ssl.}, the client prefixes {@code consumer.}, {@code main.consumer.},
 * {@code restore.consumer.}, {@code global.consumer.}, {@code producer.}, {@code admin.}, {@code client.tag.}, and
 * {@code topic.}<i>name</i> for a Kafka topic setting <i>name</i> (applied to internal topics).
 *
 * <p>Everything is checked when the object is built, and all problems are reported together in one
 * {@link ConfigurationException} whose message names each key, the value and what is allowed: unknown keys (with a
 * "did you mean"), values that do not parse or are out of range, {@code recommend.k > recommend.candidates}, two
 * topic settings naming one topic, and passthrough values Kafka Streams itself rejects.
 *
 * <p>Immutable and thread-safe.
 */
public final class AppConfig {

    // ---- the settings: keep this table in the order it should be documented in ----

    public static final Setting BOOTSTRAP_SERVERS = new Setting("bootstrap.servers", "localhost:9092",
            "Kafka brokers to connect to first.", hostPortList());
    public static final Setting APPLICATION_ID = new Setting("application.id", "streamrec",
            "Kafka Streams application id: the consumer group, and the prefix of internal topics and of the state"
                    + " directory. All instances of one deployment share it.", topicName());
    public static final Setting TOPIC_RATINGS = new Setting("topic.ratings", "ratings",
            "Input topic of `RatingEvent`s, keyed by user id.", topicName());
    public static final Setting TOPIC_WATCHES = new Setting("topic.watches", "watches",
            "Input topic of `WatchEvent`s, keyed by user id.", topicName());
    public static final Setting TOPIC_MOVIES = new Setting("topic.movies", "movies",
            "Compacted topic of `Movie`s (the catalogue), keyed by movie id; read into a global store.",
            topicName());
    public static final Setting TOPIC_RECOMMENDATIONS = new Setting("topic.recommendations", "recommendations",
            "Output topic of `Recommendations`, keyed by user id.", topicName());
    public static final Setting TOPIC_USER_VECTORS = new Setting("topic.user-vectors", "",
            "Compacted topic of `UserVector`s the trainer publishes (`publish-users`), keyed by user id with the partition"
                    + " count of `topic.ratings`: a user the model knows starts from their trained vectors and training"
                    + " history instead of the prior. Empty: off (every user starts from the prior).", optionalTopicName());
    public static final Setting TOPIC_DLQ = new Setting("topic.dlq", DlqReasons.TOPIC,
            "Dead-letter topic: rejected records, unchanged, with `dlq.*` headers saying why"
                    + " (see [wire-format.md](wire-format.md#bad-records-the-dead-letter-topic)).", topicName());
    public static final Setting MODEL_DIR = new Setting("model.dir", "models/current",
            "Directory of the trainer's model artifacts (item vectors, ranker).", nonEmpty("a directory path"));
    public static final Setting RECOMMEND_CANDIDATES = new Setting("recommend.candidates", "200",
            "Candidates retrieved by dot product per event, before ranking.", intRange(1, 10_000));
    public static final Setting RECOMMEND_K = new Setting("recommend.k", "10",
            "Movies per recommendation list; at most `recommend.candidates`.", intRange(1, 1000));
    public static final Setting STATE_DIR = new Setting("state.dir", "/tmp/streamrec-state",
            "Kafka Streams state directory (RocksDB stores). Use a persistent volume in production.",
            nonEmpty("a directory path"));
    public static final Setting PROCESSING_GUARANTEE = new Setting("processing.guarantee",
            StreamsConfig.EXACTLY_ONCE_V2,
            "`exactly_once_v2`: state, output and dead letters are committed atomically with the input offsets"
                    + " (brokers 2.5 or newer);"
                    + " `at_least_once`: faster commits, an event may be applied twice after a crash.",
            oneOf(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE));
    public static final Setting NUM_STREAM_THREADS = new Setting("num.stream.threads", "1",
            "Stream threads per instance; more threads process more partitions in parallel.", intRange(1, 256));
    public static final Setting COMMIT_INTERVAL_MS = new Setting("commit.interval.ms", "100",
            "How often progress is committed; with exactly-once also how long until output is visible.",
            longRange(1, 86_400_000L));
    public static final Setting MAX_FUTURE_SKEW_MS = new Setting("max.future.skew.ms", "86400000",
            "An event whose time is more than this ahead of the app's clock goes to the dead-letter topic"
                    + " (`future-timestamp`).", longRange(0, Long.MAX_VALUE));
    public static final Setting ROCKSDB_BLOCK_CACHE_MB = new Setting("rocksdb.block.cache.mb", "64",
            "Off-heap memory of all RocksDB stores of the JVM together: one shared LRU cache for data, index and"
                    + " filter blocks, that the memtables are also charged to.", intRange(1, 1_048_576));
    public static final Setting ROCKSDB_WRITE_BUFFER_MB = new Setting("rocksdb.write.buffer.mb", "16",
            "Part of `rocksdb.block.cache.mb` that the memtables (write buffers) of all stores may use together;"
                    + " must be less than it.", intRange(1, 1_048_576));
    public static final Setting RANKER_INTRA_OP_THREADS = new Setting("ranker.intra.op.threads", "1",
            "ONNX Runtime threads per ranking call; 1 is best when each stream thread ranks on its own core.",
            intRange(1, 256));
    public static final Setting HTTP_PORT = new Setting("http.port", "8080",
            "Port of the query API and the health and metrics endpoints; 0 picks a free port.", intRange(0, 65535));

    /** Every key the app owns, in documentation order. */
    public static final List<Setting> SETTINGS = List.of(BOOTSTRAP_SERVERS, APPLICATION_ID, TOPIC_RATINGS,
            TOPIC_WATCHES, TOPIC_MOVIES, TOPIC_RECOMMENDATIONS, TOPIC_USER_VECTORS, TOPIC_DLQ, MODEL_DIR, RECOMMEND_CANDIDATES,
            RECOMMEND_K, STATE_DIR, PROCESSING_GUARANTEE, NUM_STREAM_THREADS, COMMIT_INTERVAL_MS, MAX_FUTURE_SKEW_MS,
            ROCKSDB_BLOCK_CACHE_MB, ROCKSDB_WRITE_BUFFER_MB, RANKER_INTRA_OP_THREADS, HTTP_PORT);

    /** Kafka Streams keys the app sets itself; setting them by hand would bypass the dead-letter topic or memory bound. */
    @SuppressWarnings("deprecation")
    private static final Map<String, String> MANAGED = Map.of(
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            "set by streamrec to " + DeadLetterDeserializationHandler.class.getName() + " (bad records go to topic.dlq)",
            StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            "set by streamrec to " + DeadLetterDeserializationHandler.class.getName() + " (bad records go to topic.dlq)",
            StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
            "set by streamrec to " + BoundedMemoryRocksDBConfig.class.getName()
                    + " (use rocksdb.block.cache.mb and rocksdb.write.buffer.mb)");

    private static final List<String> PASSTHROUGH_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX,
            StreamsConfig.CLIENT_TAG_PREFIX, "sasl.", "ssl.");

    private static final Map<String, Setting> BY_KEY;
    private static final Set<String> KAFKA_KEYS;
    private static final Set<String> TOPIC_CONFIGS;

    static {
        Map<String, Setting> byKey = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            if (byKey.put(s.key(), s) != null) {
                throw new ExceptionInInitializerError("duplicate setting " + s.key());
            }
        }
        BY_KEY = Collections.unmodifiableMap(byKey);
        Set<String> kafka = new HashSet<>(StreamsConfig.configDef().names());
        kafka.addAll(ProducerConfig.configNames());
        kafka.addAll(ConsumerConfig.configNames());
        kafka.addAll(AdminClientConfig.configNames());
        KAFKA_KEYS = Collections.unmodifiableSet(kafka);
        TOPIC_CONFIGS = topicConfigNames();
    }

    private final Map<String, String> values;
    private final Map<String, String> passthrough;

    private AppConfig(Map<String, String> given) {
        List<String> problems = new ArrayList<>();
        Map<String, String> ours = new LinkedHashMap<>();
        Map<String, String> kafka = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(given).entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (value == null) {
                problems.add(key + ": no value");
            } else if (BY_KEY.containsKey(key)) {
                ours.put(key, value.trim());
            } else if (MANAGED.containsKey(key)) {
                problems.add(key + " = " + value + ": " + MANAGED.get(key) + "; remove it");
            } else if (isKafkaKey(key)) {
                kafka.put(key, value);
            } else {
                problems.add(unknownKey(key));
            }
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            String value = ours.getOrDefault(s.key(), s.defaultValue().trim());
            String problem = s.validator().check(value);
            if (problem != null) {
                problems.add(s.key() + " = " + quote(value) + ": " + problem);
            }
            resolved.put(s.key(), value);
        }
        this.values = Collections.unmodifiableMap(resolved);
        this.passthrough = Collections.unmodifiableMap(kafka);
        if (problems.isEmpty()) {
            crossChecks(problems);
        }
        if (problems.isEmpty() && !passthrough.isEmpty()) {
            kafkaChecks(problems); // ours are checked above; this parses the passthrough values
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    // ---- construction ----

    /** All defaults. */
    public static AppConfig defaults() {
        return new AppConfig(Map.of());
    }

    /** The defaults overridden by {@code settings}. */
    public static AppConfig of(Map<String, String> settings) {
        return new AppConfig(settings);
    }

    /** The defaults, overridden by {@code properties}, overridden by {@code overrides}. */
    public static AppConfig of(Properties properties, Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            all.put(name, properties.getProperty(name));
        }
        all.putAll(overrides);
        return new AppConfig(all);
    }

    /**
     * The defaults, overridden by the properties file (UTF-8; {@code null} for none), overridden by
     * {@code overrides}.
     *
     * @throws ConfigurationException if the file cannot be read or the result is invalid
     */
    public static AppConfig load(Path propertiesFile, Map<String, String> overrides) {
        Properties props = new Properties();
        if (propertiesFile != null) {
            try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                props.load(in);
            } catch (NoSuchFileException e) {
                throw new ConfigurationException(List.of("configuration file " + propertiesFile + ": not found"));
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigurationException(
                        List.of("configuration file " + propertiesFile + ": cannot be read: " + e.getMessage()));
            }
        }
        return of(props, overrides == null ? Map.of() : overrides);
    }

    // ---- typed getters ----

    public String bootstrapServers() {
        return get(BOOTSTRAP_SERVERS);
    }

    public String applicationId() {
        return get(APPLICATION_ID);
    }

    public String ratingsTopic() {
        return get(TOPIC_RATINGS);
    }

    public String watchesTopic() {
        return get(TOPIC_WATCHES);
    }

    public String moviesTopic() {
        return get(TOPIC_MOVIES);
    }

    /** The warm-start topic, or empty when warm start is off. */
    public String userVectorsTopic() {
        return get(TOPIC_USER_VECTORS);
    }

    public String recommendationsTopic() {
        return get(TOPIC_RECOMMENDATIONS);
    }

    public String dlqTopic() {
        return get(TOPIC_DLQ);
    }

    public Path modelDir() {
        return Path.of(get(MODEL_DIR));
    }

    public int recommendCandidates() {
        return getInt(RECOMMEND_CANDIDATES);
    }

    public int recommendK() {
        return getInt(RECOMMEND_K);
    }

    public Path stateDir() {
        return Path.of(get(STATE_DIR));
    }

    /** {@code exactly_once_v2} or {@code at_least_once}. */
    public String processingGuarantee() {
        return get(PROCESSING_GUARANTEE);
    }

    public boolean exactlyOnce() {
        return StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee());
    }

    public int numStreamThreads() {
        return getInt(NUM_STREAM_THREADS);
    }

    public long commitIntervalMs() {
        return getLong(COMMIT_INTERVAL_MS);
    }

    public long maxFutureSkewMs() {
        return getLong(MAX_FUTURE_SKEW_MS);
    }

    public long rocksdbBlockCacheBytes() {
        return getLong(ROCKSDB_BLOCK_CACHE_MB) * 1024 * 1024;
    }

    public long rocksdbWriteBufferBytes() {
        return getLong(ROCKSDB_WRITE_BUFFER_MB) * 1024 * 1024;
    }

    public int rankerIntraOpThreads() {
        return getInt(RANKER_INTRA_OP_THREADS);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    /** The (validated, trimmed) value of one of our settings, or its default. */
    public String get(Setting setting) {
        String v = values.get(setting.key());
        if (v == null) {
            throw new IllegalArgumentException("not a streamrec setting: " + setting.key());
        }
        return v;
    }

    private int getInt(Setting s) {
        return Integer.parseInt(get(s));
    }

    private long getLong(Setting s) {
        return Long.parseLong(get(s));
    }

    /** Every setting of ours with its effective value, in {@link #SETTINGS} order. */
    public Map<String, String> values() {
        return values;
    }

    /** The Kafka settings passed through unchanged, sorted by key. */
    public Map<String, String> passthrough() {
        return passthrough;
    }

    // ---- Kafka Streams ----

    /**
     * The properties for {@code new KafkaStreams(topology, props)} (or a {@code TopologyTestDriver}): the passthrough
     * settings, then ours on top: {@code application.id}, {@code bootstrap.servers}, {@code processing.guarantee},
     * {@code state.dir}, {@code num.stream.threads}, {@code commit.interval.ms}, the
     * {@linkplain DeadLetterDeserializationHandler deserialization exception handler} with the dead-letter topic, and
     * the {@linkplain BoundedMemoryRocksDBConfig RocksDB config setter} with the memory limits. A new object on every
     * call.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.putAll(passthrough);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
        p.put(StreamsConfig.STATE_DIR_CONFIG, get(STATE_DIR));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, get(NUM_STREAM_THREADS));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, get(COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        p.put(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG, dlqTopic());
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class.getName());
        p.put(BoundedMemoryRocksDBConfig.BLOCK_CACHE_BYTES_CONFIG, Long.toString(rocksdbBlockCacheBytes()));
        p.put(BoundedMemoryRocksDBConfig.WRITE_BUFFER_BYTES_CONFIG, Long.toString(rocksdbWriteBufferBytes()));
        return p;
    }

    // ---- documentation ----

    /** The Markdown of {@code docs/configuration.md}. */
    public static String documentation() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Configuration\n\n");
        sb.append("<!-- Generated from io.streamrec.app.config.AppConfig#documentation(); do not edit by hand."
                + " ConfigurationDocTest checks it is up to date. -->\n\n");
        sb.append("The streams app reads a Java properties file (UTF-8) and then overrides given on the command line;"
                + " every key not set keeps the default below. The configuration is checked at start-up, and the app"
                + " refuses to start with a message naming each bad key, its value and what is allowed.\n\n");
        sb.append("| Key | Default | Allowed | Description |\n");
        sb.append("|---|---|---|---|\n");
        for (Setting s : SETTINGS) {
            sb.append("| `").append(s.key()).append("` | `").append(s.defaultValue()).append("` | ")
                    .append(cell(s.validator().describe())).append(" | ").append(cell(s.doc())).append(" |\n");
        }
        sb.append("\n## Kafka settings\n\n");
        sb.append("Any other key Kafka knows is passed to Kafka Streams unchanged: Kafka Streams, producer, consumer"
                + " and admin client settings (for example `security.protocol`, `sasl.mechanism`,"
                + " `sasl.jaas.config`, `ssl.truststore.location`, `num.standby.replicas`,"
                + " `statestore.cache.max.bytes`), any key starting with `sasl.` or `ssl.`, the client prefixes `"
                + String.join("`, `", PASSTHROUGH_PREFIXES.subList(0, 7))
                + "`, and `topic.`<i>name</i> for a Kafka topic setting <i>name</i> (applied to the app's internal"
                + " topics, e.g. `topic.min.insync.replicas`). A key that is neither ours nor Kafka's is an error.\n\n");
        sb.append("The app sets these Kafka Streams keys itself, and refuses them in the configuration:"
                + " `deserialization.exception.handler` and the deprecated `default.deserialization.exception.handler`"
                + " (records that cannot be read go to the dead-letter topic), and `rocksdb.config.setter` (one"
                + " memory budget for all state stores, see `rocksdb.block.cache.mb`).\n\n");
        sb.append("A SASL over TLS connection, for example:\n\n");
        sb.append("```properties\n"
                + "bootstrap.servers=broker-1:9093,broker-2:9093\n"
                + "security.protocol=SASL_SSL\n"
                + "sasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n"
                + "    username=\"streamrec\" password=\"...\";\n"
                + "ssl.truststore.location=/etc/streamrec/truststore.p12\n"
                + "ssl.truststore.password=...\n"
                + "```\n");
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    // ---- validation ----

    private void crossChecks(List<String> problems) {
        if (recommendK() > recommendCandidates()) {
            problems.add(RECOMMEND_K.key() + " = " + recommendK() + ": must be at most "
                    + RECOMMEND_CANDIDATES.key() + " (" + recommendCandidates() + ")");
        }
        if (getLong(ROCKSDB_WRITE_BUFFER_MB) >= getLong(ROCKSDB_BLOCK_CACHE_MB)) {
            problems.add(ROCKSDB_WRITE_BUFFER_MB.key() + " = " + get(ROCKSDB_WRITE_BUFFER_MB)
                    + ": must be less than " + ROCKSDB_BLOCK_CACHE_MB.key() + " (" + get(ROCKSDB_BLOCK_CACHE_MB)
                    + "), which it is part of");
        }
        Map<String, String> topicOwner = new LinkedHashMap<>();
        for (Setting s : List.of(TOPIC_RATINGS, TOPIC_WATCHES, TOPIC_MOVIES, TOPIC_RECOMMENDATIONS, TOPIC_USER_VECTORS, TOPIC_DLQ)) {
            if (get(s).isEmpty()) continue;
            String other = topicOwner.putIfAbsent(get(s), s.key());
            if (other != null) {
                problems.add(s.key() + " = " + get(s) + ": the same topic as " + other + "; each must differ");
            }
        }
    }

    /** Lets Kafka Streams parse the result, so a bad passthrough value (e.g. {@code num.standby.replicas=x}) fails now. */
    private void kafkaChecks(List<String> problems) {
        try {
            new StreamsConfig(streamsProperties(), false) { };
        } catch (ConfigException e) {
            problems.add("rejected by Kafka Streams: " + e.getMessage());
        }
    }

    private static boolean isKafkaKey(String key) {
        if (KAFKA_KEYS.contains(key)) {
            return true;
        }
        for (String prefix : PASSTHROUGH_PREFIXES) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                return true;
            }
        }
        return key.startsWith(StreamsConfig.TOPIC_PREFIX)
                && TOPIC_CONFIGS.contains(key.substring(StreamsConfig.TOPIC_PREFIX.length()));
    }

    private static String unknownKey(String key) {
        StringBuilder sb = new StringBuilder(key).append(": unknown key (not a streamrec setting, nor a Kafka"
                + " Streams, consumer, producer or admin client setting)");
        if (key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
            sb.append("; topic.<name> is either one of ours (topic.ratings, topic.watches, topic.movies,"
                    + " topic.recommendations, topic.dlq) or a Kafka topic setting for internal topics");
        }
        String suggestion = closest(key);
        if (suggestion != null) {
            sb.append("; did you mean ").append(suggestion).append('?');
        }
        return sb.toString();
    }

    /** The known key nearest to a misspelt one (edit distance at most 2), preferring ours. */
    private static String closest(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = 3;
        List<String> candidates = new ArrayList<>(BY_KEY.keySet());
        candidates.addAll(new TreeSet<>(KAFKA_KEYS));
        for (String candidate : candidates) {
            int d = editDistance(lower, candidate, bestDistance);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static Set<String> topicConfigNames() {
        Set<String> names = new HashSet<>();
        for (Field f : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && f.getName().endsWith("_CONFIG")) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }

    private static String quote(String value) {
        return value.isEmpty() ? "\"\"" : value;
    }

    // ---- logging ----

    /** Every effective setting, one per line; passthrough values that look secret are masked. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AppConfig:");
        values.forEach((k, v) -> sb.append("\n  ").append(k).append(" = ").append(v));
        passthrough.forEach((k, v) -> sb.append("\n  ").append(k).append(" = ").append(isSecret(k) ? "[hidden]" : v));
        return sb.toString();
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.endsWith(".key")
                || k.contains("token") || k.contains("credentials");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppConfig other && values.equals(other.values) && passthrough.equals(other.passthrough);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, passthrough);
    }
}
