package io.streamrec.app.dlq;

import io.streamrec.schemas.DlqReasons;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of records sent to the dead-letter topic, per reason code. Thread-safe and cheap to increment from every
 * stream thread at once (one {@link LongAdder} per reason). Every documented reason ({@link DlqReasons#ALL}) is
 * present from the start with count 0, so a metric exists before the first bad record.
 */
public final class DlqMetrics {

    private static final DlqMetrics SHARED = new DlqMetrics();

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    public DlqMetrics() {
        for (String reason : DlqReasons.ALL) {
            counts.put(reason, new LongAdder());
        }
    }

    /**
     * The JVM-wide instance that {@link DeadLetterDeserializationHandler} counts into unless another instance is
     * given in its configuration ({@link DeadLetterDeserializationHandler#METRICS_CONFIG}).
     */
    public static DlqMetrics shared() {
        return SHARED;
    }

    /** Counts one dead letter with {@code reason}. */
    public void increment(String reason) {
        counts.computeIfAbsent(Objects.requireNonNull(reason, "reason"), r -> new LongAdder()).increment();
    }

    /** Dead letters with {@code reason} so far. */
    public long count(String reason) {
        LongAdder adder = counts.get(reason);
        return adder == null ? 0 : adder.sum();
    }

    /** Dead letters of all reasons so far. */
    public long total() {
        long sum = 0;
        for (LongAdder adder : counts.values()) {
            sum += adder.sum();
        }
        return sum;
    }

    /** The current counts by reason, sorted by reason; a copy. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((reason, adder) -> out.put(reason, adder.sum()));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "DlqMetrics" + snapshot();
    }
}
