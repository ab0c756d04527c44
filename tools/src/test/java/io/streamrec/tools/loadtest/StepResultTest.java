package io.streamrec.tools.loadtest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A step is sustained only if the app's lag stayed within a second of input, not merely under the stop rule's limit. */
class StepResultTest {

    static StepResult step(int rate, double lists, long maxLag, String stopped) {
        return new StepResult(rate, 30, rate * 30L, rate, (long) (lists * 30), lists, 40, 90, 120, 150, maxLag, 1, 1, true,
                stopped, 200, 140, null, null);
    }

    @Test
    void aGrowingBacklogUnderTheStopLimitIsNotSustained() {
        StepResult steady = step(9_000, 8_984, 1_961, null);
        StepResult growing = step(10_000, 9_430, 17_241, null); // 1.7 s of input behind, under the 5-s stop rule
        StepResult stopped = step(12_000, 9_000, 60_000, "60,000 events waiting");
        assertTrue(steady.sustained());
        assertFalse(growing.sustained());
        assertFalse(growing.fellBehind(), "the stop rule let it run");
        assertTrue(growing.row().contains("not sustained: lag reached 1.7 s"), growing.row());
        assertFalse(stopped.sustained());
        assertEquals(8_984, BenchCommand.sustained(List.of(step(500, 499, 30, null), steady, growing, stopped)));
        assertEquals(true, steady.toJson().get("sustained"));
        assertEquals(false, growing.toJson().get("sustained"));
    }

    @Test
    void anUnknownLagFallsBackToTheStopRule() {
        assertTrue(step(1_000, 998, -1, null).sustained());
        assertFalse(step(1_000, 500, -1, "behind").sustained());
    }
}
