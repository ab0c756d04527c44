package io.streamrec.trainer.train;

import io.streamrec.core.events.RatingScale;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.metrics.ErrorStats;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.trainer.rank.Examples;
import io.streamrec.trainer.rank.HeadLoss;
import io.streamrec.core.rank.Mlp;
import io.streamrec.trainer.rank.MlpTrainer;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.rank.RankerNetwork;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.eval.Splits;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training procedure:
 * <ol>
 *   <li>choose the rating model's L2 and epoch count on a random 10% of the training ratings;</li>
 *   <li>split each user's training events in time (last 20% held out), fit the rating and
 *       retrieval models on the earlier part, and let the serving pipeline retrieve candidates
 *       for every user: held-out items among them are the ranking network's positives, sampled
 *       others its negatives, and held-out ratings teach its rating head the residual of the
 *       rating model. The network only ever sees features of models that did not train on its labels;</li>
 *   <li>choose the online step's rates ({@link OnlineTuning}) on the last 20% in time of the training
 *       events, replayed through the serving pipeline;</li>
 *   <li>refit both factor models on all training events and pair them with the network.</li>
 * </ol>
 */
public final class ModelTrainer {
    private ModelTrainer() {}

    public static TrainedModel train(Dataset train, Indexed idx, TrainConfig cfg, String version, EpochListener listener) {
        Map<String, Object> choices = new LinkedHashMap<>();
        MfTrainer.Params mfParams = chooseMf(train.events(), idx, cfg, listener, choices);

        // 2. the ranking network, on features of models fitted before its labels
        Splits.Split inner = Splits.temporalPerUser(train.events(), 0.2);
        Fitted a = fit(inner.train(), idx, mfParams, cfg, version + "-inner", listener);
        FeatureSpec spec = new FeatureSpec(cfg.dim());
        Map<Integer, List<Integer>> heldByUser = new LinkedHashMap<>();
        for (int i = 0; i < inner.test().size(); i++) {
            heldByUser.computeIfAbsent(idx.user(inner.test().userId(i)), k -> new ArrayList<>()).add(i);
        }
        // users in a shuffled but fixed order; the last 10% are the network's validation users
        List<Integer> users = new ArrayList<>(heldByUser.keySet());
        java.util.Collections.shuffle(users, new java.util.Random(cfg.seed()));
        int validationUsers = Math.max(1, users.size() / 10);
        List<Integer> trainUsers = users.subList(0, users.size() - validationUsers);
        List<Integer> valUsers = users.subList(users.size() - validationUsers, users.size());
        ExampleBuffer examples = buildExamples(a, inner.test(), heldByUser, trainUsers, idx, cfg);
        int validationFrom = examples.rows();
        buildExamples(a, inner.test(), heldByUser, valUsers, idx, cfg, examples);
        Examples[] sets = examples.split(r -> r >= validationFrom);
        int[] sizes = new int[cfg.hidden().length + 2];
        sizes[0] = spec.inputSize();
        System.arraycopy(cfg.hidden(), 0, sizes, 1, cfg.hidden().length);
        sizes[sizes.length - 1] = Ranker.OUTPUTS;
        MlpTrainer trainer = new MlpTrainer(new HeadLoss[] {HeadLoss.LOGISTIC, HeadLoss.SQUARED},
                new MlpTrainer.Options(cfg.rankerEpochs(), 256, 1e-3f, 1e-4f, 3, cfg.seed()));
        MlpTrainer.Result result = trainer.train(Mlp.initialise(sizes, cfg.seed()), sets[0], sets[1], "ranking network", listener);
        List<double[]> curve = result.history().stream().map(l -> new double[] {l.epoch(), l.train(), l.validation()}).toList();
        choices.put("rankerExamples", examples.rows());
        choices.put("rankerBestEpoch", result.bestEpoch());
        Mlp mlp = result.best();
        // the validation users' batch states, built once for both choices (serving reads them, never writes)
        UserState[] valStates = new UserState[idx.userCount()];
        for (int u : valUsers) valStates[u] = a.state(u);
        float weight = chooseRankerWeight(a, valStates, new RankerNetwork(spec, mlp), inner.test(), heldByUser, valUsers, idx, cfg, choices);
        float ratingHead = chooseRatingHeadWeight(a, valStates, spec, mlp, inner.test(), heldByUser, valUsers, idx, cfg, choices);
        mlp = mlp.withOutputScaled(Ranker.OUTPUT_RATING, ratingHead);

        // 3. the online step's rates, on the last 20% in time of the training events replayed through serving
        ValidationSlice slice = cfg.tuneOnline() ? ValidationSlice.of(train.events(), idx, mfParams, cfg, listener) : null;
        OnlineConfig online = cfg.tuneOnline()
                ? OnlineTuning.choose(slice, idx, cfg, new RankerNetwork(spec, mlp), weight, choices, listener)
                : cfg.online();

        // 4. how the cold-start map is used (mapped movies' user step, retrieval-bias offset), on the same slice
        ColdStartTuning.Choice coldStart = cfg.tuneOnline()
                ? ColdStartTuning.choose(slice, idx, cfg.withOnline(online), new RankerNetwork(spec, mlp),
                        weight, choices, listener)
                : ColdStartTuning.Choice.NONE;

        // 5. final factor models on everything
        Fitted b = fit(train.events(), idx, mfParams, cfg.withOnline(online), version, listener);
        return new TrainedModel(b.model, new RankerNetwork(spec, mlp), weight, idx, b.mf, b.bpr, b.events, b.ratings,
                b.ratingSum, choices, curve, new WarmStarts(b.model, b.mf, b.bpr, idx, train.events()), coldStart);
    }

