package io.streamrec.app.topology;

import java.util.Objects;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Test-then-train quality of the live system, shared by all stream threads: the error of each
 * rating predicted before learning from it, and whether each event's movie was in the top-10
 * the user had last been sent.
 */
public final class LiveQuality {
    private final DoubleAdder squaredError = new DoubleAdder();
    private final LongAdder ratings = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder judged = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder warmStarts = new LongAdder();
    private final io.streamrec.app.items.ItemUpdateStats items = new io.streamrec.app.items.ItemUpdateStats();
    private final LongAdder refits = new LongAdder();
    private final StageCpu stages = new StageCpu();
    private volatile LongConsumer latencyListener = millis -> {};

    /** The item side of online learning on this instance (feedback sent and applied, item vectors applied, lag). */
    public io.streamrec.app.items.ItemUpdateStats items() {
        return items;
    }

    /** The stream threads' CPU by stage of the per-user step (off unless enabled before the app starts). */
    public StageCpu stages() {
        return stages;
    }

    void rating(double error) {
        squaredError.add(error * error);
        ratings.increment();
    }

    void hit(boolean hit) {
        judged.increment();
        if (hit) hits.increment();
    }

    void event() {
        events.increment();
    }

    /** A user was started from a published user vector. */
    void warmStart() {
        warmStarts.increment();
    }

    /** Users started from published vectors (warm start) by this instance. */
    public long warmStarts() {
        return warmStarts.sum();
    }

    /** A user's vectors were re-fitted to a newly served model from the user's history (fold-in). */
    void refit() {
        refits.increment();
    }

    /** Users whose vectors this instance re-fitted to a newly served model (fold-in). */
    public long refits() {
        return refits.sum();
    }

    /** A list was made, {@code millis} after the event's record timestamp (its produce time). */
    void recommended(long millis) {
        latencyListener.accept(Math.max(0, millis));
    }

    /** Where event-to-recommendation latencies go (a metrics timer); by default nowhere. */
    public void onLatency(LongConsumer listener) {
        this.latencyListener = Objects.requireNonNull(listener, "listener");
    }

    public long events() {
        return events.sum();
    }

    public double rmse() {
        long n = ratings.sum();
        return n == 0 ? Double.NaN : Math.sqrt(squaredError.sum() / n);
    }

    /** HR@10 over events whose user had been sent a list before. */
    public double hitRate() {
        long n = judged.sum();
        return n == 0 ? Double.NaN : (double) hits.sum() / n;
    }
}
