package io.streamrec.core.model;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.learn.OnlineConfig;

import java.util.Objects;

/**
 * Everything the serving side needs from a trained model, in flat primitive arrays indexed by
 * dense item index ({@link ItemIndex}): the rating model (μ, q_i, b_i; {@link #ratingDim()}),
 * the retrieval model (v_i, c_i; {@link #dim()}, also the width of the network's vector inputs), which items have a trained vector, training popularity, precomputed item
 * features, and the online-learning settings the trainer chose. Shared by all threads; its arrays
 * are written by one writer only (the instance applying published item vectors, the cold-start
 * path adding a movie into a free slot of its {@link ItemIndex}: {@link #setMovie}), between the
 * reads of the threads serving from it. Slots past {@link ItemIndex#loaded()} are free until a
 * movie is added there: untrained, popularity 0, a placeholder {@link #movie}.
 * The ranking network is not here: it is a per-thread {@link io.streamrec.core.rank.Ranker}.
 */
public final class RecommenderModel {
    private final String version;
    private final int dim;
    private final int ratingDim;
    private final float globalMean;
    private final ItemIndex items;
    private final MovieMeta[] movies;
    private final float[] ratingVectors;
    private final float[] ratingBias;
    private final float[] retrievalVectors;
    private final float[] retrievalBias;
    private final boolean[] trained;
    private final long[] popularity;
    private final float[] itemFeatures;
    private final OnlineConfig online;
    /** The items trained when the model was made, ascending: what online learning samples negatives from. */
    private final int[] trainedAtLoad;
    /** Per item: had trained vectors when the model was made. */
    private final boolean[] trainedAtLoadFlags;
    /** The user step's scale on an event of a movie given vectors since ({@link #userStepFactor}). */
    private final float mappedUserStep;

    /** What a free slot's {@link #movie} says until a movie is added there. */
    public static final MovieMeta FREE_SLOT = new MovieMeta(-1, "", java.util.List.of(), 0);

    /** A model whose rating and retrieval vectors have the same dimension. */
    public RecommenderModel(String version, int dim, float globalMean, ItemIndex items, MovieMeta[] movies,
                            float[] ratingVectors, float[] ratingBias, float[] retrievalVectors, float[] retrievalBias,
                            boolean[] trained, long[] popularity, OnlineConfig online) {
        this(version, dim, dim, globalMean, items, movies, ratingVectors, ratingBias, retrievalVectors, retrievalBias,
                trained, popularity, online);
    }

    /**
     * {@code dim} is the retrieval dimension, {@code ratingDim} the rating model's: they differ
     * because rating prediction wants a wide, lightly regularised factorisation while retrieval
     * and the network's inputs stay narrow for per-event speed.
     */
    public RecommenderModel(String version, int dim, int ratingDim, float globalMean, ItemIndex items, MovieMeta[] movies,
                            float[] ratingVectors, float[] ratingBias, float[] retrievalVectors, float[] retrievalBias,
                            boolean[] trained, long[] popularity, OnlineConfig online) {
        this(version, dim, ratingDim, globalMean, items, movies, ratingVectors, ratingBias, retrievalVectors, retrievalBias,
                trained, popularity, online, null, 1f);
    }

    private RecommenderModel(String version, int dim, int ratingDim, float globalMean, ItemIndex items, MovieMeta[] movies,
                             float[] ratingVectors, float[] ratingBias, float[] retrievalVectors, float[] retrievalBias,
                             boolean[] trained, long[] popularity, OnlineConfig online, int[] trainedAtLoad,
                             float mappedUserStep) {
        int n = items.size();
        check(movies.length == n && ratingBias.length == n && retrievalBias.length == n && trained.length == n
                && popularity.length == n, "per-item arrays must have one entry per item (" + n + ")");
        check(ratingVectors.length == n * ratingDim, "rating vectors must be items × ratingDim");
        check(retrievalVectors.length == n * dim, "retrieval vectors must be items × dim");
        this.version = Objects.requireNonNull(version);
        this.dim = dim;
        this.ratingDim = ratingDim;
        this.globalMean = globalMean;
        this.items = items;
        this.movies = movies;
        this.ratingVectors = ratingVectors;
        this.ratingBias = ratingBias;
        this.retrievalVectors = retrievalVectors;
        this.retrievalBias = retrievalBias;
        this.trained = trained;
        this.popularity = popularity;
        this.online = online;
        if (trainedAtLoad == null) {
            int t = 0;
            for (int i = 0; i < n; i++) if (trained[i]) t++;
            trainedAtLoad = new int[t];
            for (int i = 0, k = 0; i < n; i++) if (trained[i]) trainedAtLoad[k++] = i;
        }
        this.trainedAtLoad = trainedAtLoad;
        this.trainedAtLoadFlags = new boolean[n];
        for (int i : trainedAtLoad) trainedAtLoadFlags[i] = true;
        if (!(mappedUserStep >= 0f && mappedUserStep <= 1f)) throw new IllegalArgumentException("mappedUserStep must be in [0, 1]");
        this.mappedUserStep = mappedUserStep;
        this.itemFeatures = new float[n * FeatureSpec.ITEM_SIZE];
        for (int i = 0; i < n; i++) {
            FeatureSpec.encodeItem(movies[i], popularity[i], ratingBias[i], retrievalBias[i], itemFeatures, i * FeatureSpec.ITEM_SIZE);
        }
    }

