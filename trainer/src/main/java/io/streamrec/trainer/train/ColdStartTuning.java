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
 * Chooses how the cold-start map is used, on the training part only: the training events are sorted in time, factor
 * models are fitted on the first 80%, the map is fitted on that model's movies, and the last 20% (the validation
 * slice) are replayed through the serving path (online users, the chosen online step, known users warm-started) with
 * every movie first rated in the slice given its mapped vectors just before its first event, once per candidate; the
 * best HR@10 over all the slice's events wins (ties: the earlier candidate, the smaller change). Never the data a
 * protocol reports on. Coordinate search:
 * <ol>
 *   <li>the user step on an event of a mapped movie ({@link MovieFeatureMap#mappedUserStep()}, applied by
 *       {@code RecommenderModel#userStepFactor}): measured on ml-latest-small, mapped movies hold about 0.01% of the
 *       list slots, so they cost HR@10 not by taking slots but through the users who rate them: a full step pulls
 *       the user's vectors towards a genre's average vector;</li>
 *   <li>an offset on the predicted retrieval bias ({@link MovieFeatureMap#retrievalBiasOffset()}): the regression
 *       predicts the bias of an established movie, which absorbs popularity, while a new movie has had no audience.</li>
 * </ol>
 */
public final class ColdStartTuning {
    /** User-step factors on mapped movies tried first (1: a full step, as for trained movies). */
    static final float[] USER_STEPS = {1f, 0.5f, 0.2f, 0f};
    /** Then offsets on the predicted retrieval bias, in standard deviations of the trained retrieval biases. */
    static final float[] OFFSET_SIGMAS = {-0.5f, -1f};
    /** Fewer events of new movies in the validation slice than this: not tuned (the map as fitted, a full step). */
    static final int MIN_COLD_EVENTS = 100;
    /** "Few events": trained movies with at most this many events in the fitted part. */
    static final int FEW_EVENTS = 3;
    public static final String PHASE = "cold-start tuning";

    private ColdStartTuning() {}

    /** What the map is exported with: the offset on the predicted retrieval bias, the user-step factor on mapped movies. */
    public record Choice(float retrievalBiasOffset, float mappedUserStep) {
        public static final Choice NONE = new Choice(0f, 1f);

        public MovieFeatureMap applyTo(MovieFeatureMap map) {
            return map.withRetrievalBiasOffset(retrievalBiasOffset).withMappedUserStep(mappedUserStep);
        }
    }

    /** The chosen settings; what was tried goes to {@code choices.coldStartTuning}. */
    static Choice choose(ValidationSlice slice, Indexed idx, TrainConfig cfg, Ranker net,
                         float rankerWeight, Map<String, Object> choices, EpochListener listener) {
        if (slice == null) return Choice.NONE;
        Interactions early = slice.early(), late = slice.late();
        // the slice's new movies, known before fitting anything: without enough of them there is nothing to choose on
        Set<Integer> seenEarly = new HashSet<>();
        for (int e = 0; e < early.size(); e++) seenEarly.add(early.movieId(e));
        Set<Integer> cold = new HashSet<>();
        int coldEvents = 0;
        for (int e = 0; e < late.size(); e++) {
            if (!seenEarly.contains(late.movieId(e))) {
                cold.add(late.movieId(e));
                coldEvents++;
            }
        }
        Map<String, Object> tried = new LinkedHashMap<>();
        tried.put("validationEvents", late.size());
        tried.put("coldMovies", cold.size());
        tried.put("coldEvents", coldEvents);
        if (coldEvents < MIN_COLD_EVENTS) {
            tried.put("chosen", "not tuned: fewer than " + MIN_COLD_EVENTS + " events of new movies in the validation slice");
            choices.put("coldStartTuning", tried);
            return Choice.NONE;
        }
        ModelTrainer.Fitted f = slice.fitted();
        RecommenderModel m = f.model().withOnline(cfg.online());
        MovieFeatureMap map = MovieFeatureMap.fit(m);
        Diagnosis dx = diagnose(m, map);
        tried.put("retrievalBiasStd", dx.std());
        tried.put("fewEventsBiasGap", dx.fewEventsGap());
        tried.put("fewEventsMovies", dx.fewEventsMovies());
        WarmStarts warm = new WarmStarts(m, f.mf(), f.bpr(), idx, early);
        Map<String, Double> hr = new LinkedHashMap<>(), share = new LinkedHashMap<>(), coldHits = new LinkedHashMap<>();
        int total = USER_STEPS.length + OFFSET_SIGMAS.length, done = 0;
        // 1. the user step on mapped movies (offset 0)
        Choice best = Choice.NONE;
        double bestHr = -1;
        for (float step : USER_STEPS) {
            Choice c = new Choice(0f, step);
            double h = replay(m, net, rankerWeight, cfg, warm, late, cold, map, c, hr, share, coldHits);
            listener.epochDone(PHASE, ++done, total, h, Double.NaN);
            if (h > bestHr + 1e-9) {
                bestHr = h;
                best = c;
            }
        }
        // 2. the offset on the predicted retrieval bias, with that step (ties: the smaller change)
        Choice stepChosen = best;
        for (float sigmas : OFFSET_SIGMAS) {
            Choice c = new Choice((float) (sigmas * dx.std()), stepChosen.mappedUserStep());
            double h = replay(m, net, rankerWeight, cfg, warm, late, cold, map, c, hr, share, coldHits);
            listener.epochDone(PHASE, ++done, total, h, Double.NaN);
            if (h > bestHr + 1e-9) {
                bestHr = h;
                best = c;
            }
        }
        tried.put("HR@10", hr);
        tried.put("coldListShare", share);
        tried.put("coldHits", coldHits);
        tried.put("chosen", best.toString());
        choices.put("coldStartTuning", tried);
        return best;
    }

    /** One replay of the validation slice with the map exported as {@code c}; records its results under its name. */
    private static double replay(RecommenderModel m, Ranker net, float rankerWeight, TrainConfig cfg, WarmStarts warm,
                                 Interactions late, Set<Integer> cold, MovieFeatureMap map, Choice c, Map<String, Double> hr,
                                 Map<String, Double> share, Map<String, Double> coldHits) {
        ServingReplay replay = new ServingReplay(m.withMappedUserStep(c.mappedUserStep()), net, rankerWeight, cfg.candidates(), warm);
        ListShare s = new ListShare(cold::contains);
        ServingReplay.Result r = replay.runWithArrivals(late, ServingReplay.Mode.ONLINE_USERS, c.applyTo(map),
                ServingReplay.Arrival.AT_FIRST_EVENT, cold::contains, s);
        String key = String.format(java.util.Locale.ROOT, "offset %.4f, user step %.2f", c.retrievalBiasOffset(), c.mappedUserStep());
        hr.put(key, r.hitRate());
        share.put(key, s.share());
        coldHits.put(key, (double) r.focus().hits());
        return r.hitRate();
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
}
