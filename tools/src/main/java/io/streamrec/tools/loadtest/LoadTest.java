package io.streamrec.tools.loadtest;

import io.streamrec.app.EventProducers;
import io.streamrec.app.RecommenderStreams;
import io.streamrec.app.config.AppConfig;
import io.streamrec.app.topology.StageCpu;
import io.streamrec.schemas.Keys;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Drives a running {@link RecommenderStreams} (exactly-once) at stepped input rates against any
 * broker and measures each step: the producer paces generated events at the target rate, the
 * {@link RecommendationProbe} receives the lists, a sampler reads consumer lag, heap and RSS
 * every second. A step stops early when the events still waiting for their list exceed
 * {@code maxLagSeconds} of input, or when the producer cannot reach 90% of the rate; the higher
 * steps are then not run, since they would fall behind too.
 */
public final class LoadTest {
    private static final Duration SAMPLE = Duration.ofSeconds(1);
    private final LoadTestSettings settings;
    private final String bootstrap;
    private final Path modelDir;
    private final Path stateDir;
    private final String run;
    private final PrintStream log;
    private final Map<String, String> appOverrides;
    private final boolean baseline;
    /** Whether each step also prints one line of progress per second ({@code bench --progress}). */
    private boolean progress;

    /**
     * @param run a short id that names this run's topics and application id, so runs on a shared
     *            broker never see each other's records
     */
    public LoadTest(LoadTestSettings settings, String bootstrap, Path modelDir, Path stateDir, String run, PrintStream log) {
        this(settings, bootstrap, modelDir, stateDir, run, log, Map.of(), false);
    }

    /**
     * @param appOverrides Kafka Streams / app settings for the app under test (e.g. producer.* keys)
     * @param baseline     run {@link BaselineTopology} (read each event, write a fixed list) instead of
     *                     the recommender, on its own topics and application id, same settings
     */
    public LoadTest(LoadTestSettings settings, String bootstrap, Path modelDir, Path stateDir, String run, PrintStream log,
                    Map<String, String> appOverrides, boolean baseline) {
        this.appOverrides = Map.copyOf(appOverrides);
        this.baseline = baseline;
        this.settings = settings;
        this.bootstrap = bootstrap;
        this.modelDir = modelDir;
        this.stateDir = stateDir;
        this.run = run;
        this.log = log;
    }

    /**
     * Also prints, every second of the warm-up and of each step, what was sent, acknowledged, applied by the app and
     * seen on the output, and the committed lag: where a step's lists wait (a stall before processing, or after it, at
     * the commit) shows there, not in the step's percentiles.
     */
    public LoadTest progress(boolean on) {
        this.progress = on;
        return this;
    }

    public String topic(String name) {
        return "bench-" + run + (baseline ? "-baseline-" : "-") + name;
    }

    /** Topic name → partitions, for the caller to create before {@link #run}. */
    public Map<String, Integer> topics() {
        int p = settings.partitions();
        return Map.of(topic("ratings"), p, topic("watches"), p, topic("recommendations"), p, topic("movies"), 1, topic("dlq"), 1);
    }

    public AppConfig appConfig() {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", bootstrap);
        s.put("application.id", "bench-" + run + (baseline ? "-baseline" : ""));
        s.put("model.dir", modelDir.toString());
        s.put("state.dir", stateDir.toString());
        s.put("processing.guarantee", "exactly_once_v2");
        s.put("num.stream.threads", Integer.toString(settings.streamThreads()));
        s.put("topic.ratings", topic("ratings"));
        s.put("topic.watches", topic("watches"));
        s.put("topic.movies", topic("movies"));
        s.put("topic.recommendations", topic("recommendations"));
        s.put("topic.dlq", topic("dlq"));
        s.putAll(appOverrides);
        return AppConfig.of(s);
    }

