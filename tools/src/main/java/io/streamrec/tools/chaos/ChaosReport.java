package io.streamrec.tools.chaos;

import java.util.List;
import java.util.Map;

/** The outcome of a chaos run and whether it passed; {@link #summary()} is the one line it prints. */
record ChaosReport(ChaosRun.Settings settings, List<ChaosRun.Fault> faults, int restarts, long lost, long duplicated,
                   long usersWithGaps, int inDlq, Map<String, Integer> expectedReasons, Map<String, Integer> dlqReasons,
                   int statesEqual, int users, double seconds) {

    int fuzzed() {
        return expectedReasons.values().stream().mapToInt(Integer::intValue).sum();
    }

    double longestGap() {
        return faults.stream().mapToDouble(ChaosRun.Fault::gapSeconds).filter(x -> !Double.isNaN(x)).max().orElse(0);
    }

    /** Slowest resumption of lists after a restarted instance's process started (kills only). */
    double longestResumeAfterRestart() {
        return faults.stream().filter(f -> f.what().startsWith("kill")).mapToDouble(ChaosRun.Fault::resumeSeconds)
                .filter(x -> !Double.isNaN(x)).max().orElse(0);
    }

    double longestHealth() {
        return faults.stream().mapToDouble(ChaosRun.Fault::healthSeconds).max().orElse(0);
    }

    /** Every check, with why it failed; empty when the run passed. */
    List<String> failures() {
        List<String> f = new java.util.ArrayList<>();
        if (lost != 0) f.add(lost + " valid events lost");
        if (duplicated != 0) f.add(duplicated + " valid events applied more than once");
        if (usersWithGaps != 0) f.add(usersWithGaps + " users whose eventCount sequence is not 1..n");
        if (statesEqual != users) f.add((users - statesEqual) + " of " + users + " user states differ from the uninterrupted replay");
        if (inDlq != fuzzed()) f.add(inDlq + " dead letters for " + fuzzed() + " fuzzed records");
        if (!dlqReasons.equals(expectedReasons)) f.add("dead-letter reasons " + dlqReasons + ", expected " + expectedReasons);
        return f;
    }

    /** Measured, not a failed check: start-up time depends on the machine (see docs/operations.md). */
    String resumeNote() {
        return longestResumeAfterRestart() <= ChaosRun.RESUME_BOUND_SECONDS ? null : String.format(
                "note: lists resumed up to %.1f s after a restarted instance's process started, over the %.0f s aim"
                        + " (JVM start, model load, Kafka Streams' start and group join on this machine; the log of each restart"
                        + " has the times of its steps)",
                longestResumeAfterRestart(), ChaosRun.RESUME_BOUND_SECONDS);
    }

    String summary() {
        long kills = faults.stream().filter(x -> x.what().startsWith("kill")).count();
        return String.format("chaos: kills %d, restarts %d, broker restarts 1, instances killed for good 1, valid events %,d,"
                        + " lost %d, duplicated %d, fuzzed %,d, in DLQ %,d (%.1f%%), states equal %,d/%,d users,"
                        + " longest gap %.1f s, lists resumed within %.1f s of a restart, /health UP within %.1f s; %s in %.0f s",
                kills, restarts, settings.events(), lost, duplicated, fuzzed(), inDlq, 100.0 * inDlq / Math.max(1, fuzzed()),
                statesEqual, users, longestGap(), longestResumeAfterRestart(), longestHealth(),
                failures().isEmpty() ? "PASS" : "FAIL", seconds);
    }
}
