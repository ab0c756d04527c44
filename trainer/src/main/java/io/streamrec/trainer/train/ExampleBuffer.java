package io.streamrec.trainer.train;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.trainer.rank.Examples;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.serve.RecommendationPipeline;

import java.util.Arrays;

/** Collects ranking-network examples row by row from the pipeline's feature rows. */
final class ExampleBuffer {
    private final FeatureSpec spec;
    private final int in;
    private float[] x = new float[1 << 16], y = new float[1 << 12], w = new float[1 << 12], b = new float[1 << 12];
    private int rows;

    ExampleBuffer(FeatureSpec spec) {
        this.spec = spec;
        this.in = spec.inputSize();
    }

    int rows() {
        return rows;
    }

    /**
     * Adds row r of the pipeline's current feature rows with its targets and per-head weights.
     * The heads learn corrections: relevance on top of the retrieval score, rating on top of the
     * rating model's prediction, both read back from the row's pair features.
     */
    void add(RecommendationPipeline.FeatureRows f, int r, float relevance, float relevanceWeight, float rating, float ratingWeight) {
        ensure(rows + 1);
        int d = spec.dim();
        spec.assemble(f.user(), r * d, f.item(), r * d, f.itemFeatures(), r * FeatureSpec.ITEM_SIZE,
                f.userFeatures(), r * FeatureSpec.USER_SIZE, f.pairFeatures(), r * FeatureSpec.PAIR_SIZE, x, rows * in);
        int o = rows * Ranker.OUTPUTS;
        y[o + Ranker.OUTPUT_RELEVANCE] = relevance;
        w[o + Ranker.OUTPUT_RELEVANCE] = relevanceWeight;
        y[o + Ranker.OUTPUT_RATING] = rating;
        w[o + Ranker.OUTPUT_RATING] = ratingWeight;
        int pf = r * FeatureSpec.PAIR_SIZE;
        b[o + Ranker.OUTPUT_RELEVANCE] = f.pairFeatures()[pf + 1];
        b[o + Ranker.OUTPUT_RATING] = f.pairFeatures()[pf] + FeatureSpec.RATING_CENTRE;
        rows++;
    }

    private void ensure(int n) {
        if ((long) n * in > x.length) x = Arrays.copyOf(x, Math.max(x.length * 2, n * in));
        if ((long) n * Ranker.OUTPUTS > y.length) {
            y = Arrays.copyOf(y, Math.max(y.length * 2, n * Ranker.OUTPUTS));
            w = Arrays.copyOf(w, y.length);
            b = Arrays.copyOf(b, y.length);
        }
    }

    /** Splits rows into (train, validation) by a predicate on the row index. */
    Examples[] split(java.util.function.IntPredicate isValidation) {
        int nv = 0;
        for (int r = 0; r < rows; r++) if (isValidation.test(r)) nv++;
        int nt = rows - nv, out = Ranker.OUTPUTS;
        float[] tx = new float[nt * in], ty = new float[nt * out], tw = new float[nt * out];
        float[] vx = new float[nv * in], vy = new float[nv * out], vw = new float[nv * out];
        float[] tb = new float[nt * out], vb = new float[nv * out];
        for (int r = 0, t = 0, v = 0; r < rows; r++) {
            boolean val = isValidation.test(r);
            int k = val ? v++ : t++;
            System.arraycopy(x, r * in, val ? vx : tx, k * in, in);
            System.arraycopy(y, r * out, val ? vy : ty, k * out, out);
            System.arraycopy(w, r * out, val ? vw : tw, k * out, out);
            System.arraycopy(b, r * out, val ? vb : tb, k * out, out);
        }
        return new Examples[] {new Examples(in, out, nt, tx, ty, tw, tb), new Examples(in, out, nv, vx, vy, vw, vb)};
    }
}
