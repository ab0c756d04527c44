package io.streamrec.core.learn;

import io.streamrec.core.linalg.Cholesky;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;

import java.util.Arrays;

/**
 * Re-fits a user's vectors to a model's item space from the user's remembered history ({@link UserState#rememberEvent}),
 * for the user's first event under a newly swapped-in model: vectors learned against the old items mean little against
 * the new ones, and the history says what the user liked.
 * <ul>
 *   <li><b>Rating model</b>: closed-form ALS fold-in. With the items fixed, the user's rating vector p and bias b that
 *       minimise Σ_j (r_j − μ − b_j − b − p·q_j)² + n·(λ_f |p|² + λ_b b²) over the n remembered ratings of movies the
 *       model has trained vectors for solve one (d+1)×(d+1) linear system (Cholesky). The regularisation is the online
 *       step's ({@link OnlineConfig#rating()}), summed over the events like the per-event steps sum it; with no such
 *       rating the rating vector is the prior (zero) and the bias is kept.</li>
 *   <li><b>Retrieval model</b>: BPR has no closed form, so a few SGD passes ({@code epochs}) over the remembered events
 *       from the prior (zero vector), oldest first, with the online step's rate and regularisation and negatives drawn
 *       from trained items by a generator seeded by the user and the pass: the same user and history always give the
 *       same vector (a replayed or restored task cannot drift).</li>
 * </ul>
 * Counts, seen movies, event ids and history are left as they are. Not thread-safe: one instance per stream task or
 * replay (it keeps its scratch matrices, so a re-fit allocates nothing).
 */
public final class FoldIn {
    /** SGD passes of the retrieval re-fit when none is given. */
    public static final int DEFAULT_EPOCHS = 5;

    private final RecommenderModel model;
    private final OnlineConfig config;
    private final int epochs;
    private final int[] trainedItems;
    /** Normal equations of the rating fold-in, row-major (d+1)×(d+1), and its right-hand side; reused. */
    private final double[] a;
    private final double[] b;

    public FoldIn(RecommenderModel model) {
        this(model, DEFAULT_EPOCHS);
    }

    public FoldIn(RecommenderModel model, int epochs) {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
        this.model = model;
        this.config = model.online();
        this.epochs = epochs;
        trainedItems = model.trainedAtLoad(); // not movies given vectors since: a replay stays bit-identical
        int d1 = model.ratingDim() + 1;
        a = new double[d1 * d1];
        b = new double[d1];
    }

    /**
     * Replaces {@code s}'s rating vector, rating bias and retrieval vector by the re-fit from its history, and records
     * the model's version in it. The state's vectors must have this model's dimensions ({@link UserState#fittedTo}).
     */
    public void refit(long userId, UserState s) {
        if (s.ratingDim() != model.ratingDim() || s.retrievalDim() != model.dim()) {
            throw new IllegalArgumentException("state of dimensions " + s.ratingDim() + "/" + s.retrievalDim()
                    + " for a model of " + model.ratingDim() + "/" + model.dim() + ": fit it to the model first");
        }
        refitRating(s);
        refitRetrieval(userId, s);
        s.modelVersion(model.version());
    }

    private void refitRating(UserState s) {
        int d = model.ratingDim(), d1 = d + 1;
        Arrays.fill(a, 0.0);
        Arrays.fill(b, 0.0);
        float[] q = model.ratingVectors();
        float mu = model.globalMean();
        int n = 0;
        for (int k = 0; k < s.historyCount(); k++) {
            float r = s.historyRating(k);
            if (Float.isNaN(r)) continue;
            int item = model.items().indexOf(s.historyMovie(k));
            if (item < 0 || !model.trained(item)) continue;
            n++;
            double target = r - mu - model.ratingBias(item);
            int off = item * d;
            // z = [q_i; 1]: accumulate the upper triangle of z zᵀ and target·z
            for (int f = 0; f < d; f++) {
                double qf = q[off + f];
                int row = f * d1;
                for (int g = f; g < d; g++) a[row + g] += qf * q[off + g];
                a[row + d] += qf;
                b[f] += target * qf;
            }
            a[d * d1 + d] += 1.0;
            b[d] += target;
        }
        float[] p = s.ratingVector();
        if (n == 0) { // nothing to fit the vector to: the prior; the bias (an offset from the mean) means the same in both
            Arrays.fill(p, 0f);
            return;
        }
        SgdParams reg = config.rating();
        for (int f = 0; f < d; f++) a[f * d1 + f] += n * (double) reg.factorReg();
        // a bias with no regularisation at all is still well posed: one rating fixes it; keep the diagonal positive
        a[d * d1 + d] += n * (double) Math.max(reg.biasReg(), 1e-6f);
        if (reg.factorReg() == 0f) for (int f = 0; f < d; f++) a[f * d1 + f] += 1e-6;
        choleskySolve(a, b, d1);
        for (int f = 0; f < d; f++) p[f] = (float) b[f];
        s.ratingBias((float) b[d]);
    }

    /**
     * Solves A x = y in place for a symmetric positive definite A of which the upper triangle is filled (row-major,
     * n×n): the lower triangle receives the Cholesky factor, {@code y} the solution.
     */
    static void choleskySolve(double[] a, double[] y, int n) {
        Cholesky.mirrorUpper(a, n);
        Cholesky.factor(a, n, "fold-in system");
        Cholesky.solve(a, y, n);
    }

    private void refitRetrieval(long userId, UserState s) {
        float[] u = s.retrievalVector();
        Arrays.fill(u, 0f);
        if (trainedItems.length < 2) return;
        int d = model.dim();
        float[] v = model.retrievalVectors(), c = model.retrievalBiases();
        SgdParams step = config.retrieval();
        for (int epoch = 0; epoch < epochs; epoch++) {
            long seed = OnlineLearner.mix(userId * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L * (epoch + 1));
            for (int k = 0; k < s.historyCount(); k++) {
                int pos = model.items().indexOf(s.historyMovie(k));
                if (pos < 0 || !model.trained(pos)) continue;
                float r = s.historyRating(k);
                float w = Float.isNaN(r) ? watchWeight(s.historyCompletion(k)) : 1f;
                for (int j = 0; j < config.negatives(); j++) {
                    seed = OnlineLearner.mix(seed + j + 1);
                    int neg = trainedItems[(int) Long.remainderUnsigned(seed, trainedItems.length)];
                    if (neg == pos) continue;
                    float sp = ImplicitMf.score(u, 0, v, pos * d, c[pos], d);
                    float sn = ImplicitMf.score(u, 0, v, neg * d, c[neg], d);
                    ImplicitMf.userStep(ImplicitMf.bprGradient(sp, sn, w), u, 0, v, pos * d, neg * d, d, step);
                }
            }
        }
    }

    private float watchWeight(float completion) {
        float c = Float.isNaN(completion) ? 1f : Math.max(0f, Math.min(1f, completion));
        return Math.max(config.minWatchWeight(), c);
    }
}