    private static MfTrainer.Params chooseMf(Interactions events, Indexed idx, TrainConfig cfg, EpochListener listener,
                                             Map<String, Object> choices) {
        Splits.Split s = Splits.randomRatings(events, 0.9, cfg.seed() + 1);
        Ratings tr = Ratings.of(s.train(), idx), va = Ratings.of(s.test(), idx);
        if (va.size() == 0) return cfg.mf();
        MfTrainer.Model best = null;
        float bestReg = cfg.mf().reg();
        for (float reg : cfg.mfRegGrid()) {
            MfTrainer.Model m = MfTrainer.train(tr, idx.userCount(), idx.itemCount(), cfg.mf().withReg(reg), va, listener);
            if (best == null || m.validationRmse() < best.validationRmse()) {
                best = m;
                bestReg = reg;
            }
        }
        choices.put("mfReg", bestReg);
        choices.put("mfEpochs", best.epochs());
        choices.put("mfValidationRmse", best.validationRmse());
        return cfg.mf().withReg(bestReg).withEpochs(best.epochs());
    }

    /** Both factor models fitted on a set of events, and the serving model made of them. */
    record Fitted(RecommenderModel model, MfTrainer.Model mf, BprTrainer.Model bpr, long[] events, long[] ratings,
                  double[] ratingSum, BitSet[] seen) {
        UserState state(int user) {
            return TrainedModel.batchState(model, mf, bpr, user, events[user], ratings[user], ratingSum[user]);
        }
    }

    static Fitted fit(Interactions events, Indexed idx, MfTrainer.Params mfParams, TrainConfig cfg, String version,
                      EpochListener listener) {
        int users = idx.userCount(), items = idx.itemCount(), d = cfg.dim();
        MfTrainer.Model mf = MfTrainer.train(Ratings.of(events, idx), users, items, mfParams, null, listener);
        BprTrainer.Model bpr = BprTrainer.train(Positives.of(events, idx, cfg.online().minWatchWeight()), users, items, cfg.bpr(), listener);
        long[] pop = new long[items], ev = new long[users], nr = new long[users];
        double[] sum = new double[users];
        BitSet[] seen = new BitSet[users];
        for (int u = 0; u < users; u++) seen[u] = new BitSet();
        for (int i = 0; i < events.size(); i++) {
            int u = idx.user(events.userId(i)), it = idx.item(events.movieId(i));
            pop[it]++;
            ev[u]++;
            seen[u].set(it);
            if (!Float.isNaN(events.rating(i))) {
                nr[u]++;
                sum[u] += events.rating(i);
            }
        }
        float[] q = mf.q().clone();
        int rd = mfParams.dim();
        for (int it = 0; it < items; it++) if (!mf.itemTrained()[it]) java.util.Arrays.fill(q, it * rd, it * rd + rd, 0f);
        RecommenderModel model = new RecommenderModel(version, d, mfParams.dim(), mf.mu(), idx.items, idx.movies, q, mf.itemBias(),
                bpr.v(), bpr.bias(), bpr.itemTrained(), pop, cfg.online());
        return new Fitted(model, mf, bpr, ev, nr, sum, seen);
    }

    /**
     * How much of the network's relevance correction to add to the retrieval score: the weight
     * with the best HR@10 on the validation users (0 means the network did not help there).
     */
    private static float chooseRankerWeight(Fitted a, UserState[] states, RankerNetwork net, Interactions holdout, Map<Integer, List<Integer>> heldByUser,
                                            List<Integer> valUsers, Indexed idx, TrainConfig cfg, Map<String, Object> choices) {
        float best = 0f;
        double bestHr = -1;
        Map<String, Double> tried = new LinkedHashMap<>();
        int[] top = new int[10];
        float[] scores = new float[10];
        for (float w : new float[] {0f, 0.25f, 0.5f, 1f}) {
            RecommendationPipeline p = new RecommendationPipeline(a.model, CandidateRetriever.forModel(a.model), net, cfg.candidates(), w);
            int hits = 0;
            for (int u : valUsers) {
                BitSet held = new BitSet();
                for (int i : heldByUser.get(u)) held.set(idx.item(holdout.movieId(i)));
                int n = p.recommend(states[u], a.seen[u]::get, 10, top, scores);
                for (int r = 0; r < n; r++) if (held.get(top[r])) { hits++; break; }
            }
            double hr = (double) hits / Math.max(1, valUsers.size());
            tried.put(Float.toString(w), hr);
            if (hr > bestHr + 1e-9) {
                bestHr = hr;
                best = w;
            }
        }
        choices.put("rankerWeightValidationHR@10", tried);
        choices.put("rankerWeight", best);
        return best;
    }

