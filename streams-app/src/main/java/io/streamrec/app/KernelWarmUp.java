package io.streamrec.app;

import io.streamrec.core.retrieval.Retrievers;
import io.streamrec.core.retrieval.UpdatableRetriever;
import io.streamrec.model.Manifest;
import io.streamrec.model.ModelDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Compiles the retrieval kernels while the model is read: top-n queries over a synthetic catalogue of the model's
 * dimension, on the scan the model's catalogue size will get, on a thread of its own. Reading the model keeps one
 * core busy (1–1.4 s at 10k movies, 2.8–4.3 s at 100k on a Zen 3 EPYC) and leaves the other idle; later the Kafka Streams start, the broker and the rest of the JVM
 * fill the JIT's queue, and kernels compiled only then ran the first queries of a 100k catalogue in C1, where the
 * Vector API boxes every operation (30–534 slice queries in 2.5 s, ~5–85 ms each; docs/benchmarks.md fifteenth pass).
 * Synthetic rows run the same code as the catalogue's. Stops when {@link #stop} is called (after the model is read),
 * so it never competes with the Kafka Streams start. Only for catalogues the slice warm-up covers (from
 * {@link ServingWarmUp#SLICED_FROM} items): at 10k movies it ran 8–17 queries in the ~1.4-s model read, and the
 * bench's warm-up at 1,000 events/s fell behind in 5 of 7 cold starts with it against 2 of 6 without (not a
 * significant difference, and no gain to weigh against it; docs/benchmarks.md fifteenth pass).
 */
final class KernelWarmUp {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KernelWarmUp.class);
    /** Rows of the synthetic catalogue: a query costs ~0.1 ms compiled, so each one calls the kernels ~500 times. */
    static final int ROWS = 16_384;
    /** At most this many queries: compiled well before, and a model read slower than that wastes nothing more. */
    static final int MAX_QUERIES = 5_000;

    private final Thread thread;
    private volatile boolean stopped;
    private volatile int queries;
    private final long startNanos = System.nanoTime();

    private KernelWarmUp(int catalogueItems, int dim, int n) {
        this.thread = new Thread(() -> run(catalogueItems, dim, n), "kernel-warm-up");
        thread.setDaemon(true);
    }

    /**
     * Starts it for the model in {@code modelDir} ({@code headroom} slots for new movies, as the served retriever has),
     * {@code n} items per query; one that does nothing for a catalogue under {@link ServingWarmUp#SLICED_FROM} items or
     * when the manifest cannot be read (the model read reports why).
     */
    static KernelWarmUp start(Path modelDir, int headroom, int n) {
        int dim = 0, catalogue = 0;
        try {
            Manifest manifest = ModelDirectory.manifest(modelDir);
            dim = manifest.dim();
            catalogue = (int) Math.min(Integer.MAX_VALUE, (long) manifest.items() + headroom);
        } catch (RuntimeException e) {
            // left to the model read, which reports it
        }
        KernelWarmUp warmUp = new KernelWarmUp(catalogue, dim, n);
        if (dim > 0 && n > 0 && catalogue >= ServingWarmUp.SLICED_FROM) warmUp.thread.start();
        return warmUp;
    }

    private void run(int catalogueItems, int dim, int n) {
        try {
            SplittableRandom rnd = new SplittableRandom(3);
            float[] vectors = new float[ROWS * dim], bias = new float[ROWS];
            for (int i = 0; i < vectors.length; i++) vectors[i] = (float) rnd.nextGaussian() * 0.3f;
            for (int i = 0; i < ROWS; i++) bias[i] = (float) rnd.nextGaussian() * 0.3f;
            boolean[] active = new boolean[ROWS];
            Arrays.fill(active, true);
            UpdatableRetriever scan = Retrievers.scanOfKindFor(catalogueItems, vectors, bias, active, dim);
            ServingWarmUp.queries(scan, vectors, ROWS, n, 4, MAX_QUERIES, () -> stopped, ran -> queries = ran);
        } catch (RuntimeException e) {
            LOG.warn("start-up: the retrieval kernels' warm-up failed; the serving warm-up compiles them instead", e);
        }
    }

    /** Queries run so far. */
    int queries() {
        return queries;
    }

    /** Whether its thread has ended (or never started) within {@code timeout}. */
    boolean ended(Duration timeout) {
        try {
            if (thread.isAlive()) thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Stops it (at its next query) and logs how far it got; returns the queries run. */
    int stop() {
        stopped = true;
        int ran = queries;
        if (thread.isAlive() || ran > 0) {
            LOG.info("start-up: {} retrieval queries over a synthetic {}-item catalogue compiled the kernels beside the model read ({} ms)",
                    ran, ROWS, (System.nanoTime() - startNanos) / 1_000_000);
        }
        return ran;
    }
}
