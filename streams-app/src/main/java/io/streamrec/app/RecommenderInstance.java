package io.streamrec.app;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.http.ApiServer;
import io.streamrec.app.metrics.RecommenderMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One running instance: the streams application, its metrics, and the HTTP server (API, page, health, metrics).
 * What {@code run} and {@code demo} start. Several instances of one {@code application.id} share the users between
 * them; set {@code application.server} to the {@code host:http.port} others can reach this one at, and the query API
 * forwards a request for a user held elsewhere to its owner.
 */
public final class RecommenderInstance implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecommenderInstance.class);
    private final AppConfig config;
    private final RecommenderStreams app;
    private final RecommenderMetrics metrics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ApiServer http;
    private boolean closed;

    private RecommenderInstance(AppConfig given, String advertisedHost) {
        int port = given.httpPort() == 0 ? freePort() : given.httpPort();
        String server = given.passthrough().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (server == null && advertisedHost != null) {
            Map<String, String> all = new HashMap<>(given.passthrough());
            all.putAll(given.values());
            all.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + port);
            given = AppConfig.of(all);
            server = advertisedHost + ":" + port;
        }
        this.config = given;
        this.app = new RecommenderStreams(config);
        this.metrics = new RecommenderMetrics(app.quality(), app.dlq());
        metrics.bind(app.streams());
        metrics.bindModel(app.served());
        // Kafka Streams first: its group join and any restore run on its threads while the HTTP side is set up
        // (a restarted instance's lists resume sooner); the probes answer once HTTP is up, from Kafka Streams' state
        long t0 = System.nanoTime();
        app.start();
        KafkaProducer<byte[], byte[]> events = null;
        ApiServer started;
        try {
            events = eventProducer(config);
            HostInfo self = server == null ? null : HostInfo.buildFromEndpoint(server);
            started = new ApiServer(config, port, app, metrics, self, events);
        } catch (RuntimeException e) {
            app.close(); // nothing served yet
            if (events != null) events.close(PRODUCER_CLOSE_TIMEOUT);
            metrics.close();
            throw e;
        }
        this.producer = events;
        this.http = started;
        LOG.info("start-up: HTTP on port {} {} ms after Kafka Streams was started", http.port(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Starts an instance; {@code application.server} is used as given (unset: every query is answered locally). */
    public static RecommenderInstance start(AppConfig config) {
        return new RecommenderInstance(config, null);
    }

    /**
     * Starts an instance that, unless {@code application.server} is set, advertises {@code host} and its HTTP port
     * (useful with {@code http.port=0}, where the port is only known here).
     */
    public static RecommenderInstance start(AppConfig config, String advertisedHost) {
        return new RecommenderInstance(config, advertisedHost);
    }

    public RecommenderStreams app() {
        return app;
    }

    public RecommenderMetrics metrics() {
        return metrics;
    }

    public ApiServer http() {
        return http;
    }

    public AppConfig config() {
        return config;
    }

    /** {@code http://localhost:PORT}, or the bound address when {@code http.host} names one interface. */
    public String baseUrl() {
        String host = config.httpHost();
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return "http://" + (wildcard ? "localhost" : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + ":" + http.port();
    }

    /** The producer of {@code POST /events}: idempotent, acks=all, no linger (a person is waiting), Kafka settings passed through. */
    private static KafkaProducer<byte[], byte[]> eventProducer(AppConfig config) {
        Properties p = new Properties();
        config.passthrough().forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k) || k.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG)) p.put(k, v);
            if (k.startsWith(StreamsConfig.PRODUCER_PREFIX)) p.put(k.substring(StreamsConfig.PRODUCER_PREFIX.length()), v);
        });
        p.putAll(EventProducers.settings(config.bootstrapServers()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0); // a person is waiting
        // a send blocks its HTTP thread while metadata is missing: fail fast (503) instead of the 60 s default
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-api");
        return EventProducers.create(p);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for http.port=0", e);
        }
    }

    /**
     * Closes within {@link #WORST_CASE_CLOSE}, Kafka Streams first: not ready any more (Services stop routing here),
     * then Kafka Streams commits, closes its stores and writes its checkpoints (bounded by
     * {@link RecommenderStreams#CLOSE_TIMEOUT}), so a slow broker cannot spend the grace period on the producer and
     * leave the stores to be restored at the next start; then the HTTP server stops and the event producer gets
     * {@link #PRODUCER_CLOSE_TIMEOUT} to deliver what {@code POST /events} accepted.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (http != null) http.health().markClosing();
        metrics.stopKafkaMetrics(); // before the stores close: reading a closing store's metric can crash the JVM
        app.close();
        if (http != null) http.close();
        producer.close(PRODUCER_CLOSE_TIMEOUT);
        metrics.close();
    }

    /** How long {@link #close()} lets the event producer deliver what it holds. */
    public static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** What stopping the HTTP server may take (Jetty does not wait for requests in flight; measured well below 1 s). */
    public static final Duration HTTP_STOP_ALLOWANCE = Duration.ofSeconds(2);
    /** The longest {@link #close()} takes; a platform's grace period must exceed it (deploy tests check they do). */
    public static final Duration WORST_CASE_CLOSE = RecommenderStreams.CLOSE_TIMEOUT.plus(HTTP_STOP_ALLOWANCE)
            .plus(PRODUCER_CLOSE_TIMEOUT);
}
