package io.streamrec.tools.loadtest;

import io.streamrec.app.topology.StageCpu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stream threads' CPU per event over one step, by stage of the per-user step ({@link StageCpu}; {@code --stage-cpu}),
 * in µs: the whole step, its retrieval, ranking call, state read and write, the rest of the step (learning,
 * encoding the candidates, measuring), and the stream threads' CPU outside the step (polling, commits, deserialising,
 * validating) from their total.
 */
record StageCpuPerEvent(long events, double event, double retrieval, double ranking, double stateRead, double stateWrite,
                        double outside) {

    /** A snapshot of the counters, to subtract at the end of the step. */
    record Mark(long events, long[] nanos, long streamNanos) {
        static Mark of(StageCpu stages, long streamNanos) {
            long[] n = new long[StageCpu.Stage.values().length];
            for (StageCpu.Stage s : StageCpu.Stage.values()) n[s.ordinal()] = stages.nanos(s);
            return new Mark(stages.events(), n, streamNanos);
        }
    }

    static StageCpuPerEvent between(Mark from, Mark to) {
        long events = Math.max(1, to.events() - from.events());
        double[] us = new double[from.nanos().length];
        for (int s = 0; s < us.length; s++) us[s] = (to.nanos()[s] - from.nanos()[s]) / 1e3 / events;
        double event = us[StageCpu.Stage.EVENT.ordinal()];
        double outside = (to.streamNanos() - from.streamNanos()) / 1e3 / events - event;
        return new StageCpuPerEvent(to.events() - from.events(), event, us[StageCpu.Stage.RETRIEVAL.ordinal()],
                us[StageCpu.Stage.RANKING.ordinal()], us[StageCpu.Stage.STATE_READ.ordinal()],
                us[StageCpu.Stage.STATE_WRITE.ordinal()], outside);
    }

    double rest() {
        return event - retrieval - ranking - stateRead - stateWrite;
    }

    String line() {
        return String.format("  stream threads, CPU µs per event: step %.1f (retrieval %.1f, ranking %.1f, state read %.1f,"
                + " state write %.1f, rest %.1f); outside the step %.1f; %,d events", event, retrieval, ranking, stateRead,
                stateWrite, rest(), outside, events);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", events);
        m.put("step_us", event);
        m.put("retrieval_us", retrieval);
        m.put("ranking_us", ranking);
        m.put("state_read_us", stateRead);
        m.put("state_write_us", stateWrite);
        m.put("rest_of_step_us", rest());
        m.put("outside_step_us", outside);
        return m;
    }
}
