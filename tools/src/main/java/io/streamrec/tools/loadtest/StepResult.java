package io.streamrec.tools.loadtest;

/**
 * What one step measured. Latencies are from the event's produce time (the record timestamp the
 * load generator set, which the topology carries to its output record) to the moment the
 * read_committed consumer received the list, in milliseconds.
 *
 * @param targetRate       events/s asked for
 * @param seconds          how long the step ran (shorter than asked when it was stopped)
 * @param eventsPerSecond  events acknowledged by the broker per second
 * @param recsPerSecond    recommendation lists received per second during the step (for any event)
 * @param maxConsumerLag   largest lag of the app's consumer group on the input topics, sampled each second
 * @param maxHeapBytes     largest heap use sampled (the whole JVM: broker, app, producer and consumer)
 * @param maxRssBytes      largest resident set size sampled, -1 if unknown
 * @param drained          whether every event of the step got its list before the next step
 * @param stopped          why the step was stopped early, or null when it ran its full time
 * @param cpuUsPerList     CPU µs of the whole JVM (broker, app, producer, probe) per list, over the step and its drain
 * @param streamCpuUsPerList CPU µs of the stream threads alone per list, over the same time
 * @param stages           the stream threads' CPU per event by stage (with {@code --stage-cpu}), or null
 * @param threadCpu        CPU µs per list by group of threads ({@link ThreadGroupCpu}), over the same time as cpuUsPerList
 */
public record StepResult(int targetRate, double seconds, long events, double eventsPerSecond, long recommendations,
                         double recsPerSecond, double p50Ms, double p99Ms, double p999Ms, double maxMs,
                         long maxConsumerLag, long maxHeapBytes, long maxRssBytes, boolean drained, String stopped,
                         double cpuUsPerList, double streamCpuUsPerList, StageCpuPerEvent stages,
                         java.util.Map<ThreadGroupCpu.Group, Double> threadCpu) {

    /** This result marked as the warm-up's. */
    StepResult asWarmUp() {
        return new StepResult(targetRate, seconds, events, eventsPerSecond, recommendations, recsPerSecond, p50Ms, p99Ms,
                p999Ms, maxMs, maxConsumerLag, maxHeapBytes, maxRssBytes, drained, stopped == null ? null : "(warm-up) " + stopped,
                cpuUsPerList, streamCpuUsPerList, stages, threadCpu);
    }

    public boolean fellBehind() {
        return stopped != null;
    }

    /** Most input the app may owe (consumer lag) in a sustained step: one second of it. */
    static final double SUSTAINED_LAG_SECONDS = 1.0;

    /**
     * Whether the app kept pace with the step's input: it did not fall behind, and its consumer lag stayed within
     * {@value #SUSTAINED_LAG_SECONDS} s of input throughout. A step can stay under the stop rule's lag limit
     * ({@code --max-lag-seconds}, 5 s) while its backlog grows the whole step; that step is not sustained.
     */
    public boolean sustained() {
        if (fellBehind()) return false;
        return maxConsumerLag < 0 || maxConsumerLag <= SUSTAINED_LAG_SECONDS * eventsPerSecond;
    }

    /** This step as the JSON object of {@code ./recsys bench --json}. */
    java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("target_events_per_s", targetRate);
        m.put("events_per_s", eventsPerSecond);
        m.put("lists_per_s", recsPerSecond);
        m.put("p50_ms", p50Ms);
        m.put("p99_ms", p99Ms);
        m.put("p99_9_ms", p999Ms);
        m.put("max_ms", maxMs);
        m.put("max_consumer_lag", maxConsumerLag);
        m.put("cpu_us_per_list", cpuUsPerList);
        m.put("stream_thread_cpu_us_per_list", streamCpuUsPerList);
        m.put("seconds", seconds);
        m.put("kept_up", stopped == null);
        m.put("sustained", sustained());
        m.put("drained", drained);
        m.put("status", stopped);
        if (stages != null) m.put("stage_cpu_per_event", stages.toJson());
        if (threadCpu != null) {
            m.put("app_cpu_us_per_list", ThreadGroupCpu.app(threadCpu));
            java.util.Map<String, Object> groups = new java.util.LinkedHashMap<>();
            threadCpu.forEach((g, us) -> groups.put(g.name().toLowerCase(java.util.Locale.ROOT), us));
            m.put("cpu_us_per_list_by_thread", groups);
        }
        return m;
    }

    static String header() {
        return "| target ev/s | events/s | recs/s | p50 ms | p99 ms | p99.9 ms | max ms | max lag | CPU µs/list | stream CPU µs/list | heap MB | RSS MB | status |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";
    }

    String row() {
        String status = stopped != null ? "FELL BEHIND: " + stopped
                : !sustained() ? String.format("not sustained: lag reached %.1f s of input (over the %.0f s a sustained step may owe; a stall that"
                        + " drained counts too)", maxConsumerLag / Math.max(1, eventsPerSecond), SUSTAINED_LAG_SECONDS)
                : drained ? "kept up" : "kept up, lists still missing after the drain wait";
        return String.format("| %,d | %,.0f | %,.0f | %.0f | %.0f | %.0f | %.0f | %,d | %,.0f | %,.0f | %,d | %,d | %s |", targetRate,
                eventsPerSecond, recsPerSecond, p50Ms, p99Ms, p999Ms, maxMs, maxConsumerLag, cpuUsPerList, streamCpuUsPerList,
                maxHeapBytes >> 20,
                maxRssBytes < 0 ? -1 : maxRssBytes >> 20, status);
    }

    /** The row, and under it the CPU by thread group and the stage breakdown when there is one. */
    String rowWithStages() {
        return row() + details();
    }

    /** The lines under the row: CPU by thread group, stages. */
    String details() {
        return (threadCpu == null ? "" : "\n" + ThreadGroupCpu.line(threadCpu)) + (stages == null ? "" : "\n" + stages.line());
    }
}
