package io.streamrec.trainer.train;

import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.learn.SgdParams;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.rank.Ranker;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.eval.ServingReplay;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chooses the online step's rates the way they will be used: the training events are sorted in
 * time, factor models are fitted on the first 80%, and the last 20% are replayed through the
 * serving path ({@link ServingReplay}: the same learner, pipeline and ranking network) with users
 * the early part knows warm-started. Never the data a protocol reports on: the streaming protocol
 * trains on its own first 80%, so this slice lies inside its training part.
 *
 * <p>Coordinate search, one setting at a time with the earlier ones fixed (the rating and
 * retrieval steps touch different vectors, so their choices barely interact):
 * <ol>
 *   <li>the user rating step (rate × L2) by the RMSE of ratings predicted before learning;</li>
 *   <li>the user retrieval (BPR) step's rate by HR@10 of the event's movie in the previous list;</li>
 *   <li>the item rating step's rate by RMSE with items learning too;</li>
 *   <li>the item retrieval step's rate by HR@10 with items learning too;</li>
 *   <li>its damping by user activity (off, τ = 100, 30 events) by HR@10 with items learning too.</li>
 * </ol>
 * Most replayed events come from users the early part never saw, so rates well above the batch
 * ones win: a new user's vectors must become personal within a few events.
 */
public final class OnlineTuning {
    static final float[] RATING_RATES = {0.01f, 0.03f, 0.1f, 0.3f};
    static final float[] RATING_L2 = {0.01f, 0.1f};
    static final float[] RETRIEVAL_RATES = {0.15f, 0.4f, 1f};
    static final float[] ITEM_RATING_RATES = {0.003f, 0.01f, 0.03f, 0.1f};
    static final float[] ITEM_RETRIEVAL_RATES = {0.01f, 0.03f, 0.1f};
    /** τ of the item retrieval step's damping by user activity (0: off; see {@link OnlineConfig#itemWeight}). */
    static final float[] ITEM_DAMPING = {100f, 30f};

    /** The phase name its progress is reported under (one step per replay of the grid). */
    public static final String PHASE = "online tuning";

    private OnlineTuning() {}

    /** Replays made so far, for the progress bar (one "epoch" per replay). */
    private static final class Progress {
        final EpochListener listener;
        final int total = RATING_RATES.length * RATING_L2.length + RETRIEVAL_RATES.length + ITEM_RATING_RATES.length
                + ITEM_RETRIEVAL_RATES.length + ITEM_DAMPING.length;
        int done;

        Progress(EpochListener listener) {
            this.listener = listener;
        }

        ServingReplay.Result report(ServingReplay.Result r, boolean lists) {
            listener.epochDone(PHASE, ++done, total, lists ? r.hitRate() : r.rmse(), Double.NaN);
            return r;
        }
    }

