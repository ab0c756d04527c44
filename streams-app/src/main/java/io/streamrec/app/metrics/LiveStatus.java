package io.streamrec.app.metrics;

/**
 * One reading of the running system, for the demo's status line and the web page ({@code GET /status}). Values that
 * do not exist yet (no rating seen, no list made) are null rather than NaN, so the JSON stays valid.
 *
 * @param events valid events processed
 * @param users users whose state this instance holds (active partitions; a count kept per partition, not a walk of the store), null when the store is not queryable
 * @param deadLetters records sent to the dead-letter topic, all reasons
 * @param latencyP50Ms median time from an event's produce time to its user's new list
 * @param latencyP99Ms 99th percentile of the same
 * @param liveRmse running test-then-train RMSE of ratings
 * @param liveHitRate running share of events whose movie was in the last top-10 sent
 * @param state the Kafka Streams state, e.g. RUNNING
 * @param modelVersion version of the loaded model
 */
public record LiveStatus(long events, Long users, long deadLetters, Double latencyP50Ms, Double latencyP99Ms,
                         Double liveRmse, Double liveHitRate, String state, String modelVersion) {

    public static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** "events/s 198 | users 1,204 | DLQ 3 | latency p50 9 ms p99 41 ms | live RMSE 0.912 | HR@10 0.052 | model demo-…" */
    public String line(double eventsPerSecond) {
        return String.format("events/s %,6.0f | events %,9d | users %s | DLQ %,d | latency p50 %s p99 %s | live RMSE %s | HR@10 %s | model %s",
                eventsPerSecond, events, users == null ? "-" : String.format("%,d", users), deadLetters,
                ms(latencyP50Ms), ms(latencyP99Ms), num(liveRmse, "%.3f"), num(liveHitRate, "%.3f"), modelVersion);
    }

    private static String ms(Double v) {
        return v == null ? "- ms" : String.format("%.0f ms", v);
    }

    private static String num(Double v, String format) {
        return v == null ? "-" : String.format(format, v);
    }
}
