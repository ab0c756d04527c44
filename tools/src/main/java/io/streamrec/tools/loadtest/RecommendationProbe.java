package io.streamrec.tools.loadtest;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads the recommendations topic as a downstream service would ({@code read_committed}, so a list
 * counts only once its transaction committed) and records, per step, the latency from each
 * event's produce time to now. The produce time is the output record's timestamp: the load
 * generator stamps each input record with the wall clock at send, and the topology forwards its
 * list with the input record's timestamp. Latencies count only lists whose event was produced in
 * the current step's window (not the warm-up's or a previous step's stragglers); the output rate
 * counts every list received while the step runs.
 */
final class RecommendationProbe implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Window window;

    /** One step's time window [fromMs, toMs] of produce times, and what arrived for it. */
    static final class Window {
        final long fromMs;
        volatile long toMs = Long.MAX_VALUE;
        private final Histogram latencyMs = new Histogram(3_600_000L, 3);
        private long arrivedDuringStep;
        private long matched;

        Window(long fromMs) {
            this.fromMs = fromMs;
        }

        synchronized void arrived(long producedMs, long nowMs) {
            if (nowMs <= toMs) arrivedDuringStep++;
            if (producedMs < fromMs || producedMs > toMs) return;
            matched++;
            latencyMs.recordValue(Math.max(0, nowMs - producedMs));
        }

        /** Lists received for this step's events so far. */
        synchronized long matched() {
            return matched;
        }

        /** Lists received while the step ran, whichever event they answer: the app's output rate. */
        synchronized long arrivedDuringStep() {
            return arrivedDuringStep;
        }

        synchronized Histogram latencies() {
            return latencyMs.copy();
        }
    }

    RecommendationProbe(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.GROUP_ID_CONFIG, "loadtest-probe-" + System.nanoTime()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(this::loop, "loadtest-probe");
        thread.setDaemon(true);
    }

    /** Subscribes and waits until partitions are assigned, so no list produced after this is missed. */
    void start(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > end) throw new IllegalStateException("probe consumer got no partitions within " + timeout);
            consumer.poll(Duration.ofMillis(100));
        }
        // position now, at the end, before any step starts
        consumer.assignment().forEach(consumer::position);
        thread.start();
    }

    Window open(long fromMs) {
        Window w = new Window(fromMs);
        window = w;
        return w;
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    Window w = window;
                    if (w != null) w.arrived(r.timestamp(), System.currentTimeMillis());
                }
            }
        } catch (WakeupException closing) {
            // close() woke us up
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(5)); // never started (the app or the assignment timed out): the loop never owned it
            return;
        }
        consumer.wakeup();
        thread.join(10_000);
    }
}
