package io.streamrec.model;

import io.streamrec.core.coldstart.MovieFeatureMap;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.rank.RankerNetwork;

import java.util.Map;
import java.util.Objects;

/**
 * Everything a model directory is written from: the serving model, the ranking network (exported as ONNX), the weight
 * of its rating head, the batch user vectors, two maps for people (what training chose, what it was trained on), and
 * the map from catalogue features to item vectors for movies the model does not know ({@code featureMap}, or null).
 */
public record ModelContents(RecommenderModel model, RankerNetwork ranker, float rankerWeight, UserVectors users,
                           Map<String, Object> choices, Map<String, Object> data, MovieFeatureMap featureMap) {
    /** Contents without a cold-start feature map. */
    public ModelContents(RecommenderModel model, RankerNetwork ranker, float rankerWeight, UserVectors users,
                         Map<String, Object> choices, Map<String, Object> data) {
        this(model, ranker, rankerWeight, users, choices, data, null);
    }

    public ModelContents {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(ranker, "ranker");
        users = users == null ? UserVectors.none() : users;
        choices = choices == null ? Map.of() : choices;
        data = data == null ? Map.of() : data;
        if (ranker.spec().dim() != model.dim()) {
            throw new IllegalArgumentException("ranker dim " + ranker.spec().dim() + " != model dim " + model.dim());
        }
        if (featureMap != null && (featureMap.dim() != model.dim() || featureMap.ratingDim() != model.ratingDim())) {
            throw new IllegalArgumentException("feature map ratingDim/dim " + featureMap.ratingDim() + "/" + featureMap.dim()
                    + " != model " + model.ratingDim() + "/" + model.dim());
        }
    }
}
