package io.streamrec.app.topology;

import io.streamrec.core.rank.Ranker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.TopK;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;

/**
 * Where the stream threads' CPU goes per event, by stage of the per-user step: thread CPU time (waiting for the broker
 * or a lock is not counted), summed over all stream threads of this instance. The stages nest: {@link Stage#EVENT} is
 * the whole step ({@code UserEventProcessor.process}), the others are parts of it; what the thread spends outside the
 * step (polling, commits, deserialising, the validator) is the stream threads' CPU minus {@code EVENT}.
 *
 * <p>Off unless {@code metrics.stage.cpu} is set: each timed stage reads the thread's CPU clock twice, a system call of
 * a few hundred nanoseconds, about 3 µs per event in all (~2% of the trained ml-latest-small model's step), so the
 * figures are for a profile ({@code ./recsys bench --stage-cpu}, {@code streamrec_stage_cpu_seconds_total}), not for
 * every deployment.
 */
public final class StageCpu {
    /** What is timed. */
    public enum Stage {
        /** The whole per-user step of one event. */
        EVENT,
        /** The candidate retrieval (the retriever's top-n over the catalogue). */
        RETRIEVAL,
        /** The ranking network's call (ONNX Runtime) on the candidates. */
        RANKING,
        /** The user's state read from its store (RocksDB and deserialisation). */
        STATE_READ,
        /**
         * The user's state, with its new list, written to its store (serialisation, RocksDB, the changelog record); for
         * a user whose state an older release stored, also the delete of its stale list there, once.
         */
        STATE_WRITE
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final LongAdder[] nanos = new LongAdder[Stage.values().length];
    private final LongAdder events = new LongAdder();
    private volatile boolean enabled;

    public StageCpu() {
        for (int s = 0; s < nanos.length; s++) nanos[s] = new LongAdder();
    }

    /** Turns timing on for the processors created from now on (before the app starts). */
    public void enable() {
        this.enabled = true;
    }

    public boolean enabled() {
        return enabled;
    }

    /** This timing when it is on, else null: what a processor or the bench keeps, so "off" costs one null check. */
    public StageCpu ifEnabled() {
        return enabled ? this : null;
    }

    /** CPU nanoseconds spent in {@code stage} so far, over all stream threads. */
    public long nanos(Stage stage) {
        return nanos[stage.ordinal()].sum();
    }

    /** Events timed so far. */
    public long events() {
        return events.sum();
    }

    /** The calling thread's CPU clock, in nanoseconds. */
    long now() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Adds the CPU the calling thread spent since {@code start} (a {@link #now()}) to {@code stage}. */
    void since(Stage stage, long start) {
        add(stage, now() - start);
    }

    void add(Stage stage, long cpuNanos) {
        nanos[stage.ordinal()].add(cpuNanos);
    }

    /** Counts one timed event, whose step began at {@code start}. */
    void event(long start) {
        since(Stage.EVENT, start);
        events.increment();
    }

    /** {@code retriever} with its top-n timed as {@link Stage#RETRIEVAL}. */
    CandidateRetriever timed(CandidateRetriever retriever) {
        return new CandidateRetriever() {
            @Override
            public int size() {
                return retriever.size();
            }

            @Override
            public int dim() {
                return retriever.dim();
            }

            @Override
            public int topK(float[] query, int n, IntPredicate exclude, TopK scratch, int[] itemsOut, float[] scoresOut) {
                long t = now();
                int found = retriever.topK(query, n, exclude, scratch, itemsOut, scoresOut);
                since(Stage.RETRIEVAL, t);
                return found;
            }
        };
    }

    /** {@code ranker} with each call timed as {@link Stage#RANKING}. */
    Ranker timed(Ranker ranker) {
        return (rows, user, item, itemFeatures, userFeatures, pairFeatures, out) -> {
            long t = now();
            ranker.score(rows, user, item, itemFeatures, userFeatures, pairFeatures, out);
            since(Stage.RANKING, t);
        };
    }
}
