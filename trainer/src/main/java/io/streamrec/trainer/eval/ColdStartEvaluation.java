package io.streamrec.trainer.eval;

import io.streamrec.core.coldstart.MovieFeatureMap;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.model.ModelDirectory;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.TrainedModel;
import io.streamrec.trainer.train.WarmStarts;
import io.streamrec.trainer.train.ColdStartTuning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cold-start movies in the streaming protocol ({@link StreamingEvaluation}'s split and model: the first 80% of events
 * in time train, the last 20% are replayed through the serving path). The movies first rated in the replayed part have
 * no trained vectors; without the feature map they are never retrieved. With it, each gets its vectors from the map
 * exported in the model directory ({@link ModelDirectory#readFeatureMap}) just before its first event (its catalogue
 * entry precedes its first rating; that first event itself cannot be a hit, the user's list was made before), enters
 * the retriever, and with online items learns from its events. One more row gives every such movie its vectors before
 * the replay starts (the catalogue known in advance: an upper bound).
 *
 * <p>Columns: the usual HR@10 / NDCG@10 / RMSE over all replayed events; {@code cold HR@10 share}: hits on cold movies
 * divided by all replayed events (their contribution to HR@10); {@code cold hits}, {@code cold events}; {@code cold
 * RMSE}: ratings of cold movies (without the map: μ + b_u).
 */
public final class ColdStartEvaluation {
    private ColdStartEvaluation() {}

    /** The table, and what explains it: the offset chosen on validation and the bias diagnosis on this model. */
    public record Outcome(List<Row> rows, Map<String, Object> details) {}

    public static List<Row> run(Dataset all, TrainConfig cfg, EpochListener listener) {
        return runWithDetails(all, cfg, listener).rows();
    }

    public static Outcome runWithDetails(Dataset all, TrainConfig cfg, EpochListener listener) {
        Interactions sorted = all.events().sortedByTime();
        int cut = (int) Math.floor(sorted.size() * StreamingEvaluation.TRAIN_FRACTION);
        Interactions trainEv = sorted.slice(0, cut), test = sorted.slice(cut, sorted.size());
        Dataset train = new Dataset(all.name() + " (first 80% in time)", all.movies(), trainEv, all.summary());
        Indexed idx = Indexed.of(all);
        TrainedModel tm = ModelTrainer.train(train, idx, cfg, "eval-coldstart", listener);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("streamrec-coldstart-");
            ModelDirectory.write(dir, tm.contents(Map.of()));
            ModelDirectory.Loaded loaded = ModelDirectory.read(dir);
            RecommenderModel m = loaded.model();
            MovieFeatureMap map = ModelDirectory.readFeatureMap(dir)
                    .orElseThrow(() -> new IllegalStateException("the trained model directory has no feature map"));
            MovieFeatureMap asFitted = ColdStartTuning.Choice.NONE.applyTo(map);
            Set<Integer> cold = ColdStartTuning.coldMovies(m, test);
            WarmStarts warm = new WarmStarts(m, tm.mf(), tm.bpr(), idx, trainEv);
            List<Row> rows = new ArrayList<>();
            try (OnnxRanker ranker = OnnxRanker.load(loaded.onnx(), m.featureSpec(), cfg.candidates(), 1)) {
                ServingReplay replay = new ServingReplay(m, ranker, loaded.rankerWeight(), cfg.candidates(), warm);
                // as fitted: users take a full step on mapped movies, as before the step was chosen
                ServingReplay fullStep = new ServingReplay(m.withMappedUserStep(1f), ranker, loaded.rankerWeight(),
                        cfg.candidates(), warm);
                for (ServingReplay.Mode mode : List.of(ServingReplay.Mode.ONLINE_USERS, ServingReplay.Mode.ONLINE_USERS_AND_ITEMS)) {
                    String name = mode == ServingReplay.Mode.ONLINE_USERS ? "online users" : "online users + items";
                    rows.add(row(name + ", no map", cold, replay, test, mode, null, null));
                    rows.add(row(name + ", map at first event, as fitted", cold, fullStep, test, mode, asFitted,
                            ServingReplay.Arrival.AT_FIRST_EVENT));
                    rows.add(row(name + ", map at first event", cold, replay, test, mode, map, ServingReplay.Arrival.AT_FIRST_EVENT));
                }
                rows.add(row("online users + items, map at start", cold, replay, test, ServingReplay.Mode.ONLINE_USERS_AND_ITEMS,
                        map, ServingReplay.Arrival.AT_START));
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("retrievalBiasOffset", map.retrievalBiasOffset());
            details.put("mappedUserStep", map.mappedUserStep());
            details.put("chosenOnValidation", tm.choices().get("coldStartTuning"));
            ColdStartTuning.Diagnosis dx = ColdStartTuning.diagnose(m, asFitted);
            float[] out = new float[asFitted.outputs()];
            double coldPredicted = 0;
            for (int id : cold) {
                int i = m.items().indexOf(id);
                asFitted.predict(i >= 0 ? m.movie(i) : new io.streamrec.core.features.MovieMeta(id, "", List.of(), 0), out);
                coldPredicted += out[out.length - 1];
            }
            Map<String, Object> bias = new LinkedHashMap<>();
            bias.put("trainedMean", dx.meanTrainedBias());
            bias.put("trainedStd", dx.std());
            bias.put("predictedMeanOverTrained", dx.meanPredictedBias());
            bias.put("predictedMeanOverColdMovies", coldPredicted / Math.max(1, cold.size()));
            bias.put("fewEventsMovies", dx.fewEventsMovies());
            bias.put("fewEventsTrainedMinusPredicted", dx.fewEventsGap());
            details.put("retrievalBiasAsFitted", bias);
            return new Outcome(rows, details);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) StreamingEvaluation.deleteQuietly(dir);
        }
    }

    private static Row row(String name, Set<Integer> cold, ServingReplay replay, Interactions test, ServingReplay.Mode mode,
                           MovieFeatureMap map, ServingReplay.Arrival arrival) {
        ColdStartTuning.ListShare share = new ColdStartTuning.ListShare(cold::contains);
        ServingReplay.Result r = replay.runWithArrivals(test, mode, map, arrival, cold::contains, share);
        ServingReplay.Result c = r.focus();
        return Row.of(name, "HR@10", r.hitRate(), "NDCG@10", r.ndcg(), "RMSE", r.rmse(),
                "cold HR@10 share", (double) c.hits() / Math.max(1, r.events()), "cold hits", c.hits(),
                "cold list share", share.share(), "cold events", c.events(), "cold movies", cold.size(), "cold RMSE", c.rmse(),
                "bias offset", map == null ? Double.NaN : map.retrievalBiasOffset(),
                "user step", map == null ? Double.NaN : map.mappedUserStep(), "events/s", r.eventsPerSecond());
    }
}
