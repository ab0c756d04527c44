package io.streamrec.trainer.train;

import io.streamrec.core.coldstart.MovieFeatureMap;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.rank.Ranker;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.eval.ServingReplay;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Chooses the cold-start map's offset on the predicted retrieval bias ({@link MovieFeatureMap#retrievalBiasOffset()})
 * the way it is used, on the training part only: the training events are sorted in time, factor models are fitted on
 * the first 80%, the map is fitted on that model's movies, and the last 20% (the validation slice) are replayed through
 * the serving path (online users, the chosen online step, known users warm-started) with every movie first rated in the
 * slice given its mapped vectors just before its first event, once per candidate offset; the offset with the best
 * HR@10 over all the slice's events wins (ties: the smaller change). Never the data a protocol reports on.
 *
 * <p>Why an offset: the regression predicts the retrieval bias of an established movie of those genres and year, and
 * the retrieval bias absorbs popularity (recent movies in a training set are the much-rated ones), while a movie on its
 * first day has had no audience yet; ranked at an established movie's popularity it takes list slots it rarely hits.
 * Candidates: the gap between the trained and the predicted bias of the trained movies with the fewest events
 * ({@link #FEW_EVENTS} or fewer), and multiples of the trained biases' standard deviation.
 */
public final class ColdStartTuning {
    /** Offsets tried, in standard deviations of the trained retrieval biases (0 first: the map as fitted). */
    static final float[] SIGMAS = {0f, -0.5f, -1f, -2f, -3f};
    /** "Few events": trained movies with at most this many events in the fitted part. */
    static final int FEW_EVENTS = 3;
    public static final String PHASE = "cold-start tuning";

    private ColdStartTuning() {}

    /** The chosen offset; what was tried goes to {@code choices.coldStartTuning}. */
    static float choose(Interactions trainEvents, Indexed idx, MfTrainer.Params mfParams, TrainConfig cfg, Ranker net,
                        float rankerWeight, Map<String, Object> choices, EpochListener listener) {
        Interactions sorted = trainEvents.sortedByTime();
        int cut = (int) Math.floor(sorted.size() * 0.8);
        if (sorted.size() - cut < 20) return 0f;
        Interactions early = sorted.subset(range(0, cut)), late = sorted.subset(range(cut, sorted.size()));
        ModelTrainer.Fitted f = ModelTrainer.fit(early, idx, mfParams, cfg, "cold-start-tuning", listener);
        RecommenderModel m = f.model();
        Set<Integer> cold = coldMovies(m, late);
        Map<String, Object> tried = new LinkedHashMap<>();
        tried.put("validationEvents", late.size());
        tried.put("coldMovies", cold.size());
        if (cold.isEmpty()) {
            choices.put("coldStartTuning", tried);
            return 0f;
        }
        MovieFeatureMap map = MovieFeatureMap.fit(m);
        Diagnosis dx = diagnose(m, map);
        tried.put("retrievalBiasStd", dx.std());
        tried.put("fewEventsBiasGap", dx.fewEventsGap());
        tried.put("fewEventsMovies", dx.fewEventsMovies());
        float[] offsets = new float[SIGMAS.length + 1];
        for (int k = 0; k < SIGMAS.length; k++) offsets[k] = (float) (SIGMAS[k] * dx.std());
        offsets[SIGMAS.length] = (float) dx.fewEventsGap();
        ServingReplay replay = new ServingReplay(m, net, rankerWeight, cfg.candidates(), new WarmStarts(m, f.mf(), f.bpr(), idx, early));
        Map<String, Double> hr = new LinkedHashMap<>(), share = new LinkedHashMap<>(), coldHits = new LinkedHashMap<>();
        float best = 0f;
        double bestHr = -1;
        for (int k = 0; k < offsets.length; k++) {
            float offset = offsets[k];
            ListShare s = new ListShare(cold::contains);
            ServingReplay.Result r = replay.runWithArrivals(late, ServingReplay.Mode.ONLINE_USERS,
                    map.withRetrievalBiasOffset(offset), ServingReplay.Arrival.AT_FIRST_EVENT, cold::contains, s);
            listener.epochDone(PHASE, k + 1, offsets.length, r.hitRate(), Double.NaN);
            String key = String.format(java.util.Locale.ROOT, "%.4f", offset)
                    + (k < SIGMAS.length ? " (" + SIGMAS[k] + " sd)" : " (few-events gap)");
            hr.put(key, r.hitRate());
            share.put(key, s.share());
            coldHits.put(key, (double) r.focus().hits());
            if (r.hitRate() > bestHr + 1e-9 || (Math.abs(r.hitRate() - bestHr) <= 1e-9 && Math.abs(offset) < Math.abs(best))) {
                bestHr = r.hitRate();
                best = offset;
            }
        }
        tried.put("HR@10", hr);
        tried.put("coldListShare", share);
        tried.put("coldHits", coldHits);
        tried.put("chosen", best);
        choices.put("coldStartTuning", tried);
        return best;
    }

    /** Movies with events in {@code later} that {@code m} has no trained vectors for. */
    public static Set<Integer> coldMovies(RecommenderModel m, Interactions later) {
        Set<Integer> cold = new HashSet<>();
        for (int e = 0; e < later.size(); e++) {
            int item = m.items().indexOf(later.movieId(e));
            if (item < 0 || !m.trained(item)) cold.add(later.movieId(e));
        }
        return cold;
    }

    /**
     * The trained retrieval biases' standard deviation, and the mean of (trained − predicted) bias over the trained
     * movies with at most {@link #FEW_EVENTS} events: how far the map's bias sits above what little-seen movies have.
     */
    public record Diagnosis(double std, double fewEventsGap, int fewEventsMovies, double meanPredictedBias, double meanTrainedBias) {}

    public static Diagnosis diagnose(RecommenderModel m, MovieFeatureMap map) {
        double sum = 0, sq = 0, gap = 0, pred = 0;
        int n = 0, few = 0;
        float[] out = new float[map.outputs()];
        for (int i = 0; i < m.itemCount(); i++) {
            if (!m.trained(i)) continue;
            double c = m.retrievalBias(i);
            sum += c;
            sq += c * c;
            n++;
            map.predict(m.movie(i), out);
            pred += out[out.length - 1];
            if (m.popularity(i) <= FEW_EVENTS) {
                gap += c - out[out.length - 1];
                few++;
            }
        }
        double mean = sum / Math.max(1, n);
        return new Diagnosis(Math.sqrt(Math.max(0, sq / Math.max(1, n) - mean * mean)), few == 0 ? 0 : gap / few, few,
                pred / Math.max(1, n), mean);
    }

    /** Counts the list slots held by movies {@code cold} accepts, over every list made. */
    public static final class ListShare implements ServingReplay.ListSink {
        private final IntPredicate cold;
        private long slots, coldSlots;

        public ListShare(IntPredicate cold) {
            this.cold = cold;
        }

        @Override
        public void list(int userId, long eventCount, int[] movieIds, int n) {
            for (int r = 1; r <= n; r++) {
                slots++;
                if (cold.test(movieIds[r])) coldSlots++;
            }
        }

        /** Cold movies' share of all list slots. */
        public double share() {
            return slots == 0 ? Double.NaN : (double) coldSlots / slots;
        }
    }

    private static int[] range(int from, int to) {
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) a[i] = from + i;
        return a;
    }
}
