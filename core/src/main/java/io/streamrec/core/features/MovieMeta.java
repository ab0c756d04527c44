package io.streamrec.core.features;

import java.util.List;
import java.util.Objects;

/**
 * What the catalogue says about a movie: the side information the ranking network and
 * cold-start use. {@code year} is 0 when unknown.
 */
public record MovieMeta(int movieId, String title, List<String> genres, int year) {
    public MovieMeta {
        Objects.requireNonNull(title, "title");
        genres = List.copyOf(genres);
    }

    public boolean yearKnown() {
        return year > 0;
    }
}
