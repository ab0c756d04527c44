package io.streamrec.tools.chaos;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The short chaos run of {@code verify}: its own KRaft broker, {@code recsys run} in child JVMs, one SIGKILL
 * mid-stream with a restart on the same state, one broker restart, one second instance killed for good, and a
 * thousand fuzzed records among 4,000 events (60/s after the first tenth). Passes only if nothing was lost or repeated, every user state equals
 * the uninterrupted replay, and every fuzzed record is in the dead-letter topic with its reason.
 * ({@code ./recsys chaos --kills 20 --events 100000} is the long version.)
 */
class ChaosIT {

    @Test
    @Timeout(300)
    void nothingLostNothingRepeatedEveryBadRecordDeadLettered(@TempDir Path work) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ChaosReport r = new ChaosRun(new ChaosRun.Settings(1, 4000, 1000, 2000, 7, work, 60),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        String text = log.toString(StandardCharsets.UTF_8) + r.summary();
        System.out.println(text);
        assertEquals(3, r.faults().size(), text);
        assertEquals(1, r.restarts(), text);
        assertEquals(0, r.lost(), text);
        assertEquals(0, r.duplicated(), text);
        assertEquals(0, r.usersWithGaps(), text);
        assertEquals(1000, r.fuzzed(), text);
        assertEquals(r.expectedReasons(), r.dlqReasons(), text);
        assertEquals(r.users(), r.statesEqual(), text);
        assertTrue(r.expectedReasons().size() >= 8, "many kinds of bad record: " + r.expectedReasons());
        for (ChaosRun.Fault f : r.faults()) {
            assertTrue(f.committedInput() > 0, "mid-stream: " + f);
            assertTrue(f.healthSeconds() >= 0, "/health back to UP: " + f);
        }
        assertTrue(r.failures().isEmpty(), String.join("; ", r.failures()));
    }
}
