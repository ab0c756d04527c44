package io.streamrec.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.avro.Recommendations;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaling as a StatefulSet does it, on the real broker: instances are separate JVMs with static membership
 * ({@code group.instance.id} = their name) and their own state directories, under a steady replay. Scale 1 -> 3
 * (two instances start at once), then 3 -> 1 (SIGTERM to both). Measures how long until every new instance owns an
 * active task, how long until the one left owns all of them again, and the lag over time; checks every user's
 * eventCount stays 1..n (no event lost, none counted twice) through both steps. Numbers are printed with the
 * prefix [scaling] (docs/operations.md, "Scaling out" quotes a run).
 *
 * <p>The deployment's settings: one standby, {@code max.warmup.replicas=4}, {@code probing.rebalance.interval.ms=60000}
 * and the default {@code acceptable.recovery.lag} (10,000). State here is small, so a new instance is "caught up"
 * at once and its tasks move in the first rebalance; with {@code -Dscaling.acceptable.recovery.lag=100} tasks must
 * warm up first and move at a probing rebalance (a minute later: the longer measurement operations.md describes).
 */
@ExtendWith(SharedKafkaBroker.class)
class ScaleOutInIT {
    private static final int RATE = 100;

    @Test
    @Timeout(240)
    void scaleOneToThreeToOneMovesTasksAndKeepsEveryUsersCountGapFree(EmbeddedKafka kafka, @TempDir Path dir)
            throws Exception {
        EosFixture eos = new EosFixture(kafka, "scaling-it", 12_000);
        Map<String, String> settings = eos.settings(dir.resolve("unused"));
        settings.put("num.standby.replicas", "1");
        settings.put("max.warmup.replicas", "4");
        settings.put("probing.rebalance.interval.ms", "60000");
        settings.put("acceptable.recovery.lag", System.getProperty("scaling.acceptable.recovery.lag", "10000"));
        settings.put("session.timeout.ms", "10000");
        AppProcess one = new AppProcess("inst-1", settings, dir);
        AppProcess two = new AppProcess("inst-2", settings, dir);
        AppProcess three = new AppProcess("inst-3", settings, dir);
        List<String> inputs = List.of(eos.topics.get("topic.ratings"), eos.topics.get("topic.watches"));
        List<String> timeline = new ArrayList<>();
        long t0 = System.nanoTime();
        try (GroupView group = new GroupView(kafka.bootstrapServers(), eos.applicationId, inputs)) {
            one.start().awaitReady(Duration.ofSeconds(60));
            int produced;
            try (SteadyReplay replay = new SteadyReplay(eos, RATE)) {
                sample(group, timeline, t0, Duration.ofSeconds(6));

                long out = System.nanoTime();
                two.start();
                three.start();
                Map<String, Double> ownsAfter = awaitEveryInstanceActive(group, Set.of("inst-1", "inst-2", "inst-3"),
                        out, timeline, t0, Duration.ofSeconds(Long.getLong("scaling.scale.out.timeout.s", 120)));
                System.out.printf("[scaling] scale-out 1->3: seconds until each instance owns an active task %s%n", ownsAfter);
                sample(group, timeline, t0, Duration.ofSeconds(8));

                long in = System.nanoTime();
                Duration closeTwo = two.terminate(Duration.ofSeconds(60));
                Duration closeThree = three.terminate(Duration.ofSeconds(60));
                System.out.printf("[scaling] scale-in 3->1: SIGTERM to exit %.1f s and %.1f s%n",
                        closeTwo.toMillis() / 1e3, closeThree.toMillis() / 1e3);
                double allBack;
                try {
                    allBack = awaitOwnsAll(group, "inst-1", in, timeline, t0, Duration.ofSeconds(120));
                } catch (AssertionError e) { // the children's logs go with the test's directory: keep their ends
                    StringBuilder logs = new StringBuilder(e.getMessage());
                    for (AppProcess p : List.of(one, two, three)) {
                        logs.append("\n--- ").append(p.name).append(p.alive() ? " (alive)" : " (exited)").append(", log ends:\n")
                                .append(AppProcess.tail(p.log, 60));
                    }
                    throw new AssertionError(logs.toString(), e);
                }
                System.out.printf("[scaling] scale-in 3->1: inst-1 owns all 4 partitions %.1f s after the first SIGTERM%n", allBack);
                sample(group, timeline, t0, Duration.ofSeconds(5));
                produced = replay.stop();
            }
            List<Recommendations> out = eos.awaitRecommendations(produced, one::alive, Duration.ofSeconds(2));
            eos.assertNoGapNoRepeat(out, produced);
            System.out.printf("[scaling] %d events in at %d/s, %d lists out, every user's eventCount 1..n%n",
                    produced, RATE, out.size());
        } finally {
            System.out.println("[scaling] timeline (s since start: lag, active partitions per instance):");
            timeline.forEach(l -> System.out.println("[scaling]   " + l));
            for (AppProcess p : List.of(one, two, three)) if (p.alive()) p.kill();
        }
    }

    /** Samples lag and ownership every 500 ms for {@code d}. */
    static void sample(GroupView group, List<String> timeline, long t0, Duration d) throws Exception {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            record(group, timeline, t0);
            Thread.sleep(500);
        }
    }

    static Map<String, Set<Integer>> record(GroupView group, List<String> timeline, long t0) throws Exception {
        return sampleOnce(group, timeline, t0).owners();
    }

    /** One look at the group, added to the timeline: who owns what, and the lag (-1 with no owners when refused). */
    record Sample(Map<String, Set<Integer>> owners, long lag) {}

    static Sample sampleOnce(GroupView group, List<String> timeline, long t0) throws Exception {
        Map<String, Set<Integer>> owners;
        long lag;
        try {
            owners = group.activePartitions();
            lag = group.lag();
        } catch (Exception e) { // a group in the middle of a rebalance can refuse a describe
            timeline.add(String.format("%5.1f  (%s)", (System.nanoTime() - t0) / 1e9, e.getClass().getSimpleName()));
            return new Sample(Map.of(), -1);
        }
        timeline.add(String.format("%5.1f  lag %5d  %s", (System.nanoTime() - t0) / 1e9, lag, owners));
        return new Sample(owners, lag);
    }

    static Map<String, Double> awaitEveryInstanceActive(GroupView group, Set<String> instances, long from,
            List<String> timeline, long t0, Duration timeout) throws Exception {
        Map<String, Double> when = new java.util.TreeMap<>();
        long end = System.nanoTime() + timeout.toNanos();
        while (when.size() < instances.size() && System.nanoTime() < end) {
            Map<String, Set<Integer>> owners = record(group, timeline, t0);
            for (String i : instances) {
                if (!when.containsKey(i) && !owners.getOrDefault(i, Set.of()).isEmpty()) {
                    when.put(i, (System.nanoTime() - from) / 1e9);
                }
            }
            Thread.sleep(250);
        }
        assertEquals(instances, when.keySet(), "instances owning an active task within " + timeout);
        return when;
    }

    private static double awaitOwnsAll(GroupView group, String instance, long from, List<String> timeline, long t0,
            Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Map<String, Set<Integer>> owners = record(group, timeline, t0);
            if (owners.keySet().equals(Set.of(instance)) && owners.get(instance).equals(new TreeSet<>(Set.of(0, 1, 2, 3)))) {
                return (System.nanoTime() - from) / 1e9;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(instance + " does not own all partitions " + timeout + " after scale-in");
    }
}