    /**
     * How much of the network's rating correction to add to the MF prediction: the weight with
     * the lowest RMSE on the validation users' held-out ratings (0 switches the head off).
     */
    private static float chooseRatingHeadWeight(Fitted a, UserState[] states, FeatureSpec spec, Mlp mlp, Interactions holdout,
                                                Map<Integer, List<Integer>> heldByUser, List<Integer> valUsers, Indexed idx,
                                                TrainConfig cfg, Map<String, Object> choices) {
        float best = 0f;
        double bestRmse = Double.MAX_VALUE;
        Map<String, Double> tried = new LinkedHashMap<>();
        for (float w : new float[] {0f, 0.5f, 1f}) {
            RankerNetwork net = new RankerNetwork(spec, mlp.withOutputScaled(Ranker.OUTPUT_RATING, w));
            RecommendationPipeline p = new RecommendationPipeline(a.model, CandidateRetriever.forModel(a.model), net, 1, 1f);
            ErrorStats err = new ErrorStats();
            for (int u : valUsers) {
                UserState state = states[u];
                for (int i : heldByUser.get(u)) {
                    float r = holdout.rating(i);
                    if (Float.isNaN(r)) continue;
                    err.add(RatingScale.clip(p.predictRating(state, idx.item(holdout.movieId(i)))), r);
                }
            }
            double rmse = err.rmse();
            tried.put(Float.toString(w), rmse);
            if (rmse < bestRmse - 1e-9) {
                bestRmse = rmse;
                best = w;
            }
        }
        choices.put("ratingHeadValidationRMSE", tried);
        choices.put("ratingHeadWeight", best);
        return best;
    }

    private static ExampleBuffer buildExamples(Fitted a, Interactions holdout, Map<Integer, List<Integer>> heldByUser,
                                               List<Integer> users, Indexed idx, TrainConfig cfg) {
        return buildExamples(a, holdout, heldByUser, users, idx, cfg, new ExampleBuffer(a.model.featureSpec()));
    }

    private static ExampleBuffer buildExamples(Fitted a, Interactions holdout, Map<Integer, List<Integer>> heldByUser,
                                               List<Integer> users, Indexed idx, TrainConfig cfg, ExampleBuffer buf) {
        RecommendationPipeline pipeline = new RecommendationPipeline(a.model, CandidateRetriever.forModel(a.model), null, cfg.candidates(), 1f);
        SplittableRandom rnd = new SplittableRandom(cfg.seed() + users.size());
        for (int u : users) {
            UserState state = a.state(u);
            BitSet seen = a.seen[u];
            Map<Integer, Float> held = new LinkedHashMap<>();
            for (int i : heldByUser.get(u)) held.put(idx.item(holdout.movieId(i)), holdout.rating(i));
            int n = pipeline.encodeCandidates(state, seen::get);
            RecommendationPipeline.FeatureRows rows = pipeline.rows();
            List<Integer> negatives = new ArrayList<>();
            BitSet added = new BitSet();
            for (int r = 0; r < n; r++) {
                int item = rows.items()[r];
                if (held.containsKey(item)) {
                    Float rating = held.get(item);
                    boolean rated = rating != null && !Float.isNaN(rating);
                    buf.add(rows, r, 1f, 1f, rated ? rating : 0f, rated ? 1f : 0f);
                    added.set(item);
                } else {
                    negatives.add(r);
                }
            }
            for (int k = 0; k < Math.min(cfg.negativesPerUser(), negatives.size()); k++) {
                int pick = k + rnd.nextInt(negatives.size() - k);
                java.util.Collections.swap(negatives, k, pick);
                buf.add(rows, negatives.get(k), 0f, 1f, 0f, 0f);
            }
            // held-out ratings outside the candidates still teach the rating head
            for (Map.Entry<Integer, Float> e : held.entrySet()) {
                int item = e.getKey();
                if (added.get(item) || Float.isNaN(e.getValue()) || !a.model.trained(item)) continue;
                pipeline.encodeSingle(state, item);
                buf.add(pipeline.rows(), 0, 0f, 0f, e.getValue(), 1f);
            }
        }
        return buf;
    }


}