    /** Runs the warm-up and every step; returns one result per step run (a fallen-behind step is the last). */
    public List<StepResult> run() throws InterruptedException {
        AppConfig config = appConfig();
        List<StepResult> results = new ArrayList<>();
        try (Running app = start(config);
             RecommendationProbe probe = new RecommendationProbe(bootstrap, config.recommendationsTopic());
             KafkaProducer<byte[], byte[]> producer = producer();
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!app.awaitRunning(Duration.ofSeconds(120))) {
                throw new IllegalStateException("the streams app did not reach RUNNING within 120 s (state " + app.streams().state() + ")");
            }
            probe.start(Duration.ofSeconds(30));
            EventSource source = new EventSource(settings.users(), settings.movies(), settings.watchFraction(), settings.seed());
            int[] steps = settings.steps();
            if (settings.warmupSeconds() > 0) {
                log.printf("warm-up: %,d events/s for %d s (not reported)%n", steps[0], settings.warmupSeconds());
                StepResult w = step(steps[0], settings.warmupSeconds(), source, producer, probe, admin, config, app);
                log.printf("warm-up done: %,.0f events/s, p99 %.0f ms%s%n", w.eventsPerSecond(), w.p99Ms(),
                        w.fellBehind() ? " (fell behind: " + w.stopped() + ")" : "");
                if (w.fellBehind()) {
                    // its backlog would spoil every step after it: report it as the (only) result
                    log.printf("stopping: the app cannot keep up with the first rate, %,d events/s; try lower --steps%n", steps[0]);
                    results.add(w.asWarmUp());
                    return results;
                }
            }
            for (int rate : steps) {
                log.printf("step: %,d events/s for %d s%n", rate, settings.stepSeconds());
                StepResult r = step(rate, settings.stepSeconds(), source, producer, probe, admin, config, app);
                log.println(StepResult.header().lines().findFirst().orElse(""));
                log.println(r.rowWithStages());
                results.add(r);
                if (r.fellBehind()) {
                    log.printf("stopping: the step at %,d events/s fell behind; higher rates are not run%n", rate);
                    break;
                }
            }
        }
        return results;
    }

    /** The app under test, started: the recommender, or the bare baseline topology. */
    private interface Running extends AutoCloseable {
        KafkaStreams streams();

        /** The app's stage timing when it is on ({@code metrics.stage.cpu}), else null. */
        default StageCpu stages() {
            return null;
        }

        /** Events the app has applied so far, or -1 when it does not count them (the baseline). */
        default long eventsApplied() {
            return -1;
        }

        @Override
        void close();

        default boolean awaitRunning(Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                KafkaStreams.State state = streams().state();
                if (state == KafkaStreams.State.RUNNING) return true;
                if (state == KafkaStreams.State.ERROR) return false;
                Thread.sleep(50);
            }
            return false;
        }
    }

    private Running start(AppConfig config) {
        if (!baseline) {
            RecommenderStreams app = new RecommenderStreams(config).start();
            return new Running() {
                public KafkaStreams streams() {
                    return app.streams();
                }

                public StageCpu stages() {
                    return app.quality().stages().ifEnabled();
                }

                public long eventsApplied() {
                    return app.quality().events();
                }

                public void close() {
                    app.close();
                }
            };
        }
        KafkaStreams streams = new KafkaStreams(BaselineTopology.build(config.ratingsTopic(), config.watchesTopic(),
                config.recommendationsTopic(), BaselineTopology.fixedList(config.recommendationsTopic(), config.recommendK())),
                config.streamsProperties());
        streams.start();
        return new Running() {
            public KafkaStreams streams() {
                return streams;
            }

            public void close() {
                streams.close(RecommenderStreams.CLOSE_TIMEOUT);
            }
        };
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return EventProducers.create(EventProducers.settings(bootstrap));
    }

    private StepResult step(int rate, int seconds, EventSource source, KafkaProducer<byte[], byte[]> producer,
                            RecommendationProbe probe, Admin admin, AppConfig config, Running app) throws InterruptedException {
        StageCpu stages = app.stages();
        long applied0 = app.eventsApplied();
        String ratings = config.ratingsTopic(), watches = config.watchesTopic();
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long startMs = System.currentTimeMillis();
        ThreadGroupCpu.Snapshot cpu0 = ThreadGroupCpu.snapshot(config.applicationId());
        StageCpuPerEvent.Mark stages0 = stages == null ? null : StageCpuPerEvent.Mark.of(stages, cpu0.nanos(ThreadGroupCpu.Group.STREAM));
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        RecommendationProbe.Window window = probe.open(startMs);
        long sent = 0, nextSample = start + SAMPLE.toNanos();
        long maxLag = 0, maxHeap = 0, maxRss = -1;
        String stopped = null;
        long allowedBacklog = Math.max(1, (long) (rate * settings.maxLagSeconds()));
        long now = start;
        while (now < end) {
            long due = (long) (rate * ((now - start) / 1e9));
            while (sent < due) {
                long ts = System.currentTimeMillis();
                EventSource.Event e = source.next(ts);
                producer.send(new ProducerRecord<>(e.watch() ? watches : ratings, null, ts, Keys.userKey(e.userId()), e.value()),
                        (meta, ex) -> {
                            if (ex != null) failure.compareAndSet(null, ex);
                            else acked.incrementAndGet();
                        });
                sent++;
            }
            if (failure.get() != null) throw new IllegalStateException("producing failed: " + failure.get().getMessage(), failure.get());
            if (now >= nextSample) {
                nextSample += SAMPLE.toNanos();
                long lag = consumerLag(admin, config);
                maxLag = Math.max(maxLag, lag);
                if (progress) { // every count since this step began, but the lag (the group's, whatever step sent it)
                    long applied = applied0 < 0 ? -1 : app.eventsApplied() - applied0;
                    log.printf("  %5.1f s: sent %,d, acked %,d, applied %,d, lists seen %,d, committed lag %,d%n",
                            (now - start) / 1e9, sent, acked.get(), applied, window.matched(), lag);
                }
                maxHeap = Math.max(maxHeap, ProcessMemory.heapUsed());
                maxRss = Math.max(maxRss, ProcessMemory.rss());
                long backlog = sent - window.matched();
                double elapsed = (now - start) / 1e9;
                if (backlog > allowedBacklog) {
                    stopped = String.format("%,d events waiting for their list after %.0f s (more than %.1f s of input)",
                            backlog, elapsed, settings.maxLagSeconds());
                    break;
                }
                if (elapsed >= 3 && acked.get() < 0.9 * rate * (elapsed - 1)) {
                    stopped = String.format("the producer reached only %,.0f events/s", acked.get() / elapsed);
                    break;
                }
            }
            LockSupport.parkNanos(200_000);
            now = System.nanoTime();
        }
        producer.flush();
        long stepNanos = System.nanoTime() - start;
        window.toMs = System.currentTimeMillis();
        long recsDuringStep = window.arrivedDuringStep();
        maxLag = Math.max(maxLag, consumerLag(admin, config));
        // Drain: give the remaining lists time to arrive, so the tail of the step is in its percentiles.
        long drainEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((long) (settings.maxLagSeconds() * 1000) + 10_000);
        while (window.matched() < sent && System.nanoTime() < drainEnd) Thread.sleep(50);
        boolean drained = window.matched() >= sent;
        // CPU per list over the step and its drain: every list the step asked for has been made by then (or counted
        // as missing), so the work and the lists match up
        long lists = Math.max(1, window.matched());
        ThreadGroupCpu.Snapshot cpu1 = ThreadGroupCpu.snapshot(config.applicationId());
        var threadCpu = ThreadGroupCpu.perList(cpu0, cpu1, lists);
        double cpuUsPerList = cpu0.process() < 0 || cpu1.process() < 0 ? Double.NaN : (cpu1.process() - cpu0.process()) / 1e3 / lists;
        double streamCpuUsPerList = threadCpu.get(ThreadGroupCpu.Group.STREAM);
        long streamCpu1 = cpu1.nanos(ThreadGroupCpu.Group.STREAM);
        StageCpuPerEvent stageCpu = stages == null ? null : StageCpuPerEvent.between(stages0, StageCpuPerEvent.Mark.of(stages, streamCpu1));
        Histogram h = window.latencies();
        double secs = stepNanos / 1e9;
        return new StepResult(rate, secs, acked.get(), acked.get() / secs, recsDuringStep, recsDuringStep / secs,
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(),
                maxLag, maxHeap, maxRss, drained, stopped, cpuUsPerList, streamCpuUsPerList, stageCpu,
                threadCpu);
    }

    /** Input records not yet committed by the app's consumer group, over both input topics. */
    private long consumerLag(Admin admin, AppConfig config) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.applicationId())
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            List<TopicPartition> inputs = new ArrayList<>();
            for (String t : List.of(config.ratingsTopic(), config.watchesTopic())) {
                for (int p = 0; p < settings.partitions(); p++) inputs.add(new TopicPartition(t, p));
            }
            Map<TopicPartition, OffsetSpec> latest = inputs.stream().collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition tp : inputs) {
                OffsetAndMetadata c = committed.get(tp);
                lag += ends.get(tp).offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return -1;
        }
    }
}
