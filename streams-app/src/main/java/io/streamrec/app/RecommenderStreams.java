package io.streamrec.app;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.app.lifecycle.ModelVersionFollower;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.app.topology.EventTopology;
import io.streamrec.app.topology.LiveQuality;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.Int4ScreenRetriever;
import io.streamrec.model.ModelDirectory;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** The running streams application: topology + model + Kafka Streams, closed cleanly. */
public final class RecommenderStreams implements AutoCloseable {
    /** How long {@link #close()} waits for Kafka Streams to commit and close; deployments' grace periods exceed it. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecommenderStreams.class);
    /** Start-up JIT warm-up of the per-event path ({@link ServingWarmUp}): at most this long, at most this many events. */
    static final Duration WARM_UP_BUDGET = Duration.ofSeconds(5);
    static final int WARM_UP_EVENTS = 5_000;
    private final KafkaStreams streams;
    private final LiveQuality quality = new LiveQuality();
    private final DlqMetrics dlq = DlqMetrics.shared();
    private final ServedModel served;
    private final ModelVersionFollower follower;
    private final CrashedMemberEviction crash;
    private final AppConfig config;
    private final Thread warmUp;

    public RecommenderStreams(AppConfig config) {
        long t0 = System.nanoTime();
        KernelWarmUp kernels = KernelWarmUp.start(config.modelDir(), config.moviesNewCapacity(), config.recommendCandidates());
        ModelDirectory.Loaded model;
        try {
            model = ModelDirectory.read(config.modelDir(), config.moviesNewCapacity());
        } catch (RuntimeException e) {
            kernels.stop(); // not left running for a model that will not serve
            throw e;
        }
        this.config = config;
        this.served = new ServedModel(model);
        this.crash = new CrashedMemberEviction(config);
        long t1 = System.nanoTime();
        // the retriever (an HNSW index for a large catalogue: minutes per million items) is built
        // here, before any stream thread starts, not inside a task's init during a rebalance
        CandidateRetriever retriever = CandidateRetriever.forModel(model.model());
        kernels.stop(); // from here on the JVM's own start competes for the cores
        long t2 = System.nanoTime();
        this.streams = new KafkaStreams(EventTopology.build(config, served, quality, dlq), config.streamsProperties());
        this.follower = config.modelVersionsTopic().isEmpty() ? null
                : new ModelVersionFollower(followerSettings(config), config.modelVersionsTopic(), served, config.recommendCandidates(),
                        config.moviesNewCapacity());
        this.warmUp = new Thread(() -> warmUp(model, config), "serving-warm-up");
        warmUp.setDaemon(true);
        LOG.info("start-up: model {} read in {} ms, retriever built in {} ms, Kafka Streams created in {} ms",
                model.model().version(), millis(t0, t1), millis(t1, t2), millis(t2, System.nanoTime()));
        if (retriever instanceof Int4ScreenRetriever screen && screen.cells() > 0) {
            LOG.info("start-up: {} movies in {} cells, {}", screen.size(), screen.cells(),
                    screen.calibration().isEmpty() ? "probe share " + screen.probeShare() + " (streamrec.int4.probe)" : screen.calibration());
        }
    }

    /**
     * Starts Kafka Streams (group join and, where needed, restoring state run on its own threads), then the JIT
     * warm-up of the per-event path beside it: the warm-up no longer delays the join, and the stream threads usually
     * get their first records only after it (restore, assignment), so the first real events mostly run compiled code.
     * The warm-up stops at the first real event: from then on the events compile the same path, and a warm-up still
     * running beside them took their CPU (1.1–2.6-s stalls at 1,000 events/s in the runs where it still ran 3.6–5 s
     * after the start; docs/benchmarks.md, twelfth pass). Only a large catalogue's slice of queries, which comes first,
     * does not stop ({@link ServingWarmUp#warmRetriever}).
     */
    public RecommenderStreams start() {
        crash.beforeStart();
        io.streamrec.app.items.ItemTopics.ensure(config);
        streams.start();
        if (follower != null) follower.start();
        warmUp.start();
        return this;
    }

    private void warmUp(ModelDirectory.Loaded model, AppConfig config) {
        try {
            long t0 = System.nanoTime();
            AtomicBoolean gaveWay = new AtomicBoolean(); // asked last, so true only when real events stopped it
            int warm = ServingWarmUp.run(model, config.recommendCandidates(), config.recommendK(), WARM_UP_BUDGET, WARM_UP_EVENTS,
                    () -> {
                        boolean flow = quality.events() > 0;
                        if (flow) gaveWay.set(true);
                        return flow;
                    });
            LOG.info("start-up: served {} synthetic events in {} ms (with any retriever slice before them) beside the Kafka"
                    + " Streams start to compile the per-event path{}", warm, millis(t0, System.nanoTime()), gaveWay.get() ? " (stopped: real events flow)" : "");
        } catch (RuntimeException e) {
            LOG.warn("start-up: the JIT warm-up failed; the first events compile the per-event path instead", e);
        }
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public LiveQuality quality() {
        return quality;
    }

    public DlqMetrics dlq() {
        return dlq;
    }

    /** The model served now (it changes when a published version is swapped in). */
    public ModelDirectory.Loaded model() {
        return served.current();
    }

    public ServedModel served() {
        return served;
    }

    /** The Kafka client settings passed through (security etc.) that a consumer takes, and the bootstrap servers. */
    private static java.util.Map<String, Object> followerSettings(AppConfig config) {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        config.passthrough().forEach((k, v) -> {
            // config.providers.<name>.* too: without them a ${secrets:...} reference (prod's SASL password) stays unresolved
            if (org.apache.kafka.clients.consumer.ConsumerConfig.configNames().contains(k) || k.startsWith("config.providers.")) p.put(k, v);
        });
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-model-versions");
        return p;
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (streams.state() == KafkaStreams.State.RUNNING) return true;
            if (streams.state() == KafkaStreams.State.ERROR) return false;
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * Commits, closes the stores and writes their checkpoints within {@link #CLOSE_TIMEOUT}, and leaves the group,
     * static member or not: the tasks move at once to the instances holding their standbys instead of waiting for
     * the session timeout (a pod removed by scale-in never comes back). A restarting pod gets them back once it has
     * rejoined with its local state.
     */
    @Override
    public void close() {
        warmUp.interrupt();
        if (follower != null) follower.close();
        boolean clean = streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (clean) crash.closedCleanly();
    }
}
