package io.streamrec.tools.soak;

import io.streamrec.app.EventProducers;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.model.GeneratedModel;
import io.streamrec.schemas.Keys;
import io.streamrec.tools.chaos.AppProcess;
import io.streamrec.tools.loadtest.EventSource;
import io.streamrec.trainer.train.TrainConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A long run at a steady rate, watching the app's memory: an in-process KRaft broker, a generated model, the app as
 * {@code recsys run} in a child JVM (so its heap and RSS are its own, as in a pod), events paced at {@code rate}
 * from {@code users} users (uniform, so the state keeps growing as new users arrive), and every {@code sampleEvery}
 * one {@link MemorySample}: events produced, lists received (read_committed), input lag, the app's heap (its
 * {@code /metrics}), RSS ({@code /proc}) and RocksDB memory (Kafka Streams' RocksDB metrics), appended to a CSV as it
 * goes. Fails if the app dies or falls behind by more than a minute of input.
 */
final class SoakRun {
    record Settings(Duration length, int rate, int movies, int dim, int users, int partitions, Duration sampleEvery,
                    String heap, long seed, Path work, Path csv) {}

    private static final String APP_ID = "soak";
    private final Settings s;
    private final PrintStream out;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong lists = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;

    SoakRun(Settings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
    }

    List<MemorySample> run() throws Exception {
        Path modelDir = s.work().resolve("model");
        GeneratedModel.write(modelDir, s.movies(), s.dim(), TrainConfig.defaults().hidden(), s.seed());
        io.streamrec.embedded.KafkaLogging.quiet("org.apache.kafka", "off");
        io.streamrec.embedded.KafkaLogging.quiet("kafka", "off");
        AppProcess app = null;
        List<Thread> threads = new ArrayList<>();
        try (EmbeddedKafka broker = EmbeddedKafka.builder().dataDir(s.work().resolve("broker")).build()) {
            Map<String, Integer> topics = new LinkedHashMap<>();
            for (String t : List.of("ratings", "watches", "recommendations", "recommender-dlq")) topics.put(t, s.partitions());
            topics.put("movies", 1);
            broker.createTopics(topics);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("bootstrap.servers", broker.bootstrapServers());
            settings.put("application.id", APP_ID);
            settings.put("model.dir", modelDir.toString());
            app = AppProcess.start("soak", List.of("-Xmx" + s.heap(), "-XX:+ExitOnOutOfMemoryError"), settings,
                    s.work().resolve("state"), s.work().resolve("app.log"));
            if (app.awaitHealthy(app.startedNanos, Duration.ofSeconds(180)) < 0) {
                throw new IllegalStateException("the app did not come up; see " + s.work().resolve("app.log"));
            }
            out.printf("soak: %,d events/s for %s from %,d users, model of %,d movies (dim %d), app heap -Xmx%s;"
                            + " a sample every %d s to %s (app log %s)%n", s.rate(), s.length(), s.users(), s.movies(), s.dim(),
                    s.heap(), s.sampleEvery().toSeconds(), s.csv(), s.work().resolve("app.log"));
            threads.add(daemon("soak-lists", () -> countLists(broker.bootstrapServers())));
            threads.add(daemon("soak-events", () -> produce(broker.bootstrapServers())));
            List<MemorySample> samples = sample(app, broker.bootstrapServers());
            stop(app, threads); // while the broker is still up, so the app closes cleanly
            return samples;
        } finally {
            stop(app, threads);
        }
    }

    private void stop(AppProcess app, List<Thread> threads) throws InterruptedException {
        running = false;
        for (Thread t : threads) t.join(10_000);
        if (app != null && app.alive()) app.stop();
    }

    private Thread daemon(String name, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private List<MemorySample> sample(AppProcess app, String bootstrap) throws Exception {
        AppMemory memory = new AppMemory(app.pid(), app.baseUrl());
        List<MemorySample> samples = new ArrayList<>();
        long start = System.nanoTime(), end = start + s.length().toNanos();
        try (BufferedWriter csv = Files.newBufferedWriter(s.csv());
             Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            csv.write(MemorySample.csvHeader());
            csv.newLine();
            long next = start;
            while (true) {
                long wait = next - System.nanoTime();
                while (wait > 0) { // wait for the next sample, watching the app and the threads
                    if (!app.alive()) throw new IllegalStateException("the app died; see " + s.work().resolve("app.log"));
                    if (failure.get() != null) throw failure.get();
                    Thread.sleep(Math.min(500, Math.max(1, wait / 1_000_000)));
                    wait = next - System.nanoTime();
                }
                long[] m = memory.scrape();
                MemorySample x = new MemorySample((System.nanoTime() - start) / 1e9, produced.get(), lists.get(),
                        inputLag(admin), m[0], m[1], memory.rss(), m[2], m[3], m[4]);
                samples.add(x);
                csv.write(x.csvRow());
                csv.newLine();
                csv.flush();
                out.printf("  %6.0f s  events %,11d  lists %,11d  lag %,7d  heap %,6.0f MB  RSS %,6.0f MB  RocksDB cache"
                                + " %,6.1f MB  memtables %,6.1f MB  table readers %,5.1f MB%n", x.seconds(), x.eventsProduced(),
                        x.listsReceived(), x.inputLag(), mb(x.heapUsed()), mb(x.rss()), mb(x.rocksdbBlockCache()),
                        mb(x.rocksdbMemtables()), mb(x.rocksdbTableReaders()));
                if (x.inputLag() > 60L * s.rate()) {
                    throw new IllegalStateException("the app fell more than a minute of input behind: lag " + x.inputLag());
                }
                if (next >= end) break;
                next = Math.min(next + s.sampleEvery().toNanos(), end);
            }
        }
        return samples;
    }

    private static double mb(long bytes) {
        return bytes < 0 ? -1 : bytes / 1048576.0;
    }

    /** Paced at {@code rate}: every 10 ms the events due by then, with the send time as the record time. */
    private void produce(String bootstrap) throws Exception {
        EventSource source = new EventSource(s.users(), s.movies(), 0.2, s.seed() + 1);
        try (KafkaProducer<byte[], byte[]> producer = EventProducers.create(EventProducers.settings(bootstrap))) {
            long start = System.nanoTime();
            long sent = 0;
            while (running) {
                long due = (long) (s.rate() * ((System.nanoTime() - start) / 1e9));
                while (sent < due) {
                    long ts = System.currentTimeMillis();
                    EventSource.Event e = source.next(ts);
                    producer.send(new ProducerRecord<>(e.watch() ? "watches" : "ratings", null, ts, Keys.userKey(e.userId()),
                            e.value()), (meta, ex) -> {
                                if (ex != null) failure.compareAndSet(null, ex);
                                else produced.incrementAndGet();
                            });
                    sent++;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            producer.flush();
        }
    }

    /** Counts the lists on the output topic as a downstream service sees them (read_committed). */
    private void countLists(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int i = 0; i < s.partitions(); i++) parts.add(new TopicPartition("recommendations", i));
            c.assign(parts);
            c.seekToBeginning(parts);
            while (running) lists.addAndGet(c.poll(Duration.ofMillis(200)).count());
        }
    }

    /** Input records not yet committed by the app's group, over both input topics; -1 if not known. */
    private long inputLag(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APP_ID)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (String t : List.of("ratings", "watches")) {
                for (int i = 0; i < s.partitions(); i++) latest.put(new TopicPartition(t, i), OffsetSpec.latest());
            }
            long lag = 0;
            for (var e : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void ensureParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
    }
}
