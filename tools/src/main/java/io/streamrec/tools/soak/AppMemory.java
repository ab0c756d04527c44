package io.streamrec.tools.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads one running app's memory from outside, as an operator would: the resident set size from
 * {@code /proc/PID/status}, and heap and RocksDB figures from the app's own {@code /metrics} (Prometheus text: the JVM
 * memory pools, and Kafka Streams' RocksDB property metrics of every state store).
 */
final class AppMemory {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final long pid;
    private final URI metrics;

    AppMemory(long pid, String baseUrl) {
        this.pid = pid;
        this.metrics = URI.create(baseUrl + "/metrics");
    }

    /** {heap used, heap committed, RocksDB block cache, memtables, table readers}; -1 for each value not read. */
    long[] scrape() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? parse(r.body()) : new long[] {-1, -1, -1, -1, -1};
        } catch (IOException e) {
            return new long[] {-1, -1, -1, -1, -1};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new long[] {-1, -1, -1, -1, -1};
        }
    }

    /** The figures of {@link #scrape()} from a Prometheus text exposition. */
    static long[] parse(String prometheusText) {
        double heapUsed = 0, heapCommitted = 0, cache = -1, memtables = -1, readers = -1;
        boolean heapSeen = false;
        for (String line : prometheusText.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') continue;
            int space = line.lastIndexOf(' ');
            if (space < 0) continue;
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            if (Double.isNaN(value)) continue;
            String series = line.substring(0, space);
            if (series.startsWith("jvm_memory_used_bytes{") && series.contains("area=\"heap\"")) {
                heapUsed += value;
                heapSeen = true;
            } else if (series.startsWith("jvm_memory_committed_bytes{") && series.contains("area=\"heap\"")) {
                heapCommitted += value;
            } else if (series.startsWith("kafka_stream_state_block_cache_usage{")) {
                cache = Math.max(cache, value); // one cache shared by every store: each reports all of it
            } else if (series.startsWith("kafka_stream_state_size_all_mem_tables{")) {
                memtables = Math.max(0, memtables) + value;
            } else if (series.startsWith("kafka_stream_state_estimate_table_readers_mem{")) {
                readers = Math.max(0, readers) + value;
            }
        }
        return new long[] {heapSeen ? (long) heapUsed : -1, heapSeen ? (long) heapCommitted : -1, (long) cache,
                (long) memtables, (long) readers};
    }

    /** VmRSS of the process, bytes; -1 where there is no /proc (not Linux) or the process is gone. */
    long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024L; // the kernel reports kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
