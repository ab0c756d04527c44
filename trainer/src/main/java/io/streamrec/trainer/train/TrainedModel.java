package io.streamrec.trainer.train;

import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.RankerNetwork;

import java.util.List;
import java.util.Map;

/**
 * The outcome of training: the serving model and ranking network, plus the batch user factors
 * (exported for analysis and used by offline evaluation), what was chosen on validation, and the
 * states known users start from in the app ({@link WarmStarts}, published to {@code user-vectors}).
 */
public record TrainedModel(RecommenderModel model, RankerNetwork ranker, float rankerWeight, Indexed index, MfTrainer.Model mf,
                           BprTrainer.Model bpr, long[] userEvents, long[] userRatings, double[] userRatingSum,
                           Map<String, Object> choices, List<double[]> rankerCurve, WarmStarts warmStarts) {

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
