package io.streamrec.trainer.cli;

import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.SimilarMovies;
import io.streamrec.model.ModelDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "similar", mixinStandardHelpOptions = true, description = "Lists the movies nearest to one movie by embedding (cosine).")
public final class SimilarCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model directory")
    Path model;

    @Option(names = "--movie", required = true, description = "Movie id")
    int movieId;

    @Option(names = "-k", defaultValue = "10", description = "How many (default: ${DEFAULT-VALUE})")
    int k;

    @Override
    public Integer call() {
        RecommenderModel m = ModelDirectory.read(model).model();
        int[] ids = new int[k];
        float[] sims = new float[k];
        int item = m.items().indexOf(movieId);
        if (item < 0 || !m.trained(item)) throw new IllegalArgumentException("movie " + movieId + " has no trained vector in " + model);
        int n = SimilarMovies.of(m).nearest(item, k, ids, sims);
        MovieMeta q = m.movie(item);
        System.out.printf("Movies nearest to %d %s (%s):%n", q.movieId(), q.title(), String.join("|", q.genres()));
        for (int r = 0; r < n; r++) {
            MovieMeta mm = m.movie(ids[r]);
            System.out.printf("%3d. %6.3f  %6d  %s (%s) [%s]%n", r + 1, sims[r], mm.movieId(), mm.title(),
                    mm.yearKnown() ? mm.year() : "?", String.join("|", mm.genres()));
        }
        return 0;
    }
}
