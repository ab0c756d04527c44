package io.streamrec.app.http;

import io.streamrec.core.analysis.EmbeddingMap;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.SimilarMovies;

import java.util.ArrayList;
import java.util.List;

/** What the API says about movies: catalogue entries from the model, nearest neighbours, and the 2-D embedding map. */
final class Catalogue {
    /** The largest k {@code /movies/{id}/similar} accepts. */
    static final int MAX_K = 100;

    private final RecommenderModel model;
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

    Catalogue(RecommenderModel model) {
        this.model = model;
        this.similar = SimilarMovies.of(model);
    }

    Movie movie(int movieId) {
        int i = model.items().indexOf(movieId);
        if (i < 0) throw ApiError.notFound("movie " + movieId + ": not in the model's catalogue");
        return movie(model.movie(i));
    }

    /** The movie, or a placeholder for one the model has not seen (lists only hold known movies, but be safe). */
    Scored scored(int movieId, double score) {
        int i = model.items().indexOf(movieId);
        if (i < 0) return new Scored(movieId, "movie " + movieId, List.of(), null, score);
        MovieMeta m = model.movie(i);
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
                if (map == null) map = buildMap(model);
                m = map;
            }
        }
        return m;
    }

    private static Movie movie(MovieMeta m) {
        return new Movie(m.movieId(), m.title(), m.genres(), m.yearKnown() ? m.year() : null);
    }

    private static List<MapPoint> buildMap(RecommenderModel model) {
        EmbeddingMap map = EmbeddingMap.of(model);
        List<MapPoint> out = new ArrayList<>(map.size());
        for (int r = 0; r < map.size(); r++) {
            int i = map.items()[r];
            MovieMeta m = model.movie(i);
            out.add(new MapPoint(m.movieId(), m.title(), m.genres().isEmpty() ? "(none)" : m.genres().get(0),
                    map.x(r), map.y(r), model.popularity(i)));
        }
        return List.copyOf(out);
    }
}
