package io.streamrec.core.coldstart;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated catalogues in which the item vectors either depend on genres and year (plus noise) or not at all; the map
 * is fitted on the trained three quarters and judged on the quarter it never saw.
 */
class MovieFeatureMapTest {
    static final int MOVIES = 2000, TRAINED = 1500, RATING_DIM = 8, DIM = 4;

    /** The generated model, and the true item-side outputs (q, b, v, c per movie) the untrained movies would have. */
    record Generated(RecommenderModel model, float[] truth) {}

    static Generated generate(long seed, boolean dependsOnFeatures) {
        Random rnd = new Random(seed);
        int t = RATING_DIM + DIM + 2;
        double[] w = new double[MovieFeatures.SIZE * t];
        for (int k = 0; k < w.length; k++) w[k] = rnd.nextGaussian() * 0.5;
        int[] ids = new int[MOVIES];
        MovieMeta[] movies = new MovieMeta[MOVIES];
        float[] truth = new float[MOVIES * t];
        double[] x = new double[MovieFeatures.SIZE];
        for (int i = 0; i < MOVIES; i++) {
            ids[i] = 10 + 3 * i;
            List<String> genres = new ArrayList<>();
            for (String g : FeatureSpec.GENRES) if (rnd.nextDouble() < 0.15) genres.add(g);
            int year = rnd.nextDouble() < 0.05 ? 0 : 1930 + rnd.nextInt(90);
            movies[i] = new MovieMeta(ids[i], "movie " + ids[i], genres, year);
            MovieFeatures.encode(movies[i], x, 0);
            for (int k = 0; k < t; k++) {
                double s = 0;
                if (dependsOnFeatures) for (int j = 0; j < x.length; j++) s += x[j] * w[j * t + k];
                truth[i * t + k] = (float) (s + rnd.nextGaussian() * 0.3);
            }
        }
        float[] q = new float[MOVIES * RATING_DIM], bi = new float[MOVIES], v = new float[MOVIES * DIM], c = new float[MOVIES];
        boolean[] trained = new boolean[MOVIES];
        for (int i = 0; i < TRAINED; i++) {
            int o = i * t;
            System.arraycopy(truth, o, q, i * RATING_DIM, RATING_DIM);
            bi[i] = truth[o + RATING_DIM];
            System.arraycopy(truth, o + RATING_DIM + 1, v, i * DIM, DIM);
            c[i] = truth[o + RATING_DIM + 1 + DIM];
            trained[i] = true;
        }
        RecommenderModel m = new RecommenderModel("gen", DIM, RATING_DIM, 3.5f, ItemIndex.of(ids), movies, q, bi, v, c,
                trained, new long[MOVIES], OnlineConfig.defaults());
        return new Generated(m, truth);
    }

    /** Pearson correlation of every output of every untrained movie, predicted against true. */
    static double heldOutCorrelation(Generated g, MovieFeatureMap map) {
        int t = map.outputs(), n = (MOVIES - TRAINED) * t;
        double[] p = new double[n], y = new double[n];
        float[] out = new float[t];
        for (int i = TRAINED, r = 0; i < MOVIES; i++) {
            map.predict(g.model().movie(i), out);
            for (int k = 0; k < t; k++, r++) {
                p[r] = out[k];
                y[r] = g.truth()[i * t + k];
            }
        }
        return pearson(p, y);
    }

    static double pearson(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void predictsTheVectorsOfMoviesItNeverSawWhenTheyDependOnGenresAndYear() {
        Generated g = generate(7, true);
        MovieFeatureMap map = MovieFeatureMap.fit(g.model());
        assertEquals(TRAINED, map.fittedOn());
        double r = heldOutCorrelation(g, map);
        // signal sd ≈ 0.5·sqrt(~5 active features) ≈ 1.1 against noise 0.3: the best possible correlation is ≈ 0.96
        assertTrue(r > 0.9, "held-out correlation " + r);
    }

    @Test
    void predictsNothingWhenTheVectorsDoNotDependOnTheFeatures() {
        Generated g = generate(8, false);
        double r = heldOutCorrelation(g, MovieFeatureMap.fit(g.model()));
        assertTrue(Math.abs(r) < 0.1, "held-out correlation " + r + " on vectors independent of the features");
    }

    @Test
    void writeIntoGivesAnUnknownMovieItsPredictedVectorsInACopyOnly() {
        Generated g = generate(9, true);
        MovieFeatureMap map = MovieFeatureMap.fit(g.model());
        RecommenderModel copy = g.model().withOwnItemArrays();
        int item = TRAINED + 3;
        map.writeInto(copy, item);
        float[] out = new float[map.outputs()];
        map.predict(copy.movie(item), out);
        assertTrue(copy.trained(item));
        assertFalse(g.model().trained(item), "the original model's flags are not the copy's");
        float[] v = new float[DIM];
        System.arraycopy(copy.retrievalVectors(), item * DIM, v, 0, DIM);
        float[] expected = new float[DIM];
        System.arraycopy(out, RATING_DIM + 1, expected, 0, DIM);
        assertArrayEquals(expected, v);
        assertEquals(out[RATING_DIM], copy.ratingBias(item));
        assertEquals(out[RATING_DIM + 1 + DIM], copy.retrievalBias(item));
        assertEquals(0f, g.model().retrievalBias(item));
        int biasFeature = FeatureSpec.ITEM_FEATURES.indexOf("retrieval_bias");
        assertEquals(out[RATING_DIM + 1 + DIM], copy.itemFeatures()[item * FeatureSpec.ITEM_SIZE + biasFeature]);
    }

    @Test
    void ridgeRecoversExactWeightsWithoutNoise() {
        // y = 2·x0 − x1 + 3 (intercept column 2): the solve must return those weights
        double[] x = {1, 0, 1, 0, 1, 1, 1, 1, 1, 2, 3, 1};
        double[] y = new double[4];
        for (int r = 0; r < 4; r++) y[r] = 2 * x[r * 3] - x[r * 3 + 1] + 3;
        double[] w = RidgeRegression.fit(x, 4, 3, y, 1, 0.0, 2);
        assertEquals(2.0, w[0], 1e-6);
        assertEquals(-1.0, w[1], 1e-6);
        assertEquals(3.0, w[2], 1e-6);
    }
}
