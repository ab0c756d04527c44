package io.streamrec.trainer.train;

import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.RankerNetwork;

import java.util.List;
import java.util.Map;

/**
 * The outcome of training: the serving model and ranking network, plus the batch user factors
 * (exported for analysis and used by offline evaluation) and what was chosen on validation.
 */
public record TrainedModel(RecommenderModel model, RankerNetwork ranker, float rankerWeight, Indexed index, MfTrainer.Model mf,
                           BprTrainer.Model bpr, long[] userEvents, long[] userRatings, double[] userRatingSum,
                           Map<String, Object> choices, List<double[]> rankerCurve) {

    /** The state a user would have after the batch fit: what offline evaluation serves from. */
    public UserState userState(int user) {
        int d = model.dim();
        float[] p = new float[d], u = new float[d];
        System.arraycopy(mf.p(), user * d, p, 0, d);
        System.arraycopy(bpr.u(), user * d, u, 0, d);
        return UserState.restore(p, mf.userBias()[user], u, userEvents[user], userRatings[user], userRatingSum[user],
                0L, new int[0], 1);
    }
}
