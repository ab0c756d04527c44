package io.streamrec.core.coldstart;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.RecommenderModel;

/**
 * A learned map from what the catalogue says about a movie ({@link MovieFeatures}: genres, year) to the item side of a
 * model: the rating vector q_i and bias b_i, the retrieval vector v_i and bias c_i. The trainer fits it by ridge
 * regression on the movies the batch model trained ({@link #fit}); serving gives a movie the model does not know its
 * vectors from it ({@link #writeInto}), so the movie can be retrieved and ranked from the moment it is in the
 * catalogue, and online item learning refines it from there.
 *
 * <p>Output layout of one prediction ({@link #outputs()} floats): q (ratingDim), b_i, v (dim), c_i. Immutable.
 *
 * <p>{@link #retrievalBiasOffset()} is added to every predicted retrieval bias c_i. The regression predicts the c_i
 * of an established movie of those genres and year, while c_i absorbs popularity: a movie on its first day has had no
 * audience yet. The trainer chooses the offset on its own validation slice (movies first rated there, replayed through
 * serving; {@code ColdStartTuning}); 0 means none.
 */
public final class MovieFeatureMap {
    /** The L2 weight of {@link #fit(RecommenderModel)}: mild; thousands of movies against two dozen features. */
    public static final double DEFAULT_LAMBDA = 1.0;

    private final int ratingDim;
    private final int dim;
    private final float[] weights;
    private final int fittedOn;
    private final float retrievalBiasOffset;
    private final float mappedUserStep;

    /**
     * @param weights  {@link MovieFeatures#SIZE} rows of {@code ratingDim + dim + 2} outputs, row-major
     * @param fittedOn how many movies the map was fitted on (for people)
     */
    public MovieFeatureMap(int ratingDim, int dim, float[] weights, int fittedOn) {
        this(ratingDim, dim, weights, fittedOn, 0f, 1f);
    }

    /**
     * @param retrievalBiasOffset added to every predicted retrieval bias
     * @param mappedUserStep      how much of the online user step an event on a mapped movie takes, in [0, 1]
     *                            ({@link RecommenderModel#withMappedUserStep}); 1: a full step, as for a trained movie
     */
    public MovieFeatureMap(int ratingDim, int dim, float[] weights, int fittedOn, float retrievalBiasOffset, float mappedUserStep) {
        if (ratingDim < 1 || dim < 1) throw new IllegalArgumentException("dimensions must be >= 1");
        if (weights.length != MovieFeatures.SIZE * (ratingDim + dim + 2)) {
            throw new IllegalArgumentException("weights must be " + MovieFeatures.SIZE + " × " + (ratingDim + dim + 2)
                    + " (features × outputs), was " + weights.length);
        }
        this.ratingDim = ratingDim;
        this.dim = dim;
        this.weights = weights.clone();
        this.fittedOn = fittedOn;
        if (!Float.isFinite(retrievalBiasOffset)) throw new IllegalArgumentException("retrievalBiasOffset must be finite");
        this.retrievalBiasOffset = retrievalBiasOffset;
        if (!(mappedUserStep >= 0f && mappedUserStep <= 1f)) throw new IllegalArgumentException("mappedUserStep must be in [0, 1]");
        this.mappedUserStep = mappedUserStep;
    }

    /** The same map with another offset on the predicted retrieval bias. */
    public MovieFeatureMap withRetrievalBiasOffset(float offset) {
        return new MovieFeatureMap(ratingDim, dim, weights, fittedOn, offset, mappedUserStep);
    }

    /** The same map with another user-step factor for events on mapped movies. */
    public MovieFeatureMap withMappedUserStep(float factor) {
        return new MovieFeatureMap(ratingDim, dim, weights, fittedOn, retrievalBiasOffset, factor);
    }

    /** How much of the online user step an event on a movie with mapped vectors takes (the model applies it). */
    public float mappedUserStep() { return mappedUserStep; }

    public float retrievalBiasOffset() { return retrievalBiasOffset; }

