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
 * have) must finish the stream with, per user, eventCount 1..n committed exactly once, and a
 * final committed state equal to the core learner applied once to each event.
 */
@ExtendWith(SharedKafkaBroker.class)
class SigkillRestartIT {

    @Test
    @Timeout(300)
    void killedMidStreamNeitherLosesNorRepeatsAnEvent(EmbeddedKafka kafka, @TempDir Path state, @TempDir Path logs) throws Exception {
        EosFixture eos = new EosFixture(kafka, "sigkill-it", 1200);
        eos.produce(0, eos.total);

        Process first = startApp(eos, state, logs.resolve("first.log"));
        try {
            // kill once part of the stream is committed, while the rest is being processed
            int seen;
            try {
                seen = eos.awaitRecommendations(300, first::isAlive, Duration.ZERO).size();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; first app's log ends:\n" + tail(logs.resolve("first.log")), e);
            }
            assertTrue(first.isAlive(), "first app died on its own; see " + logs.resolve("first.log"));
            assertTrue(seen < eos.total, "killed after the stream ended (" + seen + " lists)");
        } finally {
            first.destroyForcibly(); // SIGKILL on Unix
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(137, first.exitValue(), "exit status of a SIGKILLed JVM (128 + 9)");

        Process second = startApp(eos, state, logs.resolve("second.log"));
        try {
            List<Recommendations> out = eos.awaitRecommendations(eos.total, second::isAlive, Duration.ofSeconds(2));
            eos.assertNoGapNoRepeat(out);
            eos.assertStatesMatchOfflineReplay(eos.changelogStates());
        } finally {
            second.destroy();
            if (!second.waitFor(60, TimeUnit.SECONDS)) second.destroyForcibly();
        }
    }

    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of("(no log)");
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** {@code recsys run} in a child JVM on this test's class path, output to {@code log}. */
    private static Process startApp(EosFixture eos, Path state, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), RunCommand.class.getName()));
        Map<String, String> settings = eos.settings(state);
        // the killed member never leaves the group: the broker drops it when its session times out
        settings.put("session.timeout.ms", "6000");
        for (Map.Entry<String, String> e : settings.entrySet()) cmd.add("-D" + e.getKey() + "=" + e.getValue());
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
