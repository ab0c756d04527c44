package io.streamrec.tools.loadtest;

import java.util.Arrays;

/**
 * What one load test run does: the model size (users drawn from, movies, dimension), the topic
 * layout, the stepped input rates and how long each lasts, and when a step counts as fallen behind.
 *
 * @param steps          target input rates, events/s, run in this order
 * @param warmupSeconds  a first, unreported step at the first rate (JIT, RocksDB and caches warm up)
 * @param maxLagSeconds  a step stops once the events still waiting for their list exceed this many
 *                       seconds of input at the step's rate; later (higher) steps are not run
 * @param watchFraction  share of events that are watches; the rest are ratings
 */
public record LoadTestSettings(int users, int movies, int dim, int partitions, int streamThreads, int[] steps,
                               int stepSeconds, int warmupSeconds, double maxLagSeconds, double watchFraction,
                               long seed) {
    public LoadTestSettings {
        positive("users", users);
        positive("movies", movies);
        positive("dim", dim);
        positive("partitions", partitions);
        positive("stream threads", streamThreads);
        positive("step seconds", stepSeconds);
        if (warmupSeconds < 0) throw new IllegalArgumentException("warm-up seconds must be >= 0, got " + warmupSeconds);
        if (steps == null || steps.length == 0) throw new IllegalArgumentException("steps: give at least one rate");
        for (int s : steps) positive("steps (each rate)", s);
        if (!(maxLagSeconds > 0)) throw new IllegalArgumentException("max lag seconds must be > 0, got " + maxLagSeconds);
        if (!(watchFraction >= 0 && watchFraction <= 1)) throw new IllegalArgumentException("watch fraction must be in [0, 1], got " + watchFraction);
        steps = steps.clone();
    }

    @Override
    public int[] steps() {
        return steps.clone();
    }

    private static void positive(String name, long value) {
        if (value < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }

    @Override
    public String toString() {
        return String.format("%,d users, %,d movies, dim %d, %d partitions, %d stream thread(s), steps %s events/s x %d s"
                        + " (warm-up %d s), stop when > %.1f s behind, %.0f%% watches",
                users, movies, dim, partitions, streamThreads, Arrays.toString(steps), stepSeconds, warmupSeconds,
                maxLagSeconds, watchFraction * 100);
    }
}
