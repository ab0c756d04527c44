package io.streamrec.bench;

import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.model.GeneratedModel;
import io.streamrec.model.ModelDirectory;
import io.streamrec.trainer.train.TrainConfig;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The stream thread's own work per event, without Kafka, in thread CPU time: predict + online step
 * ({@link OnlineLearner}), retrieval of 200 candidates ({@link CandidateRetriever#forModel}, what
 * serves), the MF feature and row encoding, and the ONNX ranking call, on the load test's
 * generated models (10k / 100k / 1M movies, d = 64) and, when given, a trained model directory.
 * Prints the median CPU µs per event of 7 rounds and, separately, of retrieval alone and of the
 * ONNX call alone, so the share of each is visible. On 2 cores, 2 / (this + Kafka's own cost per
 * event, from the load test's baseline) is the ceiling of the end-to-end rate.
 * <pre>java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar io.streamrec.bench.PerEventCpuTime [trained-model-dir]</pre>
 */
public final class PerEventCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int CANDIDATES = 200, K = 10, ROUNDS = 7;

    private PerEventCpuTime() {}

    public static void main(String[] args) throws Exception {
        System.out.printf("%-40s %10s %12s %12s %12s%n", "model", "items", "event µs", "retrieval µs", "ONNX µs");
        for (int movies : new int[] {10_000, 100_000, 1_000_000}) {
            Path dir = Files.createTempDirectory("per-event-");
            GeneratedModel.write(dir, movies, 64, TrainConfig.defaults().hidden(), 42);
            measure("generated d=64", ModelDirectory.read(dir));
        }
        if (args.length > 0) measure("trained " + args[0], ModelDirectory.read(Path.of(args[0])));
    }

    static void measure(String label, ModelDirectory.Loaded loaded) {
        RecommenderModel m = loaded.model();
        try (OnnxRanker ranker = OnnxRanker.load(loaded.onnx(), m.featureSpec(), CANDIDATES, 1)) {
            CandidateRetriever retriever = CandidateRetriever.forModel(m);
            RecommendationPipeline pipeline = new RecommendationPipeline(m, retriever, ranker, CANDIDATES, loaded.rankerWeight());
            OnlineLearner learner = new OnlineLearner(m);
            SplittableRandom rnd = new SplittableRandom(1);
            int users = 500;
            UserState[] states = new UserState[users];
            for (int u = 0; u < users; u++) states[u] = UserState.empty(m);
            int[] items = new int[K];
            float[] scores = new float[K];
            int[] cand = new int[CANDIDATES];
            float[] candScores = new float[CANDIDATES];
            TopK heap = new TopK(CANDIDATES);
            int reps = Math.max(200, 2_000_000 / Math.max(1, m.itemCount()) * 10);
            reps = Math.min(reps, 3000);
            double[] event = new double[ROUNDS], retrieval = new double[ROUNDS], onnx = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                for (int e = 0; e < reps; e++) {
                    int u = rnd.nextInt(users);
                    UserState s = states[u];
                    int item = rnd.nextInt(m.itemCount());
                    learner.predictRating(s, item);
                    learner.learn(u, s, m.items().movieId(item), item, 0.5f + rnd.nextInt(10) * 0.5f, Float.NaN, 0L);
                    pipeline.recommend(s, K, items, scores);
                }
                long t1 = THREADS.getCurrentThreadCpuTime();
                for (int e = 0; e < reps; e++) {
                    UserState s = states[rnd.nextInt(users)];
                    retriever.topK(s.retrievalVector(), CANDIDATES, i -> false, heap, cand, candScores);
                }
                long t2 = THREADS.getCurrentThreadCpuTime();
                pipeline.encodeCandidates(states[0], i -> false);
                var rows = pipeline.rows();
                float[] out = new float[CANDIDATES * 2];
                for (int e = 0; e < reps; e++) {
                    ranker.score(CANDIDATES, rows.user(), rows.item(), rows.itemFeatures(), rows.userFeatures(), rows.pairFeatures(), out);
                }
                long t3 = THREADS.getCurrentThreadCpuTime();
                event[r] = (t1 - t0) / 1e3 / reps;
                retrieval[r] = (t2 - t1) / 1e3 / reps;
                onnx[r] = (t3 - t2) / 1e3 / reps;
            }
            System.out.printf("%-40s %,10d %12.1f %12.1f %12.1f%n", label, m.itemCount(), median(event), median(retrieval), median(onnx));
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
