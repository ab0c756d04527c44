package io.streamrec.trainer.train;

import io.streamrec.core.coldstart.MovieFeatureMap;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.RankerNetwork;
import io.streamrec.model.ModelContents;
import io.streamrec.model.UserVectors;

import java.util.List;
import java.util.Map;

/**
 * The outcome of training: the serving model and ranking network, plus the batch user factors
 * (exported for analysis and used by offline evaluation), what was chosen on validation, and the
 * states known users start from in the app ({@link WarmStarts}, published to {@code user-vectors}).
 */
public record TrainedModel(RecommenderModel model, RankerNetwork ranker, float rankerWeight, Indexed index, MfTrainer.Model mf,
                           BprTrainer.Model bpr, long[] userEvents, long[] userRatings, double[] userRatingSum,
                           Map<String, Object> choices, List<double[]> rankerCurve, WarmStarts warmStarts,
                           ColdStartTuning.Choice coldStart) {

    /**
     * What the model directory is written from; {@code data} describes the training data for people. It carries the
     * cold-start map ({@link MovieFeatureMap}) fitted now on the model's trained movies: a few dozen features against
     * thousands of movies, a fraction of a second; its offset on the predicted retrieval bias is the one chosen on
     * validation with the user-step factor on mapped movies ({@link ColdStartTuning}, {@code coldStart}).
     */
    public ModelContents contents(Map<String, Object> data) {
        int n = index.userCount();
        long[] ids = new long[n];
        for (int u = 0; u < n; u++) ids[u] = index.userId(u);
        return new ModelContents(model, ranker, rankerWeight, new UserVectors(ids, mf.userBias(), mf.p(), bpr.u(),
                warmStarts.history()), choices, data, coldStart.applyTo(MovieFeatureMap.fit(model)));
    }

    /** The state a user would have after the batch fit: what offline evaluation serves from. */
    public UserState userState(int user) {
        return batchState(model, mf, bpr, user, userEvents[user], userRatings[user], userRatingSum[user]);
    }

    /** A user's state made of the batch factors (no seen ring: offline evaluation excludes seen items itself). */
    static UserState batchState(RecommenderModel model, MfTrainer.Model mf, BprTrainer.Model bpr, int user, long events,
                                long ratings, double ratingSum) {
        int d = model.dim(), rd = model.ratingDim();
        float[] p = new float[rd], u = new float[d];
        System.arraycopy(mf.p(), user * rd, p, 0, rd);
        System.arraycopy(bpr.u(), user * d, u, 0, d);
        return UserState.restore(p, mf.userBias()[user], u, events, ratings, ratingSum, 0L, new int[0], 1);
    }
}
