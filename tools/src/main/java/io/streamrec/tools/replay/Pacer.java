package io.streamrec.tools.replay;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces events at a rate that may change while it runs (0 pauses, infinity does not wait). Never more than a second
 * behind: after a pause or a stall it resumes at the rate instead of bursting to catch up. The one pacing loop of the
 * tools (replay, demo).
 */
public final class Pacer {
    private static final long MAX_BEHIND_NANOS = 1_000_000_000L;
    private static final long PAUSE_POLL_NANOS = 100_000_000L;
    private volatile double rate;
    private long next = System.nanoTime();

    public Pacer(double eventsPerSecond) {
        setRate(eventsPerSecond);
    }

    public void setRate(double eventsPerSecond) {
        if (!(eventsPerSecond >= 0)) throw new IllegalArgumentException("rate: must be >= 0 events/s, was " + eventsPerSecond);
        this.rate = eventsPerSecond;
    }

    public double rate() {
        return rate;
    }

    /**
     * Waits until the next event is due; while the rate is 0, waits until {@code stopped} says so or the rate changes.
     * Returns false when stopped.
     */
    public boolean awaitNext(java.util.function.BooleanSupplier stopped) {
        double r = rate;
        while (r == 0) {
            if (stopped.getAsBoolean()) return false;
            LockSupport.parkNanos(PAUSE_POLL_NANOS);
            r = rate;
            next = System.nanoTime();
        }
        if (stopped.getAsBoolean()) return false;
        if (Double.isInfinite(r)) return true;
        next = Math.max(next + (long) (1e9 / r), System.nanoTime() - MAX_BEHIND_NANOS);
        long wait = next - System.nanoTime();
        if (wait > 0) LockSupport.parkNanos(wait);
        return true;
    }
}
