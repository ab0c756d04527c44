package io.streamrec.app.config;

import io.streamrec.app.dlq.DeadLetterDeserializationHandler;
import io.streamrec.app.dlq.DeadLetterProcessingHandler;
import io.streamrec.app.dlq.DeadLetters;
import io.streamrec.app.state.BoundedMemoryRocksDBConfig;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.schemas.DlqReasons;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The streams app's configuration, in one place. Every key it owns is defined in a Kafka {@link ConfigDef}
 * ({@link #configDef()}) with its type, default, allowed values, importance and meaning; {@link #documentation()}
 * renders them as {@code docs/configuration.md}.
 *
 * <p>Sources, later wins: the defaults, a Java properties file (UTF-8), then overrides (e.g. from the command line).
 * Keys the app does not own but Kafka knows are passed to Kafka Streams unchanged ({@link #passthrough()}): every
 * Kafka Streams, producer, consumer and admin client setting (e.g. {@code security.protocol},
 * {@code sasl.jaas.config}, {@code ssl.truststore.location}, {@code statestore.cache.max.bytes}), any key starting
 * with {@code sasl.}, {@code ssl.} or {@code client.tag.}, a client setting behind the prefix {@code consumer.},
 * {@code main.consumer.}, {@code restore.consumer.}, {@code global.consumer.}, {@code producer.} or {@code admin.},
 * and {@code topic.}<i>name</i> for a Kafka topic setting <i>name</i> (applied to internal topics).
 *
 * <p>Everything is checked when the object is built, and all problems are reported together in one
 * {@link ConfigurationException} whose message names each key, the value and what is allowed: unknown keys (with a
 * "did you mean"), values that do not parse or are out of range ({@link ConfigDef#validateAll}, which unlike
 * {@link ConfigDef#parse} does not stop at the first), keys the app sets itself, {@code recommend.k >
 * recommend.candidates}, two topic settings naming one topic, and passthrough values Kafka's own definitions reject.
 * Passthrough secrets ({@link ConfigDef.Type#PASSWORD} in Kafka's definitions, or keys Kafka does not define) are
 * never shown: not by {@link #toString()}, not in error messages.
 *
 * <p>Immutable and thread-safe.
 */
public final class AppConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String APPLICATION_ID_CONFIG = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String TOPIC_RATINGS_CONFIG = "topic.ratings";
    public static final String TOPIC_WATCHES_CONFIG = "topic.watches";
    public static final String TOPIC_MOVIES_CONFIG = "topic.movies";
    public static final String TOPIC_RECOMMENDATIONS_CONFIG = "topic.recommendations";
    public static final String TOPIC_USER_VECTORS_CONFIG = "topic.user-vectors";
    public static final String TOPIC_MODEL_VERSIONS_CONFIG = "topic.model-versions";
    public static final String TOPIC_DLQ_CONFIG = "topic.dlq";
    public static final String TOPIC_ITEM_VECTORS_CONFIG = "topic.item-vectors";
    public static final String ITEMS_LEARN_ONLINE_CONFIG = "items.learn.online";
    public static final String MODEL_DIR_CONFIG = "model.dir";
    public static final String MOVIES_NEW_CAPACITY_CONFIG = "movies.new.capacity";
    public static final String RECOMMEND_CANDIDATES_CONFIG = "recommend.candidates";
    public static final String RECOMMEND_K_CONFIG = "recommend.k";
    public static final String STATE_DIR_CONFIG = StreamsConfig.STATE_DIR_CONFIG;
    public static final String PROCESSING_GUARANTEE_CONFIG = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;
    public static final String NUM_STREAM_THREADS_CONFIG = StreamsConfig.NUM_STREAM_THREADS_CONFIG;
    public static final String COMMIT_INTERVAL_MS_CONFIG = StreamsConfig.COMMIT_INTERVAL_MS_CONFIG;
    public static final String MAX_FUTURE_SKEW_MS_CONFIG = "max.future.skew.ms";
    public static final String ROCKSDB_BLOCK_CACHE_MB_CONFIG = "rocksdb.block.cache.mb";
    public static final String ROCKSDB_WRITE_BUFFER_MB_CONFIG = "rocksdb.write.buffer.mb";
    public static final String RANKER_INTRA_OP_THREADS_CONFIG = "ranker.intra.op.threads";
    public static final String HTTP_PORT_CONFIG = "http.port";
    public static final String HTTP_HOST_CONFIG = "http.host";
    public static final String HTTP_TOKENS_FILE_CONFIG = "http.tokens.file";
    public static final String HTTP_METRICS_PUBLIC_CONFIG = "http.metrics.public";
    public static final String METRICS_STAGE_CPU_CONFIG = "metrics.stage.cpu";
    public static final String HTTP_MAX_BODY_BYTES_CONFIG = "http.max.body.bytes";
    public static final String DEDUP_EVENT_IDS_CONFIG = "dedup.event.ids";
    public static final String USER_HISTORY_EVENTS_CONFIG = "user.history.events";
    public static final String DLQ_MAX_RECORD_BYTES_CONFIG = "dlq.max.record.bytes";

    private static final List<String> TOPIC_KEYS = List.of(TOPIC_RATINGS_CONFIG, TOPIC_WATCHES_CONFIG,
            TOPIC_MOVIES_CONFIG, TOPIC_RECOMMENDATIONS_CONFIG, TOPIC_USER_VECTORS_CONFIG, TOPIC_MODEL_VERSIONS_CONFIG, TOPIC_DLQ_CONFIG,
            TOPIC_ITEM_VECTORS_CONFIG);

    /** The keys the app owns, in documentation order. Never exposed: {@link #configDef()} hands out copies. */
    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, "localhost:9092", new HostPortListValidator(),
                    Importance.HIGH, "Kafka brokers to connect to first.")
            .define(APPLICATION_ID_CONFIG, Type.STRING, "streamrec", new TopicNameValidator(), Importance.HIGH,
                    "Kafka Streams application id: the consumer group, and the prefix of internal topics and of the"
                            + " state directory. All instances of one deployment share it.")
            .define(TOPIC_RATINGS_CONFIG, Type.STRING, "ratings", new TopicNameValidator(), Importance.HIGH,
                    "Input topic of `RatingEvent`s, keyed by user id.")
            .define(TOPIC_WATCHES_CONFIG, Type.STRING, "watches", new TopicNameValidator(), Importance.HIGH,
                    "Input topic of `WatchEvent`s, keyed by user id.")
            .define(TOPIC_MOVIES_CONFIG, Type.STRING, "movies", new TopicNameValidator(), Importance.HIGH,
                    "Compacted topic of `Movie`s (the catalogue), keyed by movie id; read into a global store.")
            .define(TOPIC_RECOMMENDATIONS_CONFIG, Type.STRING, "recommendations", new TopicNameValidator(),
                    Importance.HIGH, "Output topic of `Recommendations`, keyed by user id.")
            .define(TOPIC_USER_VECTORS_CONFIG, Type.STRING, "", new TopicNameValidator(true), Importance.MEDIUM,
                    "Compacted topic of `UserVector`s the trainer publishes (`publish-users`), keyed by user id with"
                            + " the partition count of `topic.ratings`: a user the model knows starts from their trained"
                            + " vectors and training history instead of the prior. Empty: off (every user starts from"
                            + " the prior).")
            .define(TOPIC_MODEL_VERSIONS_CONFIG, Type.STRING, "", new TopicNameValidator(true), Importance.MEDIUM,
                    "Compacted, one-partition topic of `ModelVersion`s (`recsys publish`). The newest record names the"
                            + " model to serve: it is loaded in the background (digest checked, ranker opened, retriever"
                            + " built) and swapped in between two events; a version that fails to load leaves the current"
                            + " model served and shows in `/health` and `streamrec_model_load_failures_total`. Empty: off"
                            + " (the model of `model.dir` is served until a restart).")
            .define(TOPIC_ITEM_VECTORS_CONFIG, Type.STRING, "item-vectors", new TopicNameValidator(), Importance.MEDIUM,
                    "Compacted topic of `ItemVector`s keyed by movie id, written by the app's item owners while"
                            + " `items.learn.online` is on: each event's movie's new vectors, which every instance applies"
                            + " to its serving copy of the item vectors and its retriever. Created by the app at start"
                            + " (compacted, the partition count of `topic.ratings`) if missing.")
            .define(ITEMS_LEARN_ONLINE_CONFIG, Type.BOOLEAN, false, ConfigDef.LambdaValidator.with((name, value) -> { },
                    () -> "true or false"), Importance.MEDIUM,
                    "Items learn online too: each event also moves its movie's vectors (rating factor and bias,"
                            + " retrieval vector and bias) by the item step the trainer tuned (manifest `online`). The"
                            + " update travels keyed by movie id over the internal topic `<application.id>-item-feedback`"
                            + " (created by the app at start, the partition count of `topic.ratings`) to the one task that"
                            + " owns the movie, which keeps its vectors in RocksDB and publishes them to"
                            + " `topic.item-vectors`; exactly-once on both sides. An instance serves another partition's"
                            + " item update a few commit intervals after the event (see docs/operations.md). False: item"
                            + " vectors stay as trained: the default, because on ml-latest-small's streaming protocol items"
                            + " learning online lower the rating error (RMSE 0.7946 against 0.7976) but raise the lists'"
                            + " HR@10 only within noise (0.0513 against 0.0506), and cost ~40% more CPU per list; see"
                            + " README and docs/benchmarks.md.")
            .define(TOPIC_DLQ_CONFIG, Type.STRING, DlqReasons.TOPIC, new TopicNameValidator(), Importance.HIGH,
                    "Dead-letter topic: rejected records, unchanged, with `dlq.*` headers saying why"
                            + " (see [wire-format.md](wire-format.md#bad-records-the-dead-letter-topic)).")
            .define(MODEL_DIR_CONFIG, Type.STRING, "models/current", new NonEmptyString(), Importance.HIGH,
                    "Directory of the trainer's model artifacts (item vectors, ranker).")
            .define(RECOMMEND_CANDIDATES_CONFIG, Type.INT, RecommendationPipeline.DEFAULT_CANDIDATES, Range.between(1, 10_000),
                    Importance.MEDIUM,
                    "Candidates retrieved by dot product per event, before ranking. The ranking call's cost grows with"
                            + " them; on ml-latest-small's streaming protocol 50, 70 and 100 gave the same HR@10 (30: a"
                            + " little less), so 50 (docs/benchmarks.md).")
            .define(RECOMMEND_K_CONFIG, Type.INT, 10, Range.between(1, 1000), Importance.MEDIUM,
                    "Movies per recommendation list; at most `recommend.candidates`.")
            .define(STATE_DIR_CONFIG, Type.STRING, "/tmp/streamrec-state", new NonEmptyString(), Importance.HIGH,
                    "Kafka Streams state directory (RocksDB stores). Use a persistent volume in production.")
            .define(PROCESSING_GUARANTEE_CONFIG, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                    "`exactly_once_v2`: state, output and dead letters are committed atomically with the input"
                            + " offsets (brokers 2.5 or newer); `at_least_once`: faster commits, an event may be"
                            + " applied twice after a crash.")
            .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 1, Range.between(1, 256), Importance.MEDIUM,
                    "Stream threads per instance; more threads process more partitions in parallel.")
            .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 50L, Range.between(1L, 86_400_000L), Importance.LOW,
                    "How often progress is committed; with exactly-once also how long until output is visible."
                            + " 50 ms (Kafka Streams' exactly-once default is 100): p99 event → list 88–103 ms instead"
                            + " of 155–157 at half the sustained rate, for ~10% of the sustained rate"
                            + " (docs/benchmarks.md, issue 13 fourth pass).")
            .define(MAX_FUTURE_SKEW_MS_CONFIG, Type.LONG, 86_400_000L, Range.atLeast(0L), Importance.LOW,
                    "An event whose time is more than this ahead of the app's clock goes to the dead-letter topic"
                            + " (`future-timestamp`).")
            .define(DEDUP_EVENT_IDS_CONFIG, Type.INT, 64, Range.between(0, 4096), Importance.LOW,
                    "How many of a user's latest `eventId`s the user's state remembers (8 bytes each); an event"
                            + " repeating one goes to the dead-letter topic (`duplicate-event`) instead of being learned"
                            + " again. 0 turns deduplication off.")
            .define(MOVIES_NEW_CAPACITY_CONFIG, Type.INT, 1000, Range.between(0, 1_000_000), Importance.LOW,
                    "Room in each loaded model for movies it does not know: a `Movie` on `topic.movies` that the"
                            + " served model has no vectors for gets them from the model's cold-start feature map"
                            + " (`movie-feature-map.json`) and becomes recommendable at once; a movie the model's"
                            + " catalogue does not list takes one of these free slots (about 4·(ratingDim + dim) + 100"
                            + " bytes each, per loaded model). When they are used up, further new movies are logged and"
                            + " counted (`streamrec_new_movies_total{outcome=\"no_room\"}`) and not served until the"
                            + " next model, which knows them or has room again. 0: only movies in the model's catalogue.")
            .define(USER_HISTORY_EVENTS_CONFIG, Type.INT, 50, Range.between(0, 4096), Importance.LOW,
                    "How many of a user's latest events (movie, rating or completion; 12 bytes each) the user's state"
                            + " keeps: when a newly published model is swapped in, the user's vectors are re-fitted to"
                            + " its item space from them at the user's next event (fold-in). 0 keeps none: the vectors"
                            + " then stay as they were, learned against the old model's items.")
            .define(DLQ_MAX_RECORD_BYTES_CONFIG, Type.INT, DeadLetters.DEFAULT_MAX_RECORD_BYTES,
                    Range.atLeast(4096), Importance.LOW,
                    "Largest dead letter written, key, value and headers together: a bigger one has its value (then"
                            + " key) cut and its original size in the `dlq.original.size` (`dlq.original.key.size`)"
                            + " header. Keep it below the producer's `max.request.size` and the dead-letter topic's"
                            + " `max.message.bytes`.")
            .define(ROCKSDB_BLOCK_CACHE_MB_CONFIG, Type.INT, (int) (BoundedMemoryRocksDBConfig.DEFAULT_BLOCK_CACHE_BYTES >> 20),
                    Range.between(1, 1_048_576), Importance.MEDIUM,
                    "Off-heap memory of all RocksDB stores of the JVM together, in MiB: one shared LRU cache for"
                            + " data, index and filter blocks, that the memtables are also charged to. Less saves"
                            + " memory and costs CPU per event once the users' states no longer fit (64: ~8 µs more"
                            + " per state read at 100,000 users, docs/operations.md).")
            .define(ROCKSDB_WRITE_BUFFER_MB_CONFIG, Type.INT, (int) (BoundedMemoryRocksDBConfig.DEFAULT_WRITE_BUFFER_BYTES >> 20),
                    Range.between(1, 1_048_576), Importance.LOW,
                    "Part of `rocksdb.block.cache.mb` that the memtables (write buffers) of all stores may use"
                            + " together, in MiB; must be less than it.")
            .define(RANKER_INTRA_OP_THREADS_CONFIG, Type.INT, 1, Range.between(1, 256), Importance.LOW,
                    "ONNX Runtime threads per ranking call; 1 is best when each stream thread ranks on its own"
                            + " core.")
            .define(HTTP_PORT_CONFIG, Type.INT, 8080, Range.between(0, 65535), Importance.MEDIUM,
                    "Port of the query API and the health and metrics endpoints; 0 picks a free port.")
            .define(HTTP_HOST_CONFIG, Type.STRING, "127.0.0.1", new NonEmptyString(), Importance.HIGH,
                    "Address the HTTP server binds to. The default serves this machine only; set `0.0.0.0` (every"
                            + " interface) in a container, together with `http.tokens.file`.")
            .define(HTTP_TOKENS_FILE_CONFIG, Type.STRING, "", ConfigDef.LambdaValidator.with((name, value) -> { },
                            () -> "a file path, or empty"), Importance.HIGH,
                    "File of bearer tokens the API accepts (one per line, at least 16 characters; `#` comments),"
                            + " e.g. a mounted Kubernetes Secret. When set, every endpoint except `/health`, the web"
                            + " page's files and (with `http.metrics.public`) `/metrics` answers 401 without"
                            + " `Authorization: Bearer <token>`. Empty: no authentication.")
            .define(HTTP_METRICS_PUBLIC_CONFIG, Type.BOOLEAN, false, ConfigDef.LambdaValidator.with((name, value) -> { },
                            () -> "true or false"), Importance.LOW,
                    "Whether `/metrics` is served without a token when `http.tokens.file` is set (for a scraper"
                            + " that cannot send one; keep it off the public network).")
            .define(HTTP_MAX_BODY_BYTES_CONFIG, Type.INT, 16384, Range.between(256, 16 * 1024 * 1024),
                    Importance.LOW, "Largest request body accepted; a larger one is refused with 413.")
            .define(METRICS_STAGE_CPU_CONFIG, Type.BOOLEAN, false, ConfigDef.LambdaValidator.with((name, value) -> { },
                            () -> "true or false"), Importance.LOW,
                    "Measure the stream threads' CPU time per stage of each event (the whole step, retrieval, the"
                            + " ranking call, the state store reads and writes) into"
                            + " `streamrec_stage_cpu_seconds_total{stage}`, for a profile (`./recsys bench --stage-cpu`"
                            + " prints it per step). Off by default: it reads the thread's CPU clock about ten times per"
                            + " event, ~3 µs.");

    /** Kafka Streams keys the app sets itself; setting them by hand would bypass the dead-letter topic or memory bound. */
    @SuppressWarnings("deprecation")
    static final Map<String, String> MANAGED = Map.of(
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            "set by streamrec to " + DeadLetterDeserializationHandler.class.getName() + " (bad records go to topic.dlq)",
            StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            "set by streamrec to " + DeadLetterDeserializationHandler.class.getName() + " (bad records go to topic.dlq)",
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
            "set by streamrec to " + DeadLetterProcessingHandler.class.getName() + " (failed records go to topic.dlq)",
            StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
            "set by streamrec to " + BoundedMemoryRocksDBConfig.class.getName()
                    + " (use rocksdb.block.cache.mb and rocksdb.write.buffer.mb)");

    /** Ours (parsed by {@link #DEFINITION}), by key. */
    private final Map<String, Object> parsed;
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
            } else if (DEFINITION.configKeys().containsKey(key)) {
                ours.put(key, value);
            } else if (MANAGED.containsKey(key)) {
                problems.add(key + " = " + value + ": " + MANAGED.get(key) + "; remove it");
            } else if (KafkaPassthrough.accepts(key)) {
                kafka.put(key, value);
            } else {
                problems.add(unknownKey(key));
            }
        }
        Map<String, ConfigValue> checked = DEFINITION.validateAll(ours);
        for (ConfigDef.ConfigKey key : DEFINITION.configKeys().values()) {
            List<String> errors = checked.get(key.name).errorMessages();
            if (!errors.isEmpty()) { // the first: after a parse error the validator only adds "must be non-null"
                String allowed = key.validator instanceof Range ? "; allowed: " + key.validator : "";
                problems.add(problem(key.name, ours.getOrDefault(key.name,
                        ConfigDef.convertToString(key.defaultValue, key.type)).trim(), errors.get(0)) + allowed);
            }
        }
        crossChecks(checked, problems);
        kafka.forEach((key, value) -> {
            String error = KafkaPassthrough.problem(key, value);
            if (error != null) {
                problems.add(problem(key, KafkaPassthrough.isSecret(key) ? "[hidden]" : value.trim(),
                        KafkaPassthrough.withoutSecrets(error, kafka)));
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        this.parsed = Collections.unmodifiableMap(DEFINITION.parse(ours)); // cannot throw: validated above
        Map<String, String> resolved = new LinkedHashMap<>();
        DEFINITION.configKeys().values().forEach(k -> resolved.put(k.name,
                ConfigDef.convertToString(parsed.get(k.name), k.type)));
        this.values = Collections.unmodifiableMap(resolved);
        this.passthrough = new SecretsMaskedMap(kafka);
        if (!passthrough.isEmpty()) {
            kafkaStreamsCheck();
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

    /** A copy of the definition of every key the app owns, in documentation order. */
    public static ConfigDef configDef() {
        return new ConfigDef(DEFINITION);
    }

    // ---- typed getters ----

    public String bootstrapServers() {
        return values.get(BOOTSTRAP_SERVERS_CONFIG);
    }

    public String applicationId() {
        return (String) parsed.get(APPLICATION_ID_CONFIG);
    }

    public String ratingsTopic() {
        return (String) parsed.get(TOPIC_RATINGS_CONFIG);
    }

    public String watchesTopic() {
        return (String) parsed.get(TOPIC_WATCHES_CONFIG);
    }

    public String moviesTopic() {
        return (String) parsed.get(TOPIC_MOVIES_CONFIG);
    }

    public String recommendationsTopic() {
        return (String) parsed.get(TOPIC_RECOMMENDATIONS_CONFIG);
    }

    /** The warm-start topic, or empty when warm start is off. */
    public String userVectorsTopic() {
        return (String) parsed.get(TOPIC_USER_VECTORS_CONFIG);
    }

    /** The model-versions topic, or empty when hot swap is off. */
    public String modelVersionsTopic() {
        return (String) parsed.get(TOPIC_MODEL_VERSIONS_CONFIG);
    }

    /** The compacted topic of item vectors learned online. */
    public String itemVectorsTopic() {
        return (String) parsed.get(TOPIC_ITEM_VECTORS_CONFIG);
    }

    /** Whether items learn online ({@link #itemVectorsTopic()}, {@link #itemFeedbackTopic()}). */
    public boolean itemsLearnOnline() {
        return (Boolean) parsed.get(ITEMS_LEARN_ONLINE_CONFIG);
    }

    /** The internal topic carrying item feedback from user tasks to item owners: {@code <application.id>-item-feedback}. */
    public String itemFeedbackTopic() {
        return applicationId() + "-item-feedback";
    }

    public String dlqTopic() {
        return (String) parsed.get(TOPIC_DLQ_CONFIG);
    }

    public Path modelDir() {
        return Path.of((String) parsed.get(MODEL_DIR_CONFIG));
    }

    public int recommendCandidates() {
        return (Integer) parsed.get(RECOMMEND_CANDIDATES_CONFIG);
    }

    public int recommendK() {
        return (Integer) parsed.get(RECOMMEND_K_CONFIG);
    }

    public Path stateDir() {
        return Path.of((String) parsed.get(STATE_DIR_CONFIG));
    }

    /** {@code exactly_once_v2} or {@code at_least_once}. */
    public String processingGuarantee() {
        return (String) parsed.get(PROCESSING_GUARANTEE_CONFIG);
    }

    public boolean exactlyOnce() {
        return StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee());
    }

    /** Whether the state stores keep only committed writes ({@code enable.transactional.statestores}, on unless set). */
    public boolean transactionalStateStores() {
        return Boolean.parseBoolean(streamsProperties().getProperty(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG));
    }

    public int numStreamThreads() {
        return (Integer) parsed.get(NUM_STREAM_THREADS_CONFIG);
    }

    public long commitIntervalMs() {
        return (Long) parsed.get(COMMIT_INTERVAL_MS_CONFIG);
    }

    public long maxFutureSkewMs() {
        return (Long) parsed.get(MAX_FUTURE_SKEW_MS_CONFIG);
    }

    public long rocksdbBlockCacheBytes() {
        return mebibytes(ROCKSDB_BLOCK_CACHE_MB_CONFIG);
    }

    public long rocksdbWriteBufferBytes() {
        return mebibytes(ROCKSDB_WRITE_BUFFER_MB_CONFIG);
    }

    public int rankerIntraOpThreads() {
        return (Integer) parsed.get(RANKER_INTRA_OP_THREADS_CONFIG);
    }

    public int httpPort() {
        return (Integer) parsed.get(HTTP_PORT_CONFIG);
    }

    public String httpHost() {
        return ((String) parsed.get(HTTP_HOST_CONFIG)).trim();
    }

    /** The bearer-token file, or null when authentication is off. */
    public Path httpTokensFile() {
        String f = ((String) parsed.get(HTTP_TOKENS_FILE_CONFIG)).trim();
        return f.isEmpty() ? null : Path.of(f);
    }

    public boolean httpMetricsPublic() {
        return (Boolean) parsed.get(HTTP_METRICS_PUBLIC_CONFIG);
    }

    /** Whether the stream threads' CPU is measured per stage ({@code StageCpu}). */
    public boolean metricsStageCpu() {
        return (Boolean) parsed.get(METRICS_STAGE_CPU_CONFIG);
    }

    public int httpMaxBodyBytes() {
        return (Integer) parsed.get(HTTP_MAX_BODY_BYTES_CONFIG);
    }

    public int eventIdsRemembered() {
        return (Integer) parsed.get(DEDUP_EVENT_IDS_CONFIG);
    }

    public int moviesNewCapacity() {
        return (Integer) parsed.get(MOVIES_NEW_CAPACITY_CONFIG);
    }

    public int userHistoryEvents() {
        return (Integer) parsed.get(USER_HISTORY_EVENTS_CONFIG);
    }

    public int dlqMaxRecordBytes() {
        return (Integer) parsed.get(DLQ_MAX_RECORD_BYTES_CONFIG);
    }

    private long mebibytes(String key) {
        return ((Integer) parsed.get(key)).longValue() << 20;
    }

    /** Every setting of ours with its effective value as a properties file would write it, in definition order. */
    public Map<String, String> values() {
        return values;
    }

    /** The Kafka settings passed through unchanged (secrets too: Kafka needs them), sorted by key. */
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
        // Kafka's default is false: with it a crash under exactly-once wipes every open task's stores and restores
        // them from the changelogs; transactional stores (KIP-892) keep what was committed (docs/operations.md)
        p.putIfAbsent(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
        p.put(StreamsConfig.STATE_DIR_CONFIG, values.get(STATE_DIR_CONFIG));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, values.get(NUM_STREAM_THREADS_CONFIG));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, values.get(COMMIT_INTERVAL_MS_CONFIG));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        p.put(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG, dlqTopic());
        p.put(DeadLetterDeserializationHandler.MAX_RECORD_BYTES_CONFIG, Integer.toString(dlqMaxRecordBytes()));
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class.getName());
        p.put(BoundedMemoryRocksDBConfig.BLOCK_CACHE_BYTES_CONFIG, Long.toString(rocksdbBlockCacheBytes()));
        p.put(BoundedMemoryRocksDBConfig.WRITE_BUFFER_BYTES_CONFIG, Long.toString(rocksdbWriteBufferBytes()));
        return p;
    }

    // ---- documentation ----

    /** The Markdown of {@code docs/configuration.md}, rendered from {@link #configDef()}. */
    public static String documentation() {
        return ConfigurationMarkdown.render(DEFINITION);
    }

    // ---- validation ----

    /** Rules between keys, checked where the keys involved are valid on their own. */
    private static void crossChecks(Map<String, ConfigValue> checked, List<String> problems) {
        Object k = validValue(checked, RECOMMEND_K_CONFIG);
        Object candidates = validValue(checked, RECOMMEND_CANDIDATES_CONFIG);
        if (k != null && candidates != null && (Integer) k > (Integer) candidates) {
            problems.add(RECOMMEND_K_CONFIG + " = " + k + ": must be at most " + RECOMMEND_CANDIDATES_CONFIG + " ("
                    + candidates + ")");
        }
        Object writeBuffer = validValue(checked, ROCKSDB_WRITE_BUFFER_MB_CONFIG);
        Object cache = validValue(checked, ROCKSDB_BLOCK_CACHE_MB_CONFIG);
        if (writeBuffer != null && cache != null && (Integer) writeBuffer >= (Integer) cache) {
            problems.add(ROCKSDB_WRITE_BUFFER_MB_CONFIG + " = " + writeBuffer + ": must be less than "
                    + ROCKSDB_BLOCK_CACHE_MB_CONFIG + " (" + cache + "), which it is part of");
        }
        Map<Object, String> topicOwner = new LinkedHashMap<>();
        for (String key : TOPIC_KEYS) {
            Object topic = validValue(checked, key);
            String other = topic == null || "".equals(topic) ? null : topicOwner.putIfAbsent(topic, key);
            if (other != null) {
                problems.add(key + " = " + topic + ": the same topic as " + other + "; each must differ");
            }
        }
    }

    private static Object validValue(Map<String, ConfigValue> checked, String key) {
        ConfigValue v = checked.get(key);
        return v.errorMessages().isEmpty() ? v.value() : null;
    }

    /**
     * Lets Kafka Streams parse the result as a whole, for its own rules between keys; each passthrough value has been
     * checked against Kafka's definitions already.
     */
    private void kafkaStreamsCheck() {
        try {
            new StreamsConfig(streamsProperties(), false) { };
        } catch (ConfigException | IllegalArgumentException e) { // e.g. a transaction timeout below the commit interval
            throw new ConfigurationException(List.of("rejected by Kafka Streams: "
                    + KafkaPassthrough.withoutSecrets(e.getMessage(), passthrough)));
        }
    }

    /** "key = value: reason", the reason taken from Kafka's "Invalid value v for configuration key: reason". */
    private static String problem(String key, String shownValue, String kafkaMessage) {
        String marker = " for configuration " + key + ": ";
        int at = kafkaMessage.indexOf(marker);
        String reason = kafkaMessage.startsWith("Invalid value ") && at >= 0
                ? kafkaMessage.substring(at + marker.length()) : kafkaMessage;
        if (!reason.isEmpty()) {
            reason = reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
        }
        return key + " = " + (shownValue.isEmpty() ? "\"\"" : shownValue) + ": " + reason;
    }

    private static String unknownKey(String key) {
        StringBuilder sb = new StringBuilder(key).append(": unknown key (not a streamrec setting, nor a Kafka"
                + " Streams, consumer, producer or admin client setting)");
        if (key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
            sb.append("; topic.<name> is either one of ours (").append(String.join(", ", TOPIC_KEYS))
                    .append(") or a Kafka topic setting for internal topics");
        }
        List<String> known = new ArrayList<>(DEFINITION.names().size() + KafkaPassthrough.KEYS.size());
        known.addAll(DEFINITION.configKeys().keySet()); // ours first: they win ties
        known.addAll(KafkaPassthrough.KEYS);
        String suggestion = KafkaPassthrough.suggestionBehindPrefix(key);
        if (suggestion == null) {
            suggestion = DidYouMean.closest(key, known);
        }
        if (suggestion != null) {
            sb.append("; did you mean ").append(suggestion).append('?');
        }
        return sb.toString();
    }

    // ---- logging ----

    /** Every effective setting, one per line; passthrough secrets are shown as {@code [hidden]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AppConfig:");
        values.forEach((k, v) -> sb.append("\n  ").append(k).append(" = ").append(v));
        passthrough.forEach((k, v) -> sb.append("\n  ").append(k).append(" = ")
                .append(KafkaPassthrough.isSecret(k) ? "[hidden]" : v));
        return sb.toString();
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
