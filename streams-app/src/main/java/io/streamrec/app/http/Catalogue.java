package io.streamrec.app.http;

import io.streamrec.core.analysis.EmbeddingMap;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.SimilarMovies;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What the API says about movies: catalogue entries, nearest neighbours, and the 2-D embedding map. A movie's title,
 * genres and year come from the {@code movies} topic (this instance's movies store) when it has an entry for the movie,
 * else from the served model's catalogue: the topic is the catalogue of record, so a corrected title shows at once and a
 * movie the model never knew (a cold-start movie) has its entry; the model's catalogue is what it was trained with.
 */
final class Catalogue {
    /** The largest k {@code /movies/{id}/similar} accepts. */
    static final int MAX_K = 100;

    private final RecommenderModel model;
    private final IntFunction<io.streamrec.avro.Movie> store;
    /** The model's new-movie changes this catalogue was built after ({@code NewMovies#changes}). */
    private final long built;
    private final SimilarMovies similar;
    /** Built on first request, not at start: the PCA took over a second of a restarted instance's start-up. */
    private volatile List<MapPoint> map;

    public record Movie(int movieId, String title, List<String> genres, Integer year) {}

    public record Scored(int movieId, String title, List<String> genres, Integer year, double score) {}

    /** One movie on the map: PCA coordinates of its retrieval vector, its first genre for the colour. */
    public record MapPoint(int movieId, String title, String genre, double x, double y, long popularity) {}

    RecommenderModel model() {
        return model;
    }

    /**
     * @param store the movies store's entry for a movie id, or null
     * @param built the served model's new-movie changes so far: a catalogue is rebuilt when they moved on
     */
    Catalogue(RecommenderModel model, IntFunction<io.streamrec.avro.Movie> store, long built) {
        this.model = model;
        this.store = store;
        this.built = built;
        this.similar = SimilarMovies.of(model);
    }

    long built() {
        return built;
    }

    /** The catalogue entry: the movies store's, else the model's; null when neither has the movie. */
    private MovieMeta meta(int movieId) {
        io.streamrec.avro.Movie m = store.apply(movieId);
        if (m != null) {
            return new MovieMeta(movieId, m.getTitle(), m.getGenres() == null ? List.of() : m.getGenres(),
                    m.getYear() == null ? 0 : m.getYear());
        }
        int i = model.items().indexOf(movieId);
        return i < 0 ? null : model.movie(i);
    }

    Movie movie(int movieId) {
        MovieMeta m = meta(movieId);
        if (m == null) throw ApiError.notFound("movie " + movieId + ": neither in the movies topic nor in the model's catalogue");
        return movie(m);
    }

    /** The movie, or a placeholder for one nobody describes (lists only hold known movies, but be safe). */
    Scored scored(int movieId, double score) {
        MovieMeta m = meta(movieId);
        if (m == null) return new Scored(movieId, "movie " + movieId, List.of(), null, score);
        return new Scored(movieId, m.title(), m.genres(), m.yearKnown() ? m.year() : null, score);
    }

    List<Scored> similar(int movieId, int k) {
        if (k < 1 || k > MAX_K) throw ApiError.badRequest("k: must be from 1 to " + MAX_K + ", was " + k);
        int i = model.items().indexOf(movieId);
        if (i < 0) throw ApiError.notFound("movie " + movieId + ": not in the model's catalogue");
        if (!model.trained(i)) throw ApiError.notFound("movie " + movieId + ": has no trained embedding yet, so no neighbours");
        int[] items = new int[k];
        float[] sims = new float[k];
        int n = similar.nearest(i, k, items, sims);
        List<Scored> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) out.add(scored(model.items().movieId(items[r]), sims[r]));
        return out;
    }

    List<MapPoint> map() {
        List<MapPoint> m = map;
        if (m == null) {
            synchronized (this) {
                if (map == null) map = buildMap();
                m = map;
            }
        }
        return m;
    }

    private static Movie movie(MovieMeta m) {
        return new Movie(m.movieId(), m.title(), m.genres(), m.yearKnown() ? m.year() : null);
    }

    private List<MapPoint> buildMap() {
        EmbeddingMap map = EmbeddingMap.of(model);
        List<MapPoint> out = new ArrayList<>(map.size());
        for (int r = 0; r < map.size(); r++) {
            int i = map.items()[r];
            MovieMeta m = meta(model.items().movieId(i));
            out.add(new MapPoint(m.movieId(), m.title(), m.genres().isEmpty() ? "(none)" : m.genres().get(0),
                    map.x(r), map.y(r), model.popularity(i)));
        }
        return List.copyOf(out);
    }
}
