package io.streamrec.app;

import io.streamrec.app.state.UserStateSerde;
import io.streamrec.app.topology.LastListRecord;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.model.ModelDirectory;

import io.streamrec.schemas.RecordSerdes;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Runs the per-event path (online step, retrieval, MF feature, ONNX ranking, the state's and the list's encoding) on
 * synthetic users beside the Kafka Streams start, so the JIT has compiled much of it when the first event arrives, and
 * gives way at the first real event. Measured reason (docs/benchmarks.md): from a cold start the first seconds of
 * events run in the interpreter and C1, where the Vector API kernels box every vector operation and run orders of
 * magnitude slower than compiled, and the app fell seconds behind at 1,000 events/s. Nothing here touches a broker or
 * the state stores (the serdes are plain code).
 */
final class ServingWarmUp {
    private ServingWarmUp() {}

    /**
     * Runs events until {@code budget} is spent, {@code maxEvents} ran, {@code realEventsFlow} says real events are being
     * processed (from then on they compile the same path, and a warm-up beside them only takes their CPU) or the
     * thread is interrupted; returns the events run.
     */
    static int run(ModelDirectory.Loaded loaded, int candidates, int k, Duration budget, int maxEvents,
                   BooleanSupplier realEventsFlow) {
        RecommenderModel m = loaded.model();
        if (m.items().loaded() == 0) return 0;
        try (OnnxRanker ranker = OnnxRanker.load(loaded.onnx(), m.featureSpec(), candidates, 1)) {
            RecommendationPipeline pipeline = new RecommendationPipeline(m, CandidateRetriever.forModel(m), ranker, candidates,
                    loaded.rankerWeight());
            OnlineLearner learner = new OnlineLearner(m);
            SplittableRandom rnd = new SplittableRandom(1);
            int[] items = new int[k];
            float[] scores = new float[k];
            int[] movieIds = new int[k];
            UserStateSerde states = new UserStateSerde();
            var lists = RecordSerdes.recommendations().serializer();
            long end = System.nanoTime() + budget.toNanos();
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
}
