package io.streamrec.bench;

import io.streamrec.app.state.UserStateSerde;
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
 * ({@link OnlineLearner}), retrieval of the candidates ({@link CandidateRetriever#forModel}, what
 * serves), the seen-movie mask, the MF feature and row encoding, and the ONNX ranking call, on the
 * load test's generated models (10k / 100k / 1M movies, d = 64) and, when given, a trained model
 * directory. Prints the median CPU µs per event of 7 rounds and, separately, of the parts: predict +
 * learn, retrieval alone, encoding (retrieval included) and the ONNX call alone, so the share of each
 * is visible; and, not included in the event, the state store's serde round trip (what Kafka Streams does on every
 * event: one {@link UserStateSerde} write and one read) with the bytes it writes. Users start with {@code -Dseen=N} movies already seen (default 100; ml-latest-small's users
 * have rated 165 on average), because the seen mask is rebuilt from that history on every event.
 * <pre>
 * java --add-modules=jdk.incubator.vector [-Dcandidates=50,100,200] [-Dseen=100] [-Dmovies=10000,100000] [-Dgenerated=false] \
 *      -cp bench/target/benchmarks.jar io.streamrec.bench.PerEventCpuTime [trained-model-dir]
 * </pre>
 * On 2 cores, 2 / (this + Kafka's own cost per event, from the load test's baseline) is the ceiling
 * of the end-to-end rate.
 */
public final class PerEventCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int K = 10, ROUNDS = 7;

    private PerEventCpuTime() {}

    public static void main(String[] args) throws Exception {
        int[] candidates = Arrays.stream(System.getProperty("candidates", "200").split(",")).mapToInt(Integer::parseInt).toArray();
        int seen = Integer.getInteger("seen", 100);
        System.out.printf("%-34s %9s %5s %9s %10s %12s %11s %9s %9s %9s %11s%n", "model", "items", "cand", "event µs", "learn µs",
                "retrieval µs", "encode µs", "ONNX µs", "rest µs", "state µs", "state bytes");
        if (Boolean.parseBoolean(System.getProperty("generated", "true"))) {
            int[] sizes = Arrays.stream(System.getProperty("movies", "10000,100000,1000000").split(",")).mapToInt(Integer::parseInt).toArray();
            for (int movies : sizes) {
                Path dir = Files.createTempDirectory("per-event-");
                GeneratedModel.write(dir, movies, 64, TrainConfig.defaults().hidden(), 42);
                for (int c : candidates) measure("generated d=64", ModelDirectory.read(dir), c, seen);
            }
        }
        if (args.length > 0) {
            ModelDirectory.Loaded trained = ModelDirectory.read(Path.of(args[0]));
            for (int c : candidates) measure("trained " + Path.of(args[0]).getFileName(), trained, c, seen);
        }
    }

    static void measure(String label, ModelDirectory.Loaded loaded, int candidates, int seenPerUser) {
        RecommenderModel m = loaded.model();
        try (OnnxRanker ranker = OnnxRanker.load(loaded.onnx(), m.featureSpec(), candidates, 1)) {
            CandidateRetriever retriever = CandidateRetriever.forModel(m);
            RecommendationPipeline pipeline = new RecommendationPipeline(m, retriever, ranker, candidates, loaded.rankerWeight());
            OnlineLearner learner = new OnlineLearner(m);
            SplittableRandom rnd = new SplittableRandom(1);
            int users = 500;
            UserState[] states = new UserState[users];
            for (int u = 0; u < users; u++) {
                states[u] = UserState.empty(m);
                for (int e = 0; e < seenPerUser; e++) {
                    int item = rnd.nextInt(m.itemCount());
                    learner.learn(u, states[u], m.items().movieId(item), item, 0.5f + rnd.nextInt(10) * 0.5f, Float.NaN, 0L);
                }
            }
            int[] items = new int[K];
            float[] scores = new float[K];
            int[] cand = new int[candidates];
            float[] candScores = new float[candidates];
            TopK heap = new TopK(candidates);
            int reps = Math.max(200, 2_000_000 / Math.max(1, m.itemCount()) * 10);
            reps = Math.min(reps, 3000);
            double[] event = new double[ROUNDS], learn = new double[ROUNDS], retrieval = new double[ROUNDS];
            double[] encode = new double[ROUNDS], onnx = new double[ROUNDS], serde = new double[ROUNDS];
            UserStateSerde stateSerde = new UserStateSerde();
            for (UserState s : states) {
                s.modelVersion(m.version());
                for (int e = 0; e < 50; e++) s.rememberEvent(m.items().movieId(rnd.nextInt(m.itemCount())), 4f, Float.NaN, 50);
            }
            long stateBytes = 0;
            for (UserState s : states) stateBytes += stateSerde.serialize("t", s).length;
            float[] out = new float[candidates * 2];
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
                    int u = rnd.nextInt(users);
                    UserState s = states[u];
                    int item = rnd.nextInt(m.itemCount());
                    learner.predictRating(s, item);
                    learner.learn(u, s, m.items().movieId(item), item, 0.5f + rnd.nextInt(10) * 0.5f, Float.NaN, 0L);
                }
                long t2 = THREADS.getCurrentThreadCpuTime();
                for (int e = 0; e < reps; e++) {
                    UserState s = states[rnd.nextInt(users)];
                    retriever.topK(s.retrievalVector(), candidates, i -> false, heap, cand, candScores);
                }
                long t3 = THREADS.getCurrentThreadCpuTime();
                for (int e = 0; e < reps; e++) pipeline.encodeCandidates(states[rnd.nextInt(users)], i -> false);
                long t4 = THREADS.getCurrentThreadCpuTime();
                int rowsN = pipeline.encodeCandidates(states[0], i -> false);
                var rows = pipeline.rows();
                for (int e = 0; e < reps; e++) {
                    ranker.score(rowsN, rows.user(), rows.item(), rows.itemFeatures(), rows.userFeatures(), rows.pairFeatures(), out);
                }
                long t5 = THREADS.getCurrentThreadCpuTime();
                for (int e = 0; e < reps; e++) {
                    int u = rnd.nextInt(users);
                    // as the store does per event; the states stay float in memory (rounding is the store's business)
                    if (stateSerde.deserialize("t", stateSerde.serialize("t", states[u])) == null) throw new AssertionError();
                }
                long t6 = THREADS.getCurrentThreadCpuTime();
                serde[r] = (t6 - t5) / 1e3 / reps;
                event[r] = (t1 - t0) / 1e3 / reps;
                learn[r] = (t2 - t1) / 1e3 / reps;
                retrieval[r] = (t3 - t2) / 1e3 / reps;
                encode[r] = (t4 - t3) / 1e3 / reps;
                onnx[r] = (t5 - t4) / 1e3 / reps;
            }
            double ev = Median.of(event), le = Median.of(learn), re = Median.of(retrieval), en = Median.of(encode), on = Median.of(onnx);
            System.out.printf("%-34s %,9d %5d %9.1f %10.1f %12.1f %11.1f %9.1f %9.1f %9.1f %,11d%n", label, m.itemCount(), candidates,
                    ev, le, re, en, on, ev - le - en - on, Median.of(serde), stateBytes / users);
        }
    }
}