    /** The same model (sharing its read-only arrays) with other online-learning settings. */
    public RecommenderModel withOnline(OnlineConfig other) {
        return new RecommenderModel(version, dim, ratingDim, globalMean, items, movies, ratingVectors, ratingBias,
                retrievalVectors, retrievalBias, trained, popularity, other, trainedAtLoad, mappedUserStep);
    }

    /**
     * The same model (sharing its arrays) whose users learn from an event on a movie given vectors after the model was
     * made (a cold-start movie with mapped vectors) with their step scaled by {@code factor} in [0, 1]: a mapped vector
     * is a guess from genres and year, and a full step towards it pulls the user to a genre's average.
     */
    public RecommenderModel withMappedUserStep(float factor) {
        return new RecommenderModel(version, dim, ratingDim, globalMean, items, movies, ratingVectors, ratingBias,
                retrievalVectors, retrievalBias, trained, popularity, online, trainedAtLoad, factor);
    }

    /** 1 for an item trained when the model was made, else the mapped-movie factor ({@link #withMappedUserStep}). */
    public float userStepFactor(int item) {
        return trainedAtLoadFlags[item] ? 1f : mappedUserStep;
    }

    public float mappedUserStep() { return mappedUserStep; }

    /**
     * A copy with its own item vectors and biases, for the one writer that learns items online
     * (the streaming protocol's replay, an instance applying published item vectors): the arrays
     * returned by {@link #ratingVectors()}, {@link #ratingBiases()}, {@link #retrievalVectors()} and
     * {@link #retrievalBiases()} of the copy may be written by that writer, between the reads of the
     * thread that serves from it. Item features keep the biases of the copy's creation. The copy's
     * {@link #trainedFlags()} and {@link #itemFeatures()} are its own too: a movie the model did not know may be given
     * vectors and marked trained by that writer ({@link io.streamrec.core.coldstart.MovieFeatureMap#writeInto}).
     */
    public RecommenderModel withOwnItemArrays() {
        return new RecommenderModel(version, dim, ratingDim, globalMean, items, movies, ratingVectors.clone(),
                ratingBias.clone(), retrievalVectors.clone(), retrievalBias.clone(), trained.clone(), popularity, online,
                trainedAtLoad, mappedUserStep);
    }

    /**
     * Puts a movie's catalogue entry in a slot (the one writer adding a movie the model did not know, before it gives
     * the slot vectors and publishes it in {@link #items()}); the slot's ranker features are re-encoded when its
     * vectors are written ({@link io.streamrec.core.coldstart.MovieFeatureMap#writeInto}).
     */
    public void setMovie(int slot, MovieMeta movie) {
        movies[slot] = java.util.Objects.requireNonNull(movie, "movie");
    }

    /**
     * Dense indexes of the items that had trained vectors when the model was made (before any movie was given vectors
     * online), ascending; shared, do not write. Online learning draws its negatives from these, so a user's step does
     * not depend on which new movies an instance had added when its learner was built (replays stay bit-identical).
     */
    public int[] trainedAtLoad() {
        return trainedAtLoad;
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    public String version() { return version; }
    /** Retrieval dimension: user/item retrieval vectors and the network's vector inputs. */
    public int dim() { return dim; }
    /** Rating-model dimension: p_u and q_i. */
    public int ratingDim() { return ratingDim; }
    public float globalMean() { return globalMean; }
    public ItemIndex items() { return items; }
    public int itemCount() { return items.size(); }
    public OnlineConfig online() { return online; }
    public FeatureSpec featureSpec() { return new FeatureSpec(dim); }

    public MovieMeta movie(int index) { return movies[index]; }
    public boolean trained(int index) { return trained[index]; }
    public long popularity(int index) { return popularity[index]; }
    public float ratingBias(int index) { return ratingBias[index]; }
    public float retrievalBias(int index) { return retrievalBias[index]; }

    /** Shared read-only arrays for hot loops; callers must not write to them. */
    public float[] ratingVectors() { return ratingVectors; }
    public float[] retrievalVectors() { return retrievalVectors; }
    public float[] retrievalBiases() { return retrievalBias; }
    public float[] ratingBiases() { return ratingBias; }
    public boolean[] trainedFlags() { return trained; }
    public float[] itemFeatures() { return itemFeatures; }
}
