package io.streamrec.core.retrieval;

import java.util.SplittableRandom;

/**
 * A generated catalogue for the scan tests: Gaussian item vectors (sd 0.1, as GeneratedModel's) and biases, a few
 * inactive items (1 in 50), and queries shaped like a user's vector (the sum of 20 item vectors).
 */
record GaussianCatalogue(float[] v, float[] b, boolean[] active, int dim) {
    static GaussianCatalogue of(int items, int dim, double biasSd, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[items * dim], b = new float[items];
        boolean[] active = new boolean[items];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * 0.1);
        for (int i = 0; i < items; i++) {
            b[i] = (float) (r.nextGaussian() * biasSd);
            active[i] = r.nextInt(50) != 0;
        }
        return new GaussianCatalogue(v, b, active, dim);
    }

    /** A user's vector as the online learner makes it: the sum of 20 item vectors. */
    float[] query(SplittableRandom r) {
        float[] q = new float[dim];
        for (int h = 0; h < 20; h++) {
            int item = r.nextInt(b.length);
            for (int f = 0; f < dim; f++) q[f] += v[item * dim + f];
        }
        return q;
    }
}