    static OnlineConfig choose(ValidationSlice slice, Indexed idx, TrainConfig cfg, Ranker net,
                               float rankerWeight, Map<String, Object> choices, EpochListener listener) {
        OnlineConfig best = cfg.online();
        if (slice == null) return best;
        Interactions late = slice.late();
        ModelTrainer.Fitted f = slice.fitted();
        WarmStarts warm = new WarmStarts(f.model(), f.mf(), f.bpr(), idx, slice.early());
        Map<String, Object> tried = new LinkedHashMap<>();
        Progress progress = new Progress(listener);

        // 1. user rating step
        double bestRmse = Double.MAX_VALUE;
        Map<String, Double> t1 = new LinkedHashMap<>();
        SgdParams r0 = best.rating();
        OnlineConfig pick = best;
        for (float lr : RATING_RATES) {
            for (float l2 : RATING_L2) {
                OnlineConfig c = best.withRating(new SgdParams(lr, l2, l2));
                double rmse = progress.report(replay(f.model(), c, net, rankerWeight, cfg, warm, late, ServingReplay.Mode.ONLINE_USERS, false), false).rmse();
                t1.put("lr=" + lr + ",l2=" + l2, rmse);
                if (rmse < bestRmse - 1e-6) {
                    bestRmse = rmse;
                    pick = c;
                }
            }
        }
        best = pick;
        tried.put("userRatingRMSE", t1);

        // 2. user retrieval step
        SgdParams rr = best.retrieval();
        best = pickByHr(best, RETRIEVAL_RATES, lr -> new SgdParams(lr, rr.factorReg(), rr.biasReg()),
                OnlineConfig::withRetrieval, f.model(), net, rankerWeight, cfg, warm, late, ServingReplay.Mode.ONLINE_USERS,
                tried, "userRetrievalHR@10", progress);

        // 3. item rating step
        bestRmse = Double.MAX_VALUE;
        Map<String, Double> t3 = new LinkedHashMap<>();
        pick = best;
        for (float lr : ITEM_RATING_RATES) {
            SgdParams base = best.itemRating();
            OnlineConfig c = best.withItemRating(new SgdParams(lr, base.factorReg(), base.biasReg()));
            double rmse = progress.report(replay(f.model(), c, net, rankerWeight, cfg, warm, late, ServingReplay.Mode.ONLINE_USERS_AND_ITEMS, false), false).rmse();
            t3.put("lr=" + lr, rmse);
            if (rmse < bestRmse - 1e-6) {
                bestRmse = rmse;
                pick = c;
            }
        }
        best = pick;
        tried.put("itemRatingRMSE", t3);

        // 4. item retrieval step
        SgdParams ir = best.itemRetrieval();
        best = pickByHr(best, ITEM_RETRIEVAL_RATES, lr -> new SgdParams(lr, ir.factorReg(), ir.biasReg()),
                OnlineConfig::withItemRetrieval, f.model(), net, rankerWeight, cfg, warm, late,
                ServingReplay.Mode.ONLINE_USERS_AND_ITEMS, tried, "itemRetrievalHR@10", progress);

        // 5. damping of the item retrieval step by user activity, against the undamped step just chosen (its
        //    validation HR is step 4's best): a bulk rater's events then move their movies less
        @SuppressWarnings("unchecked") Map<String, Double> step4 = (Map<String, Double>) tried.get("itemRetrievalHR@10");
        best = pickDamping(best, step4, f.model(), net, rankerWeight, cfg,
                warm, late, tried, progress);

        tried.put("validationEvents", late.size());
        tried.put("from", r0.toString());
        choices.put("onlineTuning", tried);
        choices.put("online", best.toString());
        return best;
    }

    private interface Step {
        SgdParams of(float lr);
    }

    private interface With {
        OnlineConfig apply(OnlineConfig c, SgdParams s);
    }

    private static OnlineConfig pickByHr(OnlineConfig from, float[] rates, Step step, With with, RecommenderModel model, Ranker net,
                                         float rankerWeight, TrainConfig cfg, WarmStarts warm, Interactions late,
                                         ServingReplay.Mode mode, Map<String, Object> tried, String key,
                                         Progress progress) {
        OnlineConfig pick = from;
        double bestHr = -1, bestNdcg = -1;
        Map<String, Double> t = new LinkedHashMap<>();
        for (float lr : rates) {
            OnlineConfig c = with.apply(from, step.of(lr));
            ServingReplay.Result r = progress.report(replay(model, c, net, rankerWeight, cfg, warm, late, mode, true), true);
            t.put("lr=" + lr, r.hitRate());
            if (r.hitRate() > bestHr + 1e-9 || (Math.abs(r.hitRate() - bestHr) <= 1e-9 && r.ndcg() > bestNdcg)) {
                bestHr = r.hitRate();
                bestNdcg = r.ndcg();
                pick = c;
            }
        }
        tried.put(key, t);
        return pick;
    }

    private static OnlineConfig pickDamping(OnlineConfig undamped, Map<String, Double> step4, RecommenderModel model, Ranker net,
                                            float rankerWeight, TrainConfig cfg, WarmStarts warm, Interactions late,
                                            Map<String, Object> tried, Progress progress) {
        double bestHr = step4.get("lr=" + undamped.itemRetrieval().learningRate());
        OnlineConfig pick = undamped;
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("off", bestHr);
        for (float tau : ITEM_DAMPING) {
            OnlineConfig c = undamped.withItemDamping(tau);
            ServingReplay.Result r = progress.report(replay(model, c, net, rankerWeight, cfg, warm, late,
                    ServingReplay.Mode.ONLINE_USERS_AND_ITEMS, true), true);
            t.put("tau=" + tau, r.hitRate());
            if (r.hitRate() > bestHr + 1e-9) {
                bestHr = r.hitRate();
                pick = c;
            }
        }
        tried.put("itemDampingHR@10", t);
        return pick;
    }

    private static ServingReplay.Result replay(RecommenderModel model, OnlineConfig c, Ranker net, float rankerWeight,
                                               TrainConfig cfg, WarmStarts warm, Interactions late, ServingReplay.Mode mode,
                                               boolean lists) {
        return new ServingReplay(model.withOnline(c), net, rankerWeight, cfg.candidates(), warm).run(late, mode, lists);
    }
}
