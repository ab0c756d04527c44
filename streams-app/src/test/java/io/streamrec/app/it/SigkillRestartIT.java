package io.streamrec.app.it;

import io.streamrec.app.cli.RunCommand;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.avro.Recommendations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The unclean restart: the application runs as a child JVM ({@code recsys run}) and is killed
 * with SIGKILL mid-stream — no shutdown hook, no close, an open transaction and a locked state
 * directory left behind. A new child on the same state directory (as a restarted pod would
 * have) must finish the stream with, per user, eventCount 1..n committed exactly once, with items learning
 * online: the committed item feedback holds one message per event, and each movie's committed item vector equals
 * its trained vector with those messages applied once each, in order (what one uninterrupted owner computes).
 * (ExactlyOnceRestartIT and CrashTakeoverIT, items off, check the user states against the core learner.)
 *
 * <p>Provably mid-stream: the input is produced while the app runs (paced, so it cannot all be processed before
 * the kill), and after the kill the app's committed input offsets are checked to be above 0 and below the number
 * of events produced.
 */
@ExtendWith(SharedKafkaBroker.class)
class SigkillRestartIT {

    @Test
    @Timeout(300)
    void killedMidStreamNeitherLosesNorRepeatsAnEvent(EmbeddedKafka kafka, @TempDir Path state, @TempDir Path logs) throws Exception {
        EosFixture eos = new EosFixture(kafka, "sigkill-it", 1200);
        eos.produce(0, 200);

        Process first = startApp(eos, state, logs.resolve("first.log"));
        // the rest arrives while the app runs: 100 events every 250 ms, about 2.5 s in all
        Thread producer = new Thread(() -> {
            for (int from = 200; from < eos.total; from += 100) {
                eos.produce(from, Math.min(eos.total, from + 100));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "paced-input");
        try {
            // kill once part of the stream is committed, while the rest is still arriving
            try {
                eos.awaitRecommendations(150, first::isAlive, Duration.ZERO);
                producer.start();
                eos.awaitRecommendations(300, first::isAlive, Duration.ZERO);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; first app's log ends:\n" + AppProcess.tail(logs.resolve("first.log"), 40), e);
            }
            assertTrue(first.isAlive(), "first app died on its own; see " + logs.resolve("first.log"));
        } finally {
            first.destroyForcibly(); // SIGKILL on Unix
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(137, first.exitValue(), "exit status of a SIGKILLed JVM (128 + 9)");
        producer.join();
        long committed = eos.committedInputOffsets();
        assertTrue(committed > 0 && committed < eos.total,
                "killed mid-stream: committed input offsets " + committed + " of " + eos.total + " events");

        Process second = startApp(eos, state, logs.resolve("second.log"));
        try {
            List<Recommendations> out = eos.awaitRecommendations(eos.total, second::isAlive, Duration.ofSeconds(2));
            eos.assertNoGapNoRepeat(out);
            // items learn online here, so a user's step saw item vectors that moved meanwhile, at times set by the
            // commits: the user states have no offline replay to equal; the item side is checked exactly instead
            eos.assertItemStatesMatchFeedbackReplay(eos.eventsOnTrainedMovies());
        } finally {
            second.destroy();
            if (!second.waitFor(60, TimeUnit.SECONDS)) second.destroyForcibly();
        }
    }

    /** {@code recsys run} in a child JVM on this test's class path, output to {@code log}. */
    private static Process startApp(EosFixture eos, Path state, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), RunCommand.class.getName()));
        Map<String, String> settings = eos.settings(state);
        // run derives a static group.instance.id from the state directory: the restarted app takes its partitions
        // back at once; this only bounds the wait should it not
        settings.put("session.timeout.ms", "6000");
        settings.put("items.learn.online", "true");
        for (Map.Entry<String, String> e : settings.entrySet()) cmd.add("-D" + e.getKey() + "=" + e.getValue());
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
