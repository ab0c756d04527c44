package io.streamrec.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;

/**
 * A real, single-node Apache Kafka broker (KRaft, combined broker + controller) running inside this JVM.
 *
 * <p>It is the same code path as {@code bin/kafka-storage.sh format} followed by {@code bin/kafka-server-start.sh}:
 * we write an ordinary {@code server.properties}, format the storage with the latest <em>production</em> metadata
 * version (so the transaction coordinator, {@code transaction.version}, {@code group.version} etc. are at the levels a
 * real cluster gets, and exactly-once Kafka Streams works), and run {@link KafkaRaftServer}. No Docker needed.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().build()) {      // temp dir, free ports
 *     kafka.createTopics(Map.of("ratings", 4));
 *     props.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>Used by the integration tests (one shared broker per test run) and by the one-command demo
 * ({@link EmbeddedKafkaMain}: fixed ports, persistent data directory).
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** Default ports of the demo broker: the usual Kafka ports, so any tool pointed at localhost:9092 just works. */
    public static final int DEFAULT_BROKER_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;

    private static final String HOST = "127.0.0.1";
    private static final String LOG_DIR_NAME = "kraft-combined-logs";
    private static final String LOCK_FILE_NAME = ".embedded-kafka.lock";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final boolean formatted;
    private final KafkaRaftServer server;
    private final Duration startupTime;
    private boolean closed;

    private EmbeddedKafka(Builder b) throws IOException {
        if (b.quietLogging) {
            KafkaLogging.quiet();
        }
        long start = System.nanoTime();
        this.deleteOnClose = b.dataDir == null;
        this.dataDir = deleteOnClose
                ? Files.createTempDirectory("embedded-kafka-")
                : Files.createDirectories(b.dataDir);

        // Kafka halts the whole JVM (Exit.halt) on some start-up faults, e.g. a listener port it cannot bind, and a
        // second broker started on the same directory corrupted the first one's metadata log when we tried it.
        // So guard against both here and fail with a plain exception instead.
        this.lockFile = FileChannel.open(dataDir.resolve(LOCK_FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null; // held by another EmbeddedKafka in this JVM
        }
        this.lock = acquired;
        if (lock == null) {
            lockFile.close();
            throw new IllegalStateException("The data directory " + dataDir + " is in use by another running broker");
        }

        KafkaRaftServer started = null;
        boolean didFormat = false;
        int bport = b.brokerPort;
        int cport = b.controllerPort;
        try {
            // Port 0 means "pick a free one"; two picks in a row can in theory return the same port.
            while (bport == 0 || bport == cport) {
                bport = freePort();
            }
            while (cport == 0 || cport == bport) {
                cport = freePort();
            }
            checkFree(b.brokerPort);
            checkFree(b.controllerPort);

            Properties props = serverProperties(b.overrides, bport, cport);
            Path propsFile = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(propsFile)) {
                props.store(out, "Written by " + EmbeddedKafka.class.getName() + " on every start");
            }
            didFormat = formatIfNeeded(propsFile);
            started = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            // startup() returns once the broker has caught up with the metadata log and is unfenced,
            // i.e. when clients can use it.
            started.startup();
        } catch (RuntimeException | IOException e) {
            if (started != null) {
                shutdownQuietly(started);
            }
            releaseAndClean();
            throw e;
        }
        this.brokerPort = bport;
        this.controllerPort = cport;
        this.server = started;
        this.formatted = didFormat;
        this.startupTime = Duration.ofNanos(System.nanoTime() - start);
    }

    /** A builder with the defaults: temporary data directory (deleted on close), free ports, quiet Kafka logging. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a throw-away broker: temporary data directory deleted on close, two free ports. */
    public static EmbeddedKafka start() {
        return builder().build();
    }

    /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** Where {@code server.properties} and the log directory live. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether this start formatted the storage (false when the data directory already held a formatted log dir). */
    public boolean formattedOnStart() {
        return formatted;
    }

    /** Wall-clock time from the start of the constructor to a ready broker (format included). */
    public Duration startupTime() {
        return startupTime;
    }

    /** An Admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates topics (name to partition count) with replication factor 1; topics that already exist are left alone. */
    public void createTopics(Map<String, Integer> partitions) {
        createTopics(partitions, Map.of());
    }

    /**
     * Creates topics (name to partition count) with replication factor 1 and the given topic configs applied to all of
     * them (e.g. {@code cleanup.policy=compact}). Idempotent: a topic that already exists is left as it is (its
     * partitions and configs are not changed), so callers can run this on every start against a persistent broker.
     */
    public void createTopics(Map<String, Integer> partitions, Map<String, String> configs) {
        createTopics(bootstrapServers(), partitions, configs);
    }

    /** {@link #createTopics(Map)} on the broker at {@code bootstrapServers}: one this JVM did not start. */
    public static void createTopics(String bootstrapServers, Map<String, Integer> partitions) {
        createTopics(bootstrapServers, partitions, Map.of());
    }

    /**
     * {@link #createTopics(Map, Map)} on the broker at {@code bootstrapServers}: one this JVM did not start (the bench's
     * broker in a JVM of its own).
     */
    public static void createTopics(String bootstrapServers, Map<String, Integer> partitions, Map<String, String> configs) {
        if (partitions.isEmpty()) {
            return;
        }
        List<NewTopic> topics = new ArrayList<>();
        partitions.forEach((name, count) ->
                topics.add(new NewTopic(name, count, (short) 1).configs(Map.copyOf(configs))));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            CreateTopicsResult result = admin.createTopics(topics);
            for (var entry : result.values().entrySet()) {
                try {
                    entry.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, partitions.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topics " + partitions.keySet(), e);
        }
    }

    /**
     * Creation returns before every partition has a leader in the metadata; a client started right
     * then (a Kafka Streams global store, say) can fail to initialise. Waits until all have one.
     */
    private static void awaitLeaders(Admin admin, java.util.Set<String> names) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var described = admin.describeTopics(names).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (described.values().stream().allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null))) {
                    return;
                }
            } catch (ExecutionException notVisibleYet) {
                // metadata not propagated yet: ask again
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("no leader for every partition of " + names + " after " + ADMIN_TIMEOUT);
    }

    /** Stops the broker (controlled shutdown) and, for a temporary data directory, deletes it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdownQuietly(server);
        releaseAndClean();
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", controller port " + controllerPort + ", " + dataDir + "]";
    }

    // ----------------------------------------------------------------------------------------------------------------

    private Properties serverProperties(Map<String, String> overrides, int brokerPort, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        // Combined mode: this one process is the whole cluster, broker and KRaft controller (the metadata quorum).
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // A dynamic (KIP-853) quorum of one voter, as in the Kafka 4 quick start: format --standalone writes this
        // node into the voter set and kraft.version=1. Restarting a data directory on other ports works (tested).
        p.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir().toString());

        // One node: every internal topic must be satisfied by a single replica, or groups/transactions never start.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Fewer partitions of the internal topics than the production defaults (50): a single node gains nothing
        // from 50 (each is a log with its own files, loaded by its coordinator), and the demo's data dir stays small.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.num.partitions", "5");

        // Topics are created explicitly (with their partition counts); a typo must fail, not create a topic.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        // Tests and the demo start their consumers / Streams apps together; the default 3 s delay only helps large
        // groups form in one rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");
        // The log cleaner (needed: changelogs are compacted) preallocates this buffer on the heap; 128 MiB by default
        // is a lot for a broker sharing its JVM with the application.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));

        p.putAll(overrides);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private Path logDir() {
        return dataDir.resolve(LOG_DIR_NAME);
    }

    /**
     * Formats the log directory like {@code kafka-storage.sh format --standalone -t <id> -c server.properties}, unless
     * it is already formatted: a restarted persistent broker must keep its cluster id (formatting with a new one
     * fails). Without --release-version the tool picks the latest production metadata version and the default level
     * of every production feature for it (transaction.version=2, group.version=1, streams.version=1, ...), which is
     * what transactions and exactly-once Kafka Streams need.
     */
    private boolean formatIfNeeded(Path propsFile) {
        if (Files.exists(logDir().resolve("meta.properties"))) {
            return false;
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                "format", "--standalone", "--ignore-formatted", "-t", clusterId, "-c", propsFile.toString()}, out);
        }
        if (rc != 0) {
            throw new IllegalStateException("Formatting " + logDir() + " failed (exit code " + rc + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
        return true;
    }

    /** Releases the directory lock and, for a temporary directory, deletes it. */
    private void releaseAndClean() {
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            System.err.println("EmbeddedKafka: could not release the lock on " + dataDir + ": " + e);
        }
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            // Closing must not mask the original failure (or fail a test's tear-down); the process is going away.
            System.err.println("EmbeddedKafka: error during shutdown: " + e);
        }
    }

    /**
     * A port that was free a moment ago. The broker binds it a few hundred ms later; another process grabbing it in
     * between is possible but rare, and then start-up fails loudly rather than silently.
     */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    /** For a fixed port: fail early with a clear message if something (another Kafka?) already listens on it. */
    private static void checkFree(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as Kafka does: a port in TIME_WAIT after our own restart is fine
            socket.bind(new InetSocketAddress(HOST, port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " on " + HOST + " is already in use (another Kafka "
                    + "broker running?); choose another port or stop the other process", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try {
            Utils.delete(dir.toFile()); // Kafka's own recursive delete; a missing directory is fine
        } catch (IOException e) {
            System.err.println("EmbeddedKafka: could not delete " + dir + ": " + e);
        }
    }

    /** Options for {@link EmbeddedKafka}. */
    public static final class Builder {
        private Path dataDir;
        private int brokerPort;
        private int controllerPort;
        private boolean quietLogging = true;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * A persistent data directory (created if missing, kept on close; restarting on it keeps the topics and
         * records). Default: a fresh temporary directory deleted on close.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Port of the PLAINTEXT listener clients connect to; 0 (default) picks a free port. */
        public Builder brokerPort(int port) {
            this.brokerPort = checkPort(port);
            return this;
        }

        /** Port of the KRaft controller listener; 0 (default) picks a free port. */
        public Builder controllerPort(int port) {
            this.controllerPort = checkPort(port);
            return this;
        }

        /** Any broker setting, applied on top of the defaults written to {@code server.properties}. */
        public Builder brokerConfig(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** {@link #brokerConfig} for each entry of {@code settings}. */
        public Builder brokerConfigs(Map<String, String> settings) {
            settings.forEach(this::brokerConfig);
            return this;
        }

        /**
         * Kafka's loggers ({@code kafka.*}, {@code org.apache.kafka.*}) at WARN (default true): a starting broker logs
         * thousands of INFO lines. Levels configured by the user (system property or {@code simplelogger.properties})
         * are left alone.
         */
        public Builder quietLogging(boolean quiet) {
            this.quietLogging = quiet;
            return this;
        }

        /** Formats the storage if needed and starts the broker; returns once it accepts clients (a few seconds). */
        public EmbeddedKafka build() {
            if (brokerPort != 0 && brokerPort == controllerPort) {
                throw new IllegalArgumentException("broker and controller port must differ: " + brokerPort);
            }
            try {
                return new EmbeddedKafka(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded Kafka broker", e);
            }
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            return port;
        }
    }
}
