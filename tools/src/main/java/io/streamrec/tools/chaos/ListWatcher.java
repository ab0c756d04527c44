package io.streamrec.tools.chaos;

import io.streamrec.avro.Recommendations;
import io.streamrec.schemas.RecordSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the recommendations topic as a downstream service would ({@code read_committed}) for the whole run: each
 * user's {@code eventCount}s in arrival order (for the no-gap, no-repeat check) and every arrival time (for the gaps
 * between lists around each fault). Survives the broker restart (the consumer reconnects). Partitions are assigned,
 * not subscribed, and each record is taken once by its offset: a group consumer could be handed records again after
 * the restart (its committed position lags), which would look like a repeat the app never wrote.
 */
final class ListWatcher implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private final Map<Long, List<Long>> counts = new HashMap<>();
    private long[] arrivals = new long[1 << 16];
    private int n;

    ListWatcher(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        thread = new Thread(() -> {
            try (var c = new KafkaConsumer<>(p, new StringDeserializer(), RecordSerdes.recommendations().deserializer())) {
                List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
                for (var info : c.partitionsFor(topic)) parts.add(new org.apache.kafka.common.TopicPartition(topic, info.partition()));
                c.assign(parts);
                c.seekToBeginning(parts);
                Map<Integer, Long> next = new HashMap<>();
                while (running) {
                    var records = c.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) continue;
                    long now = System.nanoTime();
                    synchronized (this) {
                        for (var r : records) {
                            if (r.offset() < next.getOrDefault(r.partition(), 0L)) continue; // delivered before
                            next.put(r.partition(), r.offset() + 1);
                            Recommendations v = r.value();
                            counts.computeIfAbsent(v.getUserId(), u -> new ArrayList<>()).add(v.getEventCount());
                            if (n == arrivals.length) arrivals = java.util.Arrays.copyOf(arrivals, 2 * n);
                            arrivals[n++] = now;
                        }
                    }
                }
            }
        }, "chaos-list-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized int lists() {
        return n;
    }

    /** Arrival time of the first list after {@code t}, or -1. */
    synchronized long firstAfter(long t) {
        for (int i = 0; i < n; i++) if (arrivals[i] > t) return arrivals[i];
        return -1;
    }

    /** Arrival time of the last list at or before {@code t}, or -1. */
    synchronized long lastBefore(long t) {
        long last = -1;
        for (int i = 0; i < n && arrivals[i] <= t; i++) last = arrivals[i];
        return last;
    }

    synchronized Map<Long, List<Long>> counts() {
        Map<Long, List<Long>> copy = new HashMap<>();
        counts.forEach((u, l) -> copy.put(u, new ArrayList<>(l)));
        return copy;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
