package io.streamrec.app.items;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the item side of online learning on this instance, shared by all threads: feedback sent by user tasks,
 * applied or dropped by item owners, item vectors applied to (or ignored by) this instance's serving copy, and how
 * stale the serving copy is: per applied vector, the time from its event's record timestamp (the time the event was
 * produced) to the moment the new vector was in this instance's item arrays and retriever.
 */
public final class ItemUpdateStats {
    /** Lags kept for percentiles: the most recent ones (a ring). */
    private static final int RECENT = 4096;
    private final LongAdder feedbackSent = new LongAdder();
    private final LongAdder ownerApplied = new LongAdder();
    private final LongAdder ownerDropped = new LongAdder();
    private final LongAdder vectorsApplied = new LongAdder();
    private final LongAdder vectorsIgnored = new LongAdder();
    private final long[] recentLags = new long[RECENT];
    private long lagCount;
    private long lagMax;
    private long lagSum;
    private volatile java.util.function.LongConsumer lagListener = millis -> {};

    /** Where event-to-serving-copy lags go too (a metrics timer); by default nowhere. */
    public void onLag(java.util.function.LongConsumer listener) {
        this.lagListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    public void feedbackSent() { feedbackSent.increment(); }
    public void ownerApplied() { ownerApplied.increment(); }
    /** Feedback made on another model version than the owner serves (a swap in between), or for an unknown movie. */
    public void ownerDropped() { ownerDropped.increment(); }
    /** A published vector of another model version, or of a movie this model does not know. */
    public void vectorIgnored() { vectorsIgnored.increment(); }

    /** A published vector was applied to the serving copy, {@code lagMillis} after its event was produced. */
    public void vectorApplied(long lagMillis) {
        vectorsApplied.increment();
        long lag = Math.max(0, lagMillis);
        synchronized (recentLags) {
            recentLags[(int) (lagCount % RECENT)] = lag;
            lagCount++;
            lagSum += lag;
            lagMax = Math.max(lagMax, lag);
        }
        lagListener.accept(lag);
    }

    /** A vector read back at start-up from the local copy of the topic (no lag measured: its event is old). */
    public void vectorRestored() { vectorsApplied.increment(); }

    public long feedbackSentCount() { return feedbackSent.sum(); }
    public long ownerAppliedCount() { return ownerApplied.sum(); }
    public long ownerDroppedCount() { return ownerDropped.sum(); }
    public long vectorsAppliedCount() { return vectorsApplied.sum(); }
    public long vectorsIgnoredCount() { return vectorsIgnored.sum(); }

    /** Largest event-to-applied lag seen, in ms (0 before any). */
    public long lagMaxMillis() {
        synchronized (recentLags) { return lagMax; }
    }

    /** Mean event-to-applied lag, in ms (NaN before any). */
    public double lagMeanMillis() {
        synchronized (recentLags) { return lagCount == 0 ? Double.NaN : (double) lagSum / lagCount; }
    }

    /** The {@code q}-quantile (0..1) of the most recent lags, in ms (-1 before any). */
    public long lagQuantileMillis(double q) {
        long[] copy;
        synchronized (recentLags) {
            int n = (int) Math.min(lagCount, RECENT);
            if (n == 0) return -1;
            copy = Arrays.copyOf(recentLags, n);
        }
        Arrays.sort(copy);
        return copy[(int) Math.min(copy.length - 1, Math.floor(q * copy.length))];
    }
}
