package io.streamrec.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.learn.OnlineConfig;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: what a model directory holds, typed. The trainer writes it, the app and the tools read it.
 *
 * @param formatVersion layout of the model directory; {@value #FORMAT_VERSION} today, 1 for directories written before
 *                      the manifest was typed (they read the same)
 * @param version       the model's version, carried by every list made with it
 * @param dim           retrieval dimension (user/item retrieval vectors, the network's vector inputs)
 * @param ratingDim     rating-model dimension (p_u, q_i); equal to {@code dim} in directories that predate it
 * @param items         movies in the catalogue; {@code trainedItems} of them have trained vectors
 * @param users         users with batch vectors in {@code users.csv}
 * @param rankerWeight  weight of the network's rating head in predicted ratings (0 = MF alone)
 * @param online        the online-learning settings serving applies (chosen by the trainer)
 * @param choices       what the trainer chose on validation, for people
 * @param data          the data the model was trained on (name, counts, digest), for people
 * @param evaluation    the evaluation report, or a status saying it was not run
 * @param movieFeatureMap the file of the cold-start map from catalogue features to item vectors
 *                      ({@link ModelDirectory#FEATURE_MAP}), or absent: directories written before it, and models
 *                      written without one, have none. Readers that predate it ignore the field and the file (no
 *                      format version bump: nothing they read changed).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int formatVersion, String version, String createdAt, int dim, int ratingDim, float globalMean,
                       int items, int trainedItems, int users, float rankerWeight, int[] rankerLayers,
                       Features featureSpec, OnlineConfig online, Map<String, Object> choices, Map<String, Object> data,
                       Map<String, Object> evaluation, String movieFeatureMap) {
    public static final int FORMAT_VERSION = 2;

    public Manifest {
        if (formatVersion == 0) formatVersion = 1;
        if (formatVersion > FORMAT_VERSION) {
            throw new IllegalArgumentException("manifest formatVersion " + formatVersion + " is newer than this build reads ("
                    + FORMAT_VERSION + "): upgrade streamrec");
        }
        if (version == null || version.isBlank()) throw new IllegalArgumentException("manifest: version is missing");
        if (dim < 1) throw new IllegalArgumentException("manifest: dim must be >= 1, was " + dim);
        if (ratingDim == 0) ratingDim = dim;
        if (online == null) online = OnlineConfig.defaults();
        if (featureSpec == null) featureSpec = Features.of(new FeatureSpec(dim));
        choices = choices == null ? Map.of() : choices;
        data = data == null ? Map.of() : data;
        evaluation = evaluation == null ? NOT_EVALUATED : evaluation;
    }

    /** What {@code evaluation} says until {@link ModelDirectory#writeEvaluation} stores a report. */
    public static final Map<String, Object> NOT_EVALUATED = Map.of("status", "not run",
            "how", "./recsys train runs the evaluation protocols after writing the model unless --no-evaluate is given");

    public Manifest withEvaluation(Map<String, Object> report) {
        return new Manifest(formatVersion, version, createdAt, dim, ratingDim, globalMean, items, trainedItems, users,
                rankerWeight, rankerLayers, featureSpec, online, choices, data, report, movieFeatureMap);
    }

    /** The network's inputs, named as in the ONNX graph, and the feature names inside them. */
    public record Features(List<String> inputs, List<String> itemFeatures, List<String> userFeatures,
                           List<String> pairFeatures, List<String> networkInput) {
        public static Features of(FeatureSpec spec) {
            return new Features(List.of("user", "item", "item_features", "user_features", "pair_features"),
                    FeatureSpec.ITEM_FEATURES, FeatureSpec.USER_FEATURES, FeatureSpec.PAIR_FEATURES, spec.inputNames());
        }
    }
}