    /** Fits the map on the model's trained movies with {@link #DEFAULT_LAMBDA}. */
    public static MovieFeatureMap fit(RecommenderModel model) {
        return fit(model, DEFAULT_LAMBDA);
    }

    /** Ridge regression from each trained movie's features to its four item-side parts; the intercept is not penalised. */
    public static MovieFeatureMap fit(RecommenderModel model, double lambda) {
        int rd = model.ratingDim(), d = model.dim(), t = rd + d + 2, f = MovieFeatures.SIZE;
        int n = 0;
        for (int i = 0; i < model.itemCount(); i++) if (model.trained(i)) n++;
        if (n == 0) throw new IllegalArgumentException("the model has no trained movies to fit a feature map on");
        double[] x = new double[n * f], y = new double[n * t];
        float[] q = model.ratingVectors(), v = model.retrievalVectors();
        for (int i = 0, r = 0; i < model.itemCount(); i++) {
            if (!model.trained(i)) continue;
            MovieFeatures.encode(model.movie(i), x, r * f);
            int o = r * t;
            for (int k = 0; k < rd; k++) y[o + k] = q[i * rd + k];
            y[o + rd] = model.ratingBias(i);
            for (int k = 0; k < d; k++) y[o + rd + 1 + k] = v[i * d + k];
            y[o + rd + 1 + d] = model.retrievalBias(i);
            r++;
        }
        double[] w = RidgeRegression.fit(x, n, f, y, t, lambda, MovieFeatures.INTERCEPT);
        float[] wf = new float[w.length];
        for (int k = 0; k < w.length; k++) wf[k] = (float) w[k];
        return new MovieFeatureMap(rd, d, wf, n);
    }

    public int ratingDim() { return ratingDim; }
    public int dim() { return dim; }
    public int fittedOn() { return fittedOn; }
    /** Floats per prediction: ratingDim + 1 + dim + 1. */
    public int outputs() { return ratingDim + dim + 2; }
    /** A copy of the weights, {@link MovieFeatures#SIZE} rows of {@link #outputs()}. */
    public float[] weights() { return weights.clone(); }

    /** The movie's predicted q, b_i, v, c_i into {@code out[0..outputs())}. */
    public void predict(MovieMeta movie, float[] out) {
        int t = outputs();
        double[] x = new double[MovieFeatures.SIZE];
        MovieFeatures.encode(movie, x, 0);
        for (int k = 0; k < t; k++) out[k] = 0f;
        for (int j = 0; j < x.length; j++) {
            if (x[j] == 0) continue;
            float xj = (float) x[j];
            for (int k = 0; k < t; k++) out[k] += xj * weights[j * t + k];
        }
        out[t - 1] += retrievalBiasOffset;
    }

    /**
     * Gives item {@code item} of {@code model} its vectors and biases from its catalogue entry, marks it trained, and
     * re-encodes its ranker features with the new biases. {@code model} must be a copy with its own item arrays and
     * flags ({@link RecommenderModel#withOwnItemArrays()}), written by one writer; the caller updates the retriever.
     */
    public void writeInto(RecommenderModel model, int item) {
        if (model.ratingDim() != ratingDim || model.dim() != dim) {
            throw new IllegalArgumentException("map is for ratingDim/dim " + ratingDim + "/" + dim + ", model has "
                    + model.ratingDim() + "/" + model.dim());
        }
        float[] out = new float[outputs()];
        MovieMeta movie = model.movie(item);
        predict(movie, out);
        System.arraycopy(out, 0, model.ratingVectors(), item * ratingDim, ratingDim);
        model.ratingBiases()[item] = out[ratingDim];
        System.arraycopy(out, ratingDim + 1, model.retrievalVectors(), item * dim, dim);
        model.retrievalBiases()[item] = out[ratingDim + 1 + dim];
        model.trainedFlags()[item] = true;
        FeatureSpec.encodeItem(movie, model.popularity(item), model.ratingBias(item), model.retrievalBias(item),
                model.itemFeatures(), item * FeatureSpec.ITEM_SIZE);
    }
}
