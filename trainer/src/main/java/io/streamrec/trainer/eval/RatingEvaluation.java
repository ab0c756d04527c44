package io.streamrec.trainer.eval;

import io.streamrec.core.events.RatingScale;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.metrics.ErrorStats;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.Ratings;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.TrainedModel;

import java.util.List;

/** Rating prediction on a random 80/20 split of the ratings (seed 42): RMSE and MAE, predictions clipped. */
public final class RatingEvaluation {
    private RatingEvaluation() {}

    public static List<Row> run(Dataset all, TrainConfig cfg, EpochListener listener) {
        Splits.Split s = Splits.randomRatings(all.events(), 0.8, 42L);
        return run(all, s, cfg, listener);
    }

    public static List<Row> run(Dataset all, Splits.Split s, TrainConfig cfg, EpochListener listener) {
        Indexed idx = Indexed.of(all);
        Dataset train = new Dataset(all.name() + "-train", all.movies(), s.train(), all.summary());
        Ratings tr = Ratings.of(s.train(), idx), te = Ratings.of(s.test(), idx);
        TrainedModel tm = ModelTrainer.train(train, idx, cfg.withOnlineTuning(false), "eval-rating", listener);
        BiasBaseline biases = BiasBaseline.fit(tr, idx.userCount(), idx.itemCount(), 10f, 25f, 4);
        RecommendationPipeline pipeline = new RecommendationPipeline(tm.model(), CandidateRetriever.forModel(tm.model()), tm.ranker(), 1, tm.rankerWeight());
        ErrorStats mean = new ErrorStats(), bias = new ErrorStats(), mf = new ErrorStats(), net = new ErrorStats();
        for (int k = 0; k < te.size(); k++) {
            int u = te.users()[k], i = te.items()[k];
            float r = te.values()[k];
            mean.add(RatingScale.clip(biases.mean()), r);
            bias.add(RatingScale.clip(biases.predict(u, i)), r);
            mf.add(RatingScale.clip(tm.mf().predict(u, i)), r);
            net.add(RatingScale.clip(pipeline.predictRating(tm.userState(u), i)), r);
        }
        return List.of(
                Row.of("global mean", "RMSE", mean.rmse(), "MAE", mean.mae()),
                Row.of("user+item biases", "RMSE", bias.rmse(), "MAE", bias.mae()),
                Row.of("biased MF (ours, d=" + cfg.ratingDim() + ")", "RMSE", mf.rmse(), "MAE", mf.mae()),
                Row.of("MF + ranking network (ours)", "RMSE", net.rmse(), "MAE", net.mae()));
    }

}
