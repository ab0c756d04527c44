package io.streamrec.model;

import io.streamrec.core.model.RecommenderModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** A trained model grown for load tests keeps its trained items, copies the rest from them with noise, and keeps its network. */
class ResampledModelTest {
    private static final int[] HIDDEN = {16, 8};

    @Test
    void grownModelKeepsTheTrainedItemsAndNetworkAndCopiesTheRestWithNoise(@TempDir Path tmp) {
        Path source = tmp.resolve("source"), grown = tmp.resolve("grown");
        GeneratedModel.write(source, 40, 8, HIDDEN, 5);
        ModelDirectory.Loaded src = ModelDirectory.read(source);
        ResampledModel.write(source, grown, 400, 9);
        ModelDirectory.Loaded out = ModelDirectory.read(grown);
        RecommenderModel s = src.model(), g = out.model();

        assertEquals(400, g.itemCount());
        assertEquals(400, out.manifest().trainedItems());
        for (int i = 0; i < 400; i++) assertEquals(i + 1, g.items().movieId(i), "movie ids are 1..movies");
        assertArrayEquals(s.retrievalVectors(), Arrays.copyOf(g.retrievalVectors(), 40 * 8), "the trained items come first, unchanged");
        assertArrayEquals(s.ratingVectors(), Arrays.copyOf(g.ratingVectors(), 40 * 8));
        assertArrayEquals(src.onnx(), out.onnx(), "the trained network is served");
        assertArrayEquals(src.manifest().rankerLayers(), out.manifest().rankerLayers());
        assertEquals(src.rankerWeight(), out.rankerWeight());

        // every copy is a trained item's (biases and popularity: the generated rating biases are distinct), near its vector
        float[] sd = ResampledModel.spread(s.retrievalVectors(), 8, s.trainedAtLoad());
        double typicalSd = 0;
        for (float x : sd) typicalSd += x / sd.length;
        int noisy = 0;
        for (int i = 40; i < 400; i++) {
            int from = -1;
            for (int j = 0; j < 40; j++) if (s.ratingBias(j) == g.ratingBias(i)) from = j;
            assertTrue(from >= 0, "copy " + i + " has a trained item's rating bias");
            assertEquals(s.retrievalBias(from), g.retrievalBias(i));
            assertEquals(s.popularity(from), g.popularity(i));
            assertEquals(s.movie(from).genres(), g.movie(i).genres());
            double dist = 0;
            for (int f = 0; f < 8; f++) {
                double diff = g.retrievalVectors()[i * 8 + f] - s.retrievalVectors()[from * 8 + f];
                dist += diff * diff;
            }
            assertTrue(Math.sqrt(dist) < 8 * ResampledModel.NOISE_SD_SHARE * typicalSd, "copy " + i + " is near its source");
            if (dist > 0) noisy++;
        }
        assertEquals(360, noisy, "every copy got noise");
    }

    @Test
    void refusesToShrinkTheTrainedCatalogue(@TempDir Path tmp) {
        GeneratedModel.write(tmp, 40, 8, HIDDEN, 5);
        RecommenderModel m = ModelDirectory.read(tmp).model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResampledModel.model(m, 39, 1));
        assertTrue(e.getMessage().contains("at least the model's 40 trained items"), e.getMessage());
    }
}
