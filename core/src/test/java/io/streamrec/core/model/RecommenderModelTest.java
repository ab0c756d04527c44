package io.streamrec.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.learn.OnlineConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecommenderModelTest {

    @Test
    void itemIndexSortsAndDeduplicates() {
        ItemIndex idx = ItemIndex.of(new int[] {30, 10, 20, 10, 5});
        assertEquals(4, idx.size());
        assertArrayEquals(new int[] {5, 10, 20, 30}, idx.movieIds());
        assertEquals(0, idx.indexOf(5));
        assertEquals(3, idx.indexOf(30));
        assertEquals(-1, idx.indexOf(15));
        assertEquals(-1, idx.indexOf(1));
        assertEquals(-1, idx.indexOf(99));
        assertEquals(20, idx.movieId(2));
        idx.movieIds()[0] = 99;
        assertEquals(5, idx.movieId(0), "movieIds() is a copy");
        assertEquals(0, ItemIndex.of(new int[0]).size());
        assertEquals(-1, ItemIndex.of(new int[0]).indexOf(3));
    }

    private static RecommenderModel build(int n, int dim, int vecLen) {
        int[] ids = new int[n];
        MovieMeta[] movies = new MovieMeta[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 100 + i;
            movies[i] = new MovieMeta(100 + i, "m", List.of(FeatureSpec.GENRES.get(i)), 1995 + 20 * i);
        }
        float[] rb = new float[n], tb = new float[n];
        for (int i = 0; i < n; i++) {
            rb[i] = 0.1f * i;
            tb[i] = -0.2f * i;
        }
        long[] pop = new long[n];
        Arrays.fill(pop, 9);
        return new RecommenderModel("v", dim, 3.5f, ItemIndex.of(ids), movies, new float[vecLen], rb, new float[n * dim],
                tb, new boolean[n], pop, OnlineConfig.defaults());
    }

    @Test
    void itemFeaturesArePrecomputedWithEncodeItem() {
        RecommenderModel m = build(3, 2, 6);
        assertEquals(3 * FeatureSpec.ITEM_SIZE, m.itemFeatures().length);
        for (int i = 0; i < 3; i++) {
            float[] expected = new float[FeatureSpec.ITEM_SIZE];
            FeatureSpec.encodeItem(m.movie(i), m.popularity(i), m.ratingBias(i), m.retrievalBias(i), expected, 0);
            float[] row = Arrays.copyOfRange(m.itemFeatures(), i * FeatureSpec.ITEM_SIZE, (i + 1) * FeatureSpec.ITEM_SIZE);
            assertArrayEquals(expected, row, 0f);
            assertEquals(1f, row[i], 0f, "genre " + i);
            assertEquals(i, row[FeatureSpec.GENRES.size()], 1e-6f, "year (1995 + 20i - 1995)/20 = i");
        }
        assertEquals(2, m.featureSpec().dim());
        assertEquals(3, m.itemCount());
    }

    @Test
    void shapeMismatchesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> build(3, 2, 5));
        ItemIndex idx = ItemIndex.of(new int[] {1, 2});
        MovieMeta[] movies = {null, null};
        assertThrows(IllegalArgumentException.class, () -> new RecommenderModel("v", 2, 3.5f, idx, movies, new float[4],
                new float[3], new float[4], new float[2], new boolean[2], new long[2], OnlineConfig.defaults()));
        assertThrows(IllegalArgumentException.class, () -> new RecommenderModel("v", 2, 3.5f, idx, movies, new float[4],
                new float[2], new float[4], new float[2], new boolean[1], new long[2], OnlineConfig.defaults()));
    }
}
