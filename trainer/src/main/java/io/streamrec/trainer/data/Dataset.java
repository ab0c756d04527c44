package io.streamrec.trainer.data;

import io.streamrec.core.features.MovieMeta;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events plus the whole catalogue. The catalogue matters on its own: top-K evaluation ranks every
 * movie in it, not only the rated ones, and it covers every movie that appears in {@code events}.
 */
public record Dataset(String name, List<MovieMeta> movies, Interactions events, LoadSummary summary) {
    public Dataset {
        movies = List.copyOf(movies);
    }

    /** The catalogue keyed by movie id, in catalogue order. */
    public Map<Integer, MovieMeta> movieById() {
        Map<Integer, MovieMeta> byId = new LinkedHashMap<>(movies.size() * 2);
        for (MovieMeta m : movies) {
            byId.put(m.movieId(), m);
        }
        return Collections.unmodifiableMap(byId);
    }

    /** Short: the default record form would print the whole catalogue. */
    @Override
    public String toString() {
        return String.format("%s: %,d events, %,d movies (%s)", name, events.size(), movies.size(), summary);
    }
}
