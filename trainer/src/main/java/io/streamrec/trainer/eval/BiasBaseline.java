package io.streamrec.trainer.eval;

import io.streamrec.trainer.train.Ratings;

/**
 * r̂ = μ + b_u + b_i with shrunk biases fitted by a few rounds of alternating means
 * (Koren's baseline predictor): the "user+item biases" row of the rating table.
 */
public final class BiasBaseline {
    private final float mu;
    private final float[] bu, bi;

    private BiasBaseline(float mu, float[] bu, float[] bi) {
        this.mu = mu;
        this.bu = bu;
        this.bi = bi;
    }

    public static BiasBaseline fit(Ratings r, int users, int items, float userShrink, float itemShrink, int rounds) {
        float mu = (float) r.mean();
        float[] bu = new float[users], bi = new float[items];
        double[] sum = new double[Math.max(users, items)];
        int[] cnt = new int[Math.max(users, items)];
        for (int round = 0; round < rounds; round++) {
            java.util.Arrays.fill(sum, 0);
            java.util.Arrays.fill(cnt, 0);
            for (int k = 0; k < r.size(); k++) {
                sum[r.items()[k]] += r.values()[k] - mu - bu[r.users()[k]];
                cnt[r.items()[k]]++;
            }
            for (int i = 0; i < items; i++) bi[i] = (float) (sum[i] / (itemShrink + cnt[i]));
            java.util.Arrays.fill(sum, 0);
            java.util.Arrays.fill(cnt, 0);
            for (int k = 0; k < r.size(); k++) {
                sum[r.users()[k]] += r.values()[k] - mu - bi[r.items()[k]];
                cnt[r.users()[k]]++;
            }
            for (int u = 0; u < users; u++) bu[u] = (float) (sum[u] / (userShrink + cnt[u]));
        }
        return new BiasBaseline(mu, bu, bi);
    }

    public float predict(int user, int item) {
        return mu + (user >= 0 ? bu[user] : 0f) + (item >= 0 ? bi[item] : 0f);
    }

    public float mean() {
        return mu;
    }
}
