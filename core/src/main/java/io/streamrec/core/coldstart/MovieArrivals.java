package io.streamrec.core.coldstart;

import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.UpdatableRetriever;

/**
 * A catalogue entry arriving for a served model: a movie the model has trained vectors for is left alone; any other
 * gets its vectors from the model's {@link MovieFeatureMap} — in its slot when the model's catalogue lists it without
 * vectors, else in a free slot of the model's {@link ItemIndex} — and enters the retriever, so it can be retrieved and
 * ranked from then on. A new movie is findable by id only once its vectors are written ({@link ItemIndex#publish}).
 * Called by the one thread that writes the model's item arrays and retriever.
 */
public final class MovieArrivals {
    public enum Outcome {
        /** The model has trained vectors for the movie: nothing changed. */
        KNOWN,
        /** The model's catalogue listed the movie without vectors: it has mapped ones now. */
        MAPPED,
        /** The movie took a free slot with mapped vectors. */
        ADDED,
        /** The model knew nothing of the movie and has no free slot left: nothing changed. */
        NO_ROOM
    }

    private MovieArrivals() {}

    public static Outcome arrive(RecommenderModel model, MovieFeatureMap map, UpdatableRetriever retriever, MovieMeta movie) {
        int item = model.items().indexOf(movie.movieId());
        if (item >= 0 && model.trained(item)) return Outcome.KNOWN;
        Outcome outcome = Outcome.MAPPED;
        if (item < 0) {
            item = model.items().reserve();
            if (item < 0) return Outcome.NO_ROOM;
            outcome = Outcome.ADDED;
        }
        model.setMovie(item, movie);
        map.writeInto(model, item);
        int d = model.dim();
        retriever.update(item, model.retrievalVectors(), item * d, model.retrievalBias(item));
        if (outcome == Outcome.ADDED) model.items().publish(movie.movieId(), item);
        return outcome;
    }
}
