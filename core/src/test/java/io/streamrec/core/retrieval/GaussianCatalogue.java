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

    /**
     * A catalogue of near-duplicates, like {@code bench --resample}'s: {@code bases} Gaussian vectors (sd 0.1) and
     * biases (sd {@code biasSd}), item i a copy of base i % bases with Gaussian noise of sd {@code noiseSd} and the
     * base's bias, so a scan that stores items by bias keeps each base's copies in neighbouring blocks.
     */
    static GaussianCatalogue resampled(int items, int dim, int bases, double biasSd, double noiseSd, long seed) {
        GaussianCatalogue base = of(bases, dim, biasSd, seed);
        SplittableRandom r = new SplittableRandom(seed + 1);
        float[] v = new float[items * dim], b = new float[items];
        boolean[] active = new boolean[items];
        for (int i = 0; i < items; i++) {
            int from = i % bases;
            for (int f = 0; f < dim; f++) v[i * dim + f] = base.v()[from * dim + f] + (float) (r.nextGaussian() * noiseSd);
            b[i] = base.b()[from];
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
