package io.streamrec.trainer.eval;

import io.streamrec.core.events.RatingScale;
import io.streamrec.core.learn.BiasedMf;
import io.streamrec.core.learn.SgdParams;
import io.streamrec.core.metrics.ErrorStats;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.model.ModelDirectory;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.Ratings;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.TrainedModel;
import io.streamrec.trainer.train.WarmStarts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * The protocol that describes what is served (design.md, "Streaming"): all events sorted by
 * (timestamp, line); the first 80% train a model exactly as {@code train} does (its online rates
 * tuned on the last 20% in time of that part), written to a model directory and read back as the
 * app reads it, its network scored by ONNX Runtime; the last 20% are replayed through the serving
 * path ({@link ServingReplay}), predicting before learning each event. Users the training part
 * knows start from their batch vectors and history; the others from the prior.
 *
 * <p>Rows: {@code frozen model} (no vector moves), {@code online users} (the app's step),
 * {@code online users + items} (movies learn too), {@code online biases} (the batch model's μ,
 * b_u, b_i updated online with the chosen rating step's rate and L2; ratings only) and
 * {@code incremental popularity} (counts over the training part plus the stream so far, the
 * user's seen movies excluded). HR@10 / NDCG@10: the event's movie in the list the user held just
 * before it. events/s: the served step (predict, learn, a new list) over the replay.
 */
public final class StreamingEvaluation {
    static final double TRAIN_FRACTION = 0.8;

    private StreamingEvaluation() {}

    /** The table, and what the training part's tuning chose for the online step (manifest "choices"). */
    public record Outcome(List<Row> rows, Map<String, Object> choices) {}

    public static Outcome run(Dataset all, TrainConfig cfg, EpochListener listener) {
        return run(all, cfg, listener, new int[0]);
    }

    /**
     * As {@link #run(Dataset, TrainConfig, EpochListener)}, plus an {@code online users, N candidates} and an
     * {@code online users + items, N candidates} row per entry of {@code servedCandidates}: the same trained model
     * served with N candidates per list (the app's {@code recommend.candidates}), so quality can be weighed against
     * the ranking network's cost, which grows with N, with items learning online or not.
     */
    public static Outcome run(Dataset all, TrainConfig cfg, EpochListener listener, int[] servedCandidates) {
        Interactions sorted = all.events().sortedByTime();
        int cut = (int) Math.floor(sorted.size() * TRAIN_FRACTION);
        Interactions trainEv = sorted.slice(0, cut), test = sorted.slice(cut, sorted.size());
        Dataset train = new Dataset(all.name() + " (first 80% in time)", all.movies(), trainEv, all.summary());
        Indexed idx = Indexed.of(all);
        TrainedModel tm = ModelTrainer.train(train, idx, cfg, "eval-streaming", listener);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("streamrec-streaming-");
            ModelDirectory.write(dir, tm.contents(Map.of()));
            ModelDirectory.Loaded loaded = ModelDirectory.read(dir);
            RecommenderModel m = loaded.model();
            WarmStarts warm = new WarmStarts(m, tm.mf(), tm.bpr(), idx, trainEv);
            int maxBatch = cfg.candidates();
            for (int c : servedCandidates) maxBatch = Math.max(maxBatch, c);
            try (OnnxRanker ranker = OnnxRanker.load(loaded.onnx(), m.featureSpec(), maxBatch, 1)) {
                ServingReplay replay = new ServingReplay(m, ranker, loaded.rankerWeight(), cfg.candidates(), warm);
                ServingReplay.Result frozen = replay.run(test, ServingReplay.Mode.FROZEN, true);
                ServingReplay.Result users = replay.run(test, ServingReplay.Mode.ONLINE_USERS, true);
                ServingReplay.Result items = replay.run(test, ServingReplay.Mode.ONLINE_USERS_AND_ITEMS, true);
                ErrorStats biases = onlineBiases(tm, m, idx, test);
                double[] pop = incrementalPopularity(idx, trainEv, test);
                List<Row> rows = new ArrayList<>(List.of(
                        row("frozen model", frozen),
                        row("online users", users),
                        row("online users + items", items),
                        Row.of("online biases", "RMSE", biases.rmse(), "MAE", biases.mae(), "HR@10", Double.NaN,
                                "NDCG@10", Double.NaN, "events/s", Double.NaN),
                        Row.of("incremental popularity", "RMSE", Double.NaN, "MAE", Double.NaN, "HR@10", pop[0],
                                "NDCG@10", pop[1], "events/s", Double.NaN)));
                for (int c : servedCandidates) {
                    ServingReplay served = new ServingReplay(m, ranker, loaded.rankerWeight(), c, warm);
                    rows.add(row("online users, " + c + " candidates", served.run(test, ServingReplay.Mode.ONLINE_USERS, true)));
                    rows.add(row("online users + items, " + c + " candidates",
                            served.run(test, ServingReplay.Mode.ONLINE_USERS_AND_ITEMS, true)));
                }
                return new Outcome(List.copyOf(rows), tm.choices());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    private static Row row(String name, ServingReplay.Result r) {
        return Row.of(name, "RMSE", r.rmse(), "MAE", r.mae(), "HR@10", r.hitRate(), "NDCG@10", r.ndcg(),
                "events/s", r.eventsPerSecond());
    }

    /** μ + b_u + b_i from the batch rating model, both biases stepped per rating with the chosen rate and bias L2. */
    static ErrorStats onlineBiases(TrainedModel tm, RecommenderModel m, Indexed idx, Interactions test) {
        float mu = tm.mf().mu();
        float[] bu = tm.mf().userBias().clone(), bi = m.ratingBiases().clone();
        boolean[] knownUser = new boolean[idx.userCount()];
        for (int u = 0; u < knownUser.length; u++) knownUser[u] = tm.userEvents()[u] > 0;
        SgdParams user = m.online().rating(), item = m.online().itemRating();
        SgdParams userBias = new SgdParams(user.learningRate(), 0f, user.biasReg());
        SgdParams itemBias = new SgdParams(item.learningRate(), 0f, item.biasReg());
        for (int u = 0; u < bu.length; u++) if (!knownUser[u]) bu[u] = 0f;
        ErrorStats err = new ErrorStats();
        for (int e = 0; e < test.size(); e++) {
            float r = test.rating(e);
            if (Float.isNaN(r)) continue;
            int u = idx.user(test.userId(e)), i = idx.item(test.movieId(e));
            boolean trained = i >= 0 && m.trained(i);
            float pred = mu + bu[u] + (trained ? bi[i] : 0f);
            err.add(RatingScale.clip(pred), r);
            float e1 = r - pred;
            bu[u] = BiasedMf.biasStep(e1, bu[u], userBias);
            if (trained) bi[i] = BiasedMf.biasStep(e1, bi[i], itemBias);
        }
        return err;
    }

    /** HR@10 and NDCG@10 of the most consumed movies so far (training part + stream), the user's seen excluded. */
    static double[] incrementalPopularity(Indexed idx, Interactions train, Interactions test) {
        int items = idx.itemCount();
        long[] count = new long[items];
        BitSet[] seen = new BitSet[idx.userCount()];
        for (int i = 0; i < train.size(); i++) {
            int it = idx.item(train.movieId(i)), u = idx.user(train.userId(i));
            count[it]++;
            (seen[u] == null ? seen[u] = new BitSet() : seen[u]).set(it);
        }
        TopK heap = new TopK(ServingReplay.K);
        int[] top = new int[ServingReplay.K];
        float[] scores = new float[ServingReplay.K];
        long hits = 0;
        double ndcg = 0;
        for (int e = 0; e < test.size(); e++) {
            int it = idx.item(test.movieId(e)), u = idx.user(test.userId(e));
            BitSet s = seen[u] == null ? seen[u] = new BitSet() : seen[u];
            heap.reset(ServingReplay.K);
            for (int j = 0; j < items; j++) {
                if (count[j] > 0 && !s.get(j) && count[j] >= heap.threshold()) heap.offer(j, count[j]);
            }
            int n = heap.drainSorted(top, scores);
            for (int r = 0; r < n; r++) {
                if (top[r] == it) {
                    hits++;
                    ndcg += 1.0 / (Math.log(r + 2) / Math.log(2));
                    break;
                }
            }
            count[it]++;
            s.set(it);
        }
        return new double[] {(double) hits / Math.max(1, test.size()), ndcg / Math.max(1, test.size())};
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is not worth failing the evaluation for
        }
    }
}
