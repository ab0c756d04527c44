package io.streamrec.app.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.app.topology.LiveQuality;
import io.streamrec.app.topology.StageCpu;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.Int4ScreenRetriever;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The recommender's metrics in one Prometheus registry, served at {@code GET /metrics}:
 * <ul>
 *   <li>{@code streamrec_events_total} — valid events processed;</li>
 *   <li>{@code streamrec_live_rmse}, {@code streamrec_live_hit_rate{k="10"}} — test-then-train quality
 *       ({@link LiveQuality}): rating error before learning, and whether the event's movie was in the list last sent;</li>
 *   <li>{@code streamrec_dlq_records_total{reason=...}} — dead letters per reason ({@link DlqMetrics}), every
 *       documented reason present from the start at 0;</li>
 *   <li>{@code streamrec_event_to_recommendation_latency_seconds} — histogram (Prometheus buckets; p50/p99
 *       estimated client-side for the demo's status line) of the time from an
 *       event.s record timestamp (set by the producer when it sends) to the new list being made;</li>
 *   <li>online item learning ({@link io.streamrec.app.items.ItemUpdateStats}): {@code streamrec_item_feedback_sent_total}
 *       (item updates sent by user tasks), {@code streamrec_item_updates_total{result="applied|dropped"}} (by the
 *       movies' owners on this instance), {@code streamrec_item_vectors_total{result="served|ignored"}} (published
 *       vectors this instance applied to its serving copy, or ignored as another model's), and
 *       {@code streamrec_item_vector_lag_seconds}, a histogram of the time from an event's record timestamp to its
 *       movie's new vector being served here — how stale this instance's item vectors are;</li>
 *   <li>{@code streamrec_stage_cpu_seconds_total{stage="event|retrieval|ranking|state_read|state_write"}} — only with
 *       {@code metrics.stage.cpu}: the stream threads' CPU time per stage of the per-user step ({@link StageCpu});</li>
 *   <li>{@code streamrec_retrieval_loose_items}, {@code streamrec_retrieval_moves_kept_in_cell} — from 100,000
 *       movies, the served 4-bit screen's movies moved out of their k-means cell by updates (scored on every list)
 *       and those moved after that list's cap (stale in their cell); 0 for smaller catalogues; and
 *       {@code streamrec_retrieval_probe_share}, the largest share of those cells a list screens (calibrated on the
 *       catalogue at load, by the user vector's norm, unless set; 1 for smaller catalogues: every movie);</li>
 *   <li>the Kafka Streams client metrics ({@code kafka_stream_*}, {@code kafka_consumer_*}, ...) and JVM metrics.</li>
 * </ul>
 * The counters read the adders the topology already keeps, so scraping costs the stream threads nothing.
 */
public final class RecommenderMetrics implements AutoCloseable {
    public static final String EVENTS = "streamrec.events";
    public static final String LIVE_RMSE = "streamrec.live.rmse";
    public static final String LIVE_HIT_RATE = "streamrec.live.hit.rate";
    public static final String DLQ_RECORDS = "streamrec.dlq.records";
    public static final String MODEL_SWAPS = "streamrec.model.swaps";
    public static final String MODEL_LOAD_FAILURES = "streamrec.model.load.failures";
    /** Movies of the movies topic a served model had no vectors for, by what happened ({@code NewMovies}). */
    public static final String NEW_MOVIES = "streamrec.new.movies";
    public static final String NEW_MOVIE_SLOTS_FREE = "streamrec.new.movie.slots.free";
    /** The served retriever's movies scored on every list since an update moved them out of their cell (0 without cells). */
    public static final String RETRIEVAL_LOOSE_ITEMS = "streamrec.retrieval.loose.items";
    /** Updates that moved a movie out of its cell after the loose movies reached their cap (it stays stale in its cell). */
    public static final String RETRIEVAL_MOVES_KEPT_IN_CELL = "streamrec.retrieval.moves.kept.in.cell";
    public static final String RETRIEVAL_PROBE_SHARE = "streamrec.retrieval.probe.share";
    public static final String LATENCY = "streamrec.event.to.recommendation.latency";
    public static final String ITEM_FEEDBACK_SENT = "streamrec.item.feedback.sent";
    public static final String STAGE_CPU = "streamrec.stage.cpu";
    public static final String ITEM_UPDATES = "streamrec.item.updates";
    public static final String ITEM_VECTORS = "streamrec.item.vectors";
    public static final String ITEM_VECTOR_LAG = "streamrec.item.vector.lag";
    /** Part of the name of Kafka Streams' store gauge that is not exported (see the constructor). */
    static final String UNCOMMITTED_BYTES = "uncommitted.bytes";
    /** How often new Kafka client metrics (e.g. of threads started later) are picked up. */
    private static final Duration KAFKA_REFRESH = Duration.ofSeconds(5);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DlqMetrics dlq;
    private final Set<String> dlqReasons = ConcurrentHashMap.newKeySet();
    private final Timer latency;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private ScheduledExecutorService kafkaRefresher;
    private KafkaStreamsMetrics kafka;
    /**
     * What the meters read, held here because Micrometer's function counters and gauges keep only a weak reference to
     * the object they read: one nothing else held would read NaN once collected (a test's served model did). Written
     * only, for reachability.
     */
    private final LiveQuality quality;
    /** The model {@link #bindModel} bound, held for the same reason. */
    private io.streamrec.app.lifecycle.ServedModel served;

    public RecommenderMetrics(LiveQuality quality, DlqMetrics dlq) {
        this.quality = quality;
        this.dlq = dlq;
        // A transactional store's uncommitted-bytes gauge reads its RocksDB WriteBatch without the store's lock:
        // read by our refresher while a rebalance closes the store it crashed the JVM (SIGSEGV in
        // WriteBatch.getDataSize). The stream thread reads it safely itself to decide commits; not exported.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().contains(UNCOMMITTED_BYTES)));
        FunctionCounter.builder(EVENTS, quality, LiveQuality::events)
                .description("Valid rating and watch events processed").register(registry);
        FunctionCounter.builder("streamrec_user_refits", quality, LiveQuality::refits)
                .description("Users whose vectors were re-fitted to a newly served model from their history (fold-in)")
                .register(registry);
        FunctionCounter.builder("streamrec_warm_starts", quality, LiveQuality::warmStarts)
                .description("Users started from, or moved to a new model by, a published user vector (warm start)")
                .register(registry);
        Gauge.builder(LIVE_RMSE, quality, LiveQuality::rmse)
                .description("Running RMSE of each rating predicted before learning from it (NaN before the first)")
                .register(registry);
        Gauge.builder(LIVE_HIT_RATE, quality, LiveQuality::hitRate).tag("k", "10")
                .description("Share of events whose movie was in the top-10 last sent to the user (NaN before the first)")
                .register(registry);
        registerDlqReasons();
        this.latency = Timer.builder(LATENCY)
                .description("From an event's record timestamp (its produce time) to its user's new list")
                .publishPercentiles(0.5, 0.99) // client-side only: the Prometheus exposition keeps the buckets
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        quality.onLatency(millis -> latency.record(millis, TimeUnit.MILLISECONDS));
        var items = quality.items();
        FunctionCounter.builder(ITEM_FEEDBACK_SENT, items, io.streamrec.app.items.ItemUpdateStats::feedbackSentCount)
                .description("Item updates sent by this instance's user tasks to the movies' owners").register(registry);
        FunctionCounter.builder(ITEM_UPDATES, items, io.streamrec.app.items.ItemUpdateStats::ownerAppliedCount).tag("result", "applied")
                .description("Item updates applied by the movie owners on this instance").register(registry);
        FunctionCounter.builder(ITEM_UPDATES, items, io.streamrec.app.items.ItemUpdateStats::ownerDroppedCount).tag("result", "dropped")
                .description("Item updates dropped by the movie owners on this instance (made on another model version)")
                .register(registry);
        FunctionCounter.builder(ITEM_VECTORS, items, io.streamrec.app.items.ItemUpdateStats::vectorsAppliedCount).tag("result", "served")
                .description("Published item vectors applied to this instance's serving copy").register(registry);
        FunctionCounter.builder(ITEM_VECTORS, items, io.streamrec.app.items.ItemUpdateStats::vectorsIgnoredCount).tag("result", "ignored")
                .description("Published item vectors ignored (another model version, or unreadable)").register(registry);
        Timer itemLag = Timer.builder(ITEM_VECTOR_LAG)
                .description("From an event's record timestamp to its movie's new vector being served by this instance")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        items.onLag(millis -> itemLag.record(millis, TimeUnit.MILLISECONDS));
        registerStageCpu(quality.stages());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** {@code streamrec_stage_cpu_seconds_total{stage}}, when the app measures its stages ({@code metrics.stage.cpu}). */
    private void registerStageCpu(StageCpu stages) {
        if (!stages.enabled()) return;
        for (StageCpu.Stage stage : StageCpu.Stage.values()) {
            FunctionCounter.builder(STAGE_CPU, stages, s -> s.nanos(stage) / 1e9).baseUnit("seconds")
                    .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Stream threads' CPU time in each stage of the per-user step (event: the whole step)")
                    .register(registry);
        }
    }

    /** Adds the Kafka Streams client metrics of {@code streams} (call once, before or after it starts). */
    public synchronized void bind(KafkaStreams streams) {
        if (kafka != null) throw new IllegalStateException("already bound to a KafkaStreams instance");
        kafkaRefresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-metrics-refresh");
            t.setDaemon(true);
            return t;
        });
        kafka = new KafkaStreamsMetrics(streams, List.of(), kafkaRefresher, KAFKA_REFRESH);
        kafka.bindTo(registry);
    }

    /** Adds {@code streamrec_model_swaps_total} and {@code streamrec_model_load_failures_total} (hot swap). */
    public void bindModel(io.streamrec.app.lifecycle.ServedModel served) {
        this.served = served;
        FunctionCounter.builder(MODEL_SWAPS, served, io.streamrec.app.lifecycle.ServedModel::swaps)
                .description("Published model versions swapped in since start").register(registry);
        FunctionCounter.builder(MODEL_LOAD_FAILURES, served, io.streamrec.app.lifecycle.ServedModel::loadFailures)
                .description("Published model versions that failed to load (the previous model kept serving)")
                .register(registry);
        var movies = served.newMovies();
        FunctionCounter.builder(NEW_MOVIES, movies, io.streamrec.app.lifecycle.NewMovies::added).tag("outcome", "added")
                .description("Movies the served model did not know, given vectors from its feature map: added in a free"
                        + " slot, mapped in the model's catalogue, refused for want of room (no_room), or left out"
                        + " because the model has no feature map (no_map)").register(registry);
        FunctionCounter.builder(NEW_MOVIES, movies, io.streamrec.app.lifecycle.NewMovies::mapped).tag("outcome", "mapped")
                .register(registry);
        FunctionCounter.builder(NEW_MOVIES, movies, io.streamrec.app.lifecycle.NewMovies::noRoom).tag("outcome", "no_room")
                .register(registry);
        FunctionCounter.builder(NEW_MOVIES, movies, io.streamrec.app.lifecycle.NewMovies::noMap).tag("outcome", "no_map")
                .register(registry);
        Gauge.builder(NEW_MOVIE_SLOTS_FREE, movies, io.streamrec.app.lifecycle.NewMovies::freeSlots)
                .description("Free item slots for new movies left in the served model (movies.new.capacity at load)")
                .register(registry);
        Gauge.builder(RETRIEVAL_LOOSE_ITEMS, served, s -> ofScreen(s, Int4ScreenRetriever::looseItems, 0))
                .description("Movies the served retriever scores on every list because an update moved them out of their"
                        + " k-means cell (catalogues from 100,000 movies; capped at one in 256; reset by a model swap)")
                .register(registry);
        Gauge.builder(RETRIEVAL_MOVES_KEPT_IN_CELL, served, s -> ofScreen(s, Int4ScreenRetriever::movesKeptInCell, 0))
                .description("Updates that moved a movie out of its cell after the loose movies reached their cap: found"
                        + " only when its old cell is probed until the next model swap or restart")
                .register(registry);
        Gauge.builder(RETRIEVAL_PROBE_SHARE, served, s -> ofScreen(s, Int4ScreenRetriever::probeShare, 1))
                .description("Largest share of the served catalogue's k-means cells a list's retrieval screens, chosen at"
                        + " load for the catalogue and by the user vector's norm unless streamrec.int4.probe sets it (1: every"
                        + " movie, catalogues below 100,000)")
                .register(registry);
    }

    /** A figure of the served model's 4-bit screen; {@code otherwise} for another retriever. */
    private static double ofScreen(io.streamrec.app.lifecycle.ServedModel served, ToDoubleFunction<Int4ScreenRetriever> figure,
                                   double otherwise) {
        return CandidateRetriever.forModel(served.current().model()) instanceof Int4ScreenRetriever screen
                ? figure.applyAsDouble(screen) : otherwise;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        registerDlqReasons(); // a reason not documented yet still gets its own series
        return registry.scrape();
    }

    /** Content type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    /** The latency (ms) at percentile {@code p} (0.5 or 0.99) over the recent window, NaN before any event. */
    public double latencyMillis(double p) {
        if (latency.count() == 0) return Double.NaN;
        for (ValueAtPercentile v : latency.takeSnapshot().percentileValues()) {
            if (v.percentile() == p) return v.value(TimeUnit.MILLISECONDS);
        }
        throw new IllegalArgumentException("p: not a published percentile: " + p);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private void registerDlqReasons() {
        for (String reason : dlq.snapshot().keySet()) {
            if (dlqReasons.add(reason)) {
                FunctionCounter.builder(DLQ_RECORDS, dlq, d -> d.count(reason)).tag("reason", reason)
                        .description("Records sent to the dead-letter topic, by reason").register(registry);
            }
        }
    }

    /**
     * Stops reading Kafka Streams' metrics, waiting up to a second for a refresh in flight: called before Kafka Streams
     * closes its stores. Micrometer's Kafka binder reads every metric's value on each refresh, and reading a RocksDB
     * store's {@code approximate-num-uncommitted-bytes} while the store closes crashed the JVM (SIGSEGV in
     * {@code WriteBatch.getDataSize}, seen in this project's integration tests).
     */
    public synchronized void stopKafkaMetrics() {
        if (kafka != null) kafka.close();
        if (kafkaRefresher != null) {
            kafkaRefresher.shutdownNow();
            try {
                kafkaRefresher.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kafka = null;
        kafkaRefresher = null;
    }

    @Override
    public synchronized void close() {
        stopKafkaMetrics();
        gc.close();
        registry.close();
    }
}
