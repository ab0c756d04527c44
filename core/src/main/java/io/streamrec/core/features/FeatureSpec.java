package io.streamrec.core.features;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one definition of what the ranking network sees, used by training and serving alike so
 * the two cannot drift. The network input for a (user, item) pair is the concatenation
 * <pre>[ user (dim) | item (dim) | user∘item (dim) | item features | user features | pair features ]</pre>
 * where user/item are the retrieval embeddings. The exported ONNX graph takes the five named
 * inputs {@code user, item, item_features, user_features, pair_features} and builds the same
 * concatenation itself, so callers never compute the product.
 */
public final class FeatureSpec {
    /** MovieLens genres in a fixed order; any other genre name is ignored. */
    public static final List<String> GENRES = List.of(
            "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama",
            "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi",
            "Thriller", "War", "Western");

    public static final List<String> ITEM_FEATURES;
    public static final List<String> USER_FEATURES = List.of("log_event_count", "mean_rating", "has_ratings", "rating_bias");
    public static final List<String> PAIR_FEATURES = List.of("mf_rating", "retrieval_score");

    static {
        List<String> names = new ArrayList<>();
        for (String g : GENRES) names.add("genre:" + g);
        names.addAll(List.of("year", "year_unknown", "log_popularity", "rating_bias", "retrieval_bias"));
        ITEM_FEATURES = Collections.unmodifiableList(names);
    }

    public static final int ITEM_SIZE = ITEM_FEATURES.size();
    public static final int USER_SIZE = USER_FEATURES.size();
    public static final int PAIR_SIZE = PAIR_FEATURES.size();

    /** Centre of the rating scale used to centre rating-valued features. */
    public static final float RATING_CENTRE = 3.5f;

    private final int dim;

    public FeatureSpec(int dim) {
        if (dim <= 0) throw new IllegalArgumentException("dim must be > 0");
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    public int inputSize() {
        return 3 * dim + ITEM_SIZE + USER_SIZE + PAIR_SIZE;
    }

    /** Feature names in network-input order, written to the model manifest and ONNX metadata. */
    public List<String> inputNames() {
        List<String> names = new ArrayList<>();
        for (String part : List.of("user", "item", "user_x_item")) {
            for (int f = 0; f < dim; f++) names.add(part + "[" + f + "]");
        }
        names.addAll(ITEM_FEATURES);
        names.addAll(USER_FEATURES);
        names.addAll(PAIR_FEATURES);
        return names;
    }

    public static void encodeItem(MovieMeta movie, long popularity, float ratingBias, float retrievalBias,
                                  float[] out, int off) {
        for (int g = 0; g < GENRES.size(); g++) out[off + g] = 0f;
        if (movie != null) {
            for (String genre : movie.genres()) {
                int g = GENRES.indexOf(genre);
                if (g >= 0) out[off + g] = 1f;
            }
        }
        int o = off + GENRES.size();
        boolean yearKnown = movie != null && movie.yearKnown();
        out[o] = yearKnown ? (movie.year() - 1995) / 20f : 0f;
        out[o + 1] = yearKnown ? 0f : 1f;
        out[o + 2] = (float) (Math.log1p(Math.max(0, popularity)) / 10.0);
        out[o + 3] = ratingBias;
        out[o + 4] = retrievalBias;
    }

    public static void encodeUser(long eventCount, long ratingCount, double ratingSum, float userBias,
                                  float[] out, int off) {
        out[off] = (float) (Math.log1p(Math.max(0, eventCount)) / 5.0);
        boolean hasRatings = ratingCount > 0;
        out[off + 1] = hasRatings ? (float) (ratingSum / ratingCount) - RATING_CENTRE : 0f;
        out[off + 2] = hasRatings ? 1f : 0f;
        out[off + 3] = userBias;
    }

    /** {@code mfRating} is the rating model's prediction, centred on {@link #RATING_CENTRE}. */
    public static void encodePair(float mfRating, float retrievalScore, float[] out, int off) {
        out[off] = mfRating - RATING_CENTRE;
        out[off + 1] = retrievalScore;
    }

    /** Writes the full network input row for one pair at {@code off}. */
    public void assemble(float[] user, int userOff, float[] item, int itemOff,
                         float[] itemFeatures, int itemFeatOff, float[] userFeatures, int userFeatOff,
                         float[] pairFeatures, int pairFeatOff, float[] out, int off) {
        for (int f = 0; f < dim; f++) {
            float u = user[userOff + f], v = item[itemOff + f];
            out[off + f] = u;
            out[off + dim + f] = v;
            out[off + 2 * dim + f] = u * v;
        }
        int o = off + 3 * dim;
        System.arraycopy(itemFeatures, itemFeatOff, out, o, ITEM_SIZE);
        System.arraycopy(userFeatures, userFeatOff, out, o + ITEM_SIZE, USER_SIZE);
        System.arraycopy(pairFeatures, pairFeatOff, out, o + ITEM_SIZE + USER_SIZE, PAIR_SIZE);
    }
}
