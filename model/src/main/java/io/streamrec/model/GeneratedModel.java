package io.streamrec.model;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.rank.Mlp;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.rank.RankerNetwork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A model of any size made without training, for load tests and benchmarks: random item vectors
 * (Gaussian, scale 0.1), biases, Zipf-like popularity, a catalogue with random genres and years,
 * and a ranking network of the trainer's shape (input-64-32-2) with He-initialised random
 * weights. Serving cost depends only on the sizes (items × dim for retrieval, candidates for the
 * network), not on what the weights learned, so the throughput measured with it is the
 * throughput of a trained model of the same size. The recommendations themselves mean nothing.
 */
public final class GeneratedModel {
    private GeneratedModel() {}

    /** The in-memory serving model: movie ids 1..movies, all items trained. */
    public static RecommenderModel model(int movies, int dim, long seed) {
        if (movies < 1) throw new IllegalArgumentException("movies must be >= 1, got " + movies);
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] ids = new int[movies];
        MovieMeta[] meta = new MovieMeta[movies];
        float[] q = new float[movies * dim], bi = new float[movies], v = new float[movies * dim], c = new float[movies];
        boolean[] trained = new boolean[movies];
        long[] popularity = new long[movies];
        for (int i = 0; i < movies; i++) {
            ids[i] = i + 1;
            List<String> genres = new ArrayList<>(2);
            genres.add(FeatureSpec.GENRES.get(rnd.nextInt(FeatureSpec.GENRES.size())));
            if (rnd.nextBoolean()) genres.add(FeatureSpec.GENRES.get(rnd.nextInt(FeatureSpec.GENRES.size())));
            meta[i] = new MovieMeta(i + 1, "movie " + (i + 1), genres.stream().distinct().toList(), 1950 + rnd.nextInt(75));
            popularity[i] = (long) (100_000.0 / (1 + rnd.nextInt(movies)));
            bi[i] = (float) (gaussian(rnd) * 0.3);
            c[i] = (float) (Math.log1p(popularity[i]) / 10.0);
            trained[i] = true;
        }
        for (int k = 0; k < q.length; k++) q[k] = (float) (gaussian(rnd) * 0.1);
        for (int k = 0; k < v.length; k++) v[k] = (float) (gaussian(rnd) * 0.1);
        return new RecommenderModel("generated-" + movies + "x" + dim, dim, 3.5f, ItemIndex.of(ids), meta, q, bi, v, c,
                trained, popularity, OnlineConfig.defaults());
    }

    /** A ranking network with these hidden layers for {@code dim}, random weights. */
    public static RankerNetwork ranker(int dim, int[] hidden, long seed) {
        FeatureSpec spec = new FeatureSpec(dim);
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = spec.inputSize();
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = Ranker.OUTPUTS;
        return new RankerNetwork(spec, Mlp.initialise(sizes, seed));
    }

    /** Writes a complete model directory (as {@code ./recsys train} would) that {@link ModelDirectory#read} loads. */
    public static void write(Path dir, int movies, int dim, int[] hidden, long seed) {
        RecommenderModel m = model(movies, dim, seed);
        ModelDirectory.write(dir, new ModelContents(m, ranker(dim, hidden, seed + 1), 1f, UserVectors.none(),
                Map.of("generated", true), Map.of("name", "generated", "generatedBy", GeneratedModel.class.getSimpleName())));
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble(), u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
