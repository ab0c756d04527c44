package io.streamrec.app;

import io.streamrec.app.state.UserStateSerde;
import io.streamrec.app.topology.LastListRecord;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.Retrievers;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.core.retrieval.UpdatableRetriever;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.model.ModelDirectory;

import io.streamrec.schemas.RecordSerdes;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Runs the per-event path (online step, retrieval, MF feature, ONNX ranking, the state's and the list's encoding) on
 * synthetic users beside the Kafka Streams start, so the JIT has compiled much of it when the first event arrives, and
 * gives way at the first real event. Measured reason (docs/benchmarks.md): from a cold start the first seconds of
 * events run in the interpreter and C1, where the Vector API kernels box every vector operation and run orders of
 * magnitude slower than compiled, and the app fell seconds behind at 1,000 events/s. Nothing here touches a broker or
 * the state stores (the serdes are plain code).
 *
 * <p>A catalogue of at least {@link #SLICED_FROM} items first has its retriever's kernels compiled on a slice of it
 * ({@link #warmRetriever}): at 1M items one uncompiled event took 2.7–6 s, so the per-event warm-up gave way after a
 * single event and the first real events ran uncompiled (docs/benchmarks.md, thirteenth and fourteenth passes); at
 * 100k, 12–26 events ran before real ones flowed, and the bench fell behind at 1,000 events/s in 3 of 3 cold starts
 * (fifteenth pass). {@link KernelWarmUp} has usually compiled the kernels before this, beside the model read.
 */
final class ServingWarmUp {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServingWarmUp.class);
    /** Most rows of the slice a large catalogue's retriever is first warmed on: a few ms per query once compiled. */
    static final int SLICE_ITEMS = 65_536;
    /** The smallest catalogue warmed on a slice: a quarter of it, so at least 16,384 rows. */
    static final int SLICED_FROM = 65_536;
    /** Queries over that slice: each calls the kernels thousands of times, so C2 has compiled them well before this. */
    static final int SLICE_QUERIES = 1_000;

    private ServingWarmUp() {}

    /**
     * For a large catalogue first the slice ({@link #warmRetriever}, at most half the budget, not giving way); then runs
     * events until {@code budget} is spent, {@code maxEvents} ran, {@code realEventsFlow} says real events are being
     * processed (from then on they compile the same path, and a warm-up beside them only takes their CPU) or the
     * thread is interrupted; returns the events run.
     */
    static int run(ModelDirectory.Loaded loaded, int candidates, int k, Duration budget, int maxEvents,
                   BooleanSupplier realEventsFlow) {
        RecommenderModel m = loaded.model();
        if (m.items().loaded() == 0) return 0;
        try (OnnxRanker ranker = OnnxRanker.load(loaded.onnx(), m.featureSpec(), candidates, 1)) {
            long start = System.nanoTime(), end = start + budget.toNanos();
            UpdatableRetriever retriever = CandidateRetriever.forModel(m);
            int sliceQueries = warmRetriever(m, retriever, candidates, start + (end - start) / 2, SLICE_QUERIES);
            if (sliceQueries > 0) {
                LOG.info("start-up: {} of {} queries over a {}-item slice of the {}-item {} ran in {} ms{}", sliceQueries,
                        SLICE_QUERIES, sliceItems(retriever.size()), retriever.size(), retriever.getClass().getSimpleName(),
                        (System.nanoTime() - start) / 1_000_000, sliceQueries < SLICE_QUERIES ? " (stopped at its deadline)" : "");
            }
            RecommendationPipeline pipeline = new RecommendationPipeline(m, retriever, ranker, candidates, loaded.rankerWeight());
            OnlineLearner learner = new OnlineLearner(m);
            SplittableRandom rnd = new SplittableRandom(1);
            int[] items = new int[k];
            float[] scores = new float[k];
            int[] movieIds = new int[k];
            UserStateSerde states = new UserStateSerde();
            var lists = RecordSerdes.recommendations().serializer();
            int events = 0;
            UserState user = UserState.empty(m);
            while (events < maxEvents && System.nanoTime() < end && !Thread.currentThread().isInterrupted()
                    && !realEventsFlow.getAsBoolean()) {
                if (events % 20 == 0) user = UserState.empty(m);
                int item = rnd.nextInt(m.items().loaded());
                learner.predictRating(user, item);
                learner.learn(-1 - events % 20, user, m.items().movieId(item), item, 0.5f + rnd.nextInt(10) * 0.5f, Float.NaN,
                        System.currentTimeMillis());
                int n = pipeline.recommend(user, k, items, scores);
                for (int r = 0; r < n; r++) movieIds[r] = m.items().movieId(items[r]);
                user.lastList(movieIds, scores, n, System.currentTimeMillis());
                lists.serialize("warm-up", LastListRecord.of(-1L, user));
                user = states.deserialize("warm-up", states.serialize("warm-up", user)); // as the store reads it back
                events++;
            }
            return events;
        }
    }

    /**
     * Top-{@code n} queries (item vectors as users) over a retriever of the same kind as {@code retriever} built on its
     * first {@link #sliceItems} items, until {@code maxQueries} ran or {@code deadlineNanos}; returns how many ran (0
     * below {@link #SLICED_FROM} items: a smaller catalogue's own events cost little more uncompiled). It does not give
     * way to real events: until it is done they would run the same kernels uncompiled.
     */
    static int warmRetriever(RecommenderModel m, UpdatableRetriever retriever, int n, long deadlineNanos, int maxQueries) {
        int rows = sliceItems(retriever.size());
        if (rows == 0) return 0;
        UpdatableRetriever slice = Retrievers.sliceOfSameKind(retriever, m.retrievalVectors(), m.retrievalBiases(), rows);
        if (slice == null) return 0;
        return queries(slice, m.retrievalVectors(), m.items().loaded(), n, 2, maxQueries,
                () -> System.nanoTime() >= deadlineNanos || Thread.currentThread().isInterrupted(), ran -> { });
    }

    /**
     * Top-{@code n} queries over {@code scan}, each a random one of the first {@code rows} rows of {@code vectors} as
     * the user, with one in 64 items excluded as seen movies are, until {@code maxQueries} ran or {@code done} says so
     * (asked before each); {@code ran} hears the count after each. Returns how many ran. The warm-ups' shared loop.
     */
    static int queries(UpdatableRetriever scan, float[] vectors, int rows, int n, long seed, int maxQueries,
                       BooleanSupplier done, IntConsumer ran) {
        int dim = scan.dim();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] query = new float[dim];
        int[] items = new int[n];
        float[] scores = new float[n];
        TopK scratch = new TopK(n);
        int queries = 0;
        while (queries < maxQueries && !done.getAsBoolean()) {
            System.arraycopy(vectors, rnd.nextInt(rows) * dim, query, 0, dim);
            int skipped = rnd.nextInt(64);
            scan.topK(query, n, item -> item % 64 == skipped, scratch, items, scores);
            ran.accept(++queries);
        }
        return queries;
    }

    /** Rows of the slice for a catalogue of {@code size} items: a quarter of it up to {@link #SLICE_ITEMS}; 0 below {@link #SLICED_FROM}. */
    static int sliceItems(int size) {
        return size < SLICED_FROM ? 0 : Math.min(SLICE_ITEMS, size / 4);
    }
}
