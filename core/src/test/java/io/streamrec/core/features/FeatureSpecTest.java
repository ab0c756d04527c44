package io.streamrec.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSpecTest {
    private static final float EPS = 1e-6f;
    private static final int G = FeatureSpec.GENRES.size();

    @Test
    void sizes() {
        assertEquals(19, G);
        assertEquals(G + 5, FeatureSpec.ITEM_SIZE);
        assertEquals(4, FeatureSpec.USER_SIZE);
        assertEquals(2, FeatureSpec.PAIR_SIZE);
        assertEquals(3 * 2 + 24 + 4 + 2, new FeatureSpec(2).inputSize());
        assertThrows(IllegalArgumentException.class, () -> new FeatureSpec(0));
    }

    @Test
    void inputNamesAgreeWithInputSizeAndOrder() {
        for (int dim = 1; dim <= 6; dim++) {
            FeatureSpec spec = new FeatureSpec(dim);
            List<String> names = spec.inputNames();
            assertEquals(spec.inputSize(), names.size(), "dim=" + dim);
            assertEquals("user[0]", names.get(0));
            assertEquals("item[0]", names.get(dim));
            assertEquals("user_x_item[" + (dim - 1) + "]", names.get(3 * dim - 1));
            assertEquals("genre:Action", names.get(3 * dim));
            assertEquals("retrieval_bias", names.get(3 * dim + FeatureSpec.ITEM_SIZE - 1));
            assertEquals("log_event_count", names.get(3 * dim + FeatureSpec.ITEM_SIZE));
            assertEquals("mf_rating", names.get(3 * dim + FeatureSpec.ITEM_SIZE + FeatureSpec.USER_SIZE));
            assertEquals("retrieval_score", names.get(names.size() - 1));
        }
    }

    @Test
    void encodeItemGenresAtTheirGenresPositions() {
        float[] out = new float[3 + FeatureSpec.ITEM_SIZE + 2];
        Arrays.fill(out, 9f); // garbage from a previous row must be overwritten
        MovieMeta m = new MovieMeta(1, "T", List.of("Comedy", "Action", "Nonsense", "Sci-Fi", "comedy"), 2015);
        FeatureSpec.encodeItem(m, 99, 0.3f, -0.7f, out, 3);

        float[] genres = Arrays.copyOfRange(out, 3, 3 + G);
        float[] expected = new float[G];
        expected[0] = 1f;  // Action
        expected[4] = 1f;  // Comedy (lower-case "comedy" and "Nonsense" are ignored)
        expected[15] = 1f; // Sci-Fi
        assertEquals(0, FeatureSpec.GENRES.indexOf("Action"));
        assertEquals(4, FeatureSpec.GENRES.indexOf("Comedy"));
        assertEquals(15, FeatureSpec.GENRES.indexOf("Sci-Fi"));
        assertArrayEquals(expected, genres, 0f);

        int o = 3 + G;
        assertEquals(1.0f, out[o], EPS, "year: (2015 - 1995) / 20");
        assertEquals(0f, out[o + 1], 0f, "year known");
        assertEquals((float) (Math.log(100) / 10), out[o + 2], EPS, "log1p(99) / 10 = ln(100)/10 = 0.4605");
        assertEquals(0.4605170f, out[o + 2], EPS);
        assertEquals(0.3f, out[o + 3], 0f);
        assertEquals(-0.7f, out[o + 4], 0f);
        // nothing written outside the row
        assertEquals(9f, out[2], 0f);
        assertEquals(9f, out[3 + FeatureSpec.ITEM_SIZE], 0f);
        assertEquals(9f, out[out.length - 1], 0f);
    }

    @Test
    void encodeItemEveryGenreMapsToItsOwnPosition() {
        for (int g = 0; g < G; g++) {
            float[] out = new float[FeatureSpec.ITEM_SIZE];
            FeatureSpec.encodeItem(new MovieMeta(1, "T", List.of(FeatureSpec.GENRES.get(g)), 1990), 0, 0f, 0f, out, 0);
            for (int k = 0; k < G; k++) assertEquals(k == g ? 1f : 0f, out[k], 0f, "genre " + g + " pos " + k);
        }
    }

    @Test
    void encodeItemUnknownYearAndNullMovie() {
        float[] out = new float[FeatureSpec.ITEM_SIZE];
        Arrays.fill(out, 5f);
        FeatureSpec.encodeItem(new MovieMeta(1, "T", List.of("Drama"), 0), 0, 0f, 0f, out, 0);
        assertEquals(1f, out[7], 0f, "Drama");
        assertEquals(0f, out[G], 0f, "unknown year encodes as 0");
        assertEquals(1f, out[G + 1], 0f, "year_unknown flag");
        assertEquals(0f, out[G + 2], 0f, "log1p(0) = 0");

        // 1975: (1975 - 1995) / 20 = -1
        FeatureSpec.encodeItem(new MovieMeta(1, "T", List.of(), 1975), 0, 0f, 0f, out, 0);
        assertEquals(-1f, out[G], EPS);
        assertEquals(0f, out[G + 1], 0f);
        assertEquals(0f, out[7], 0f, "previous genres cleared");

        Arrays.fill(out, 5f);
        FeatureSpec.encodeItem(null, -20, 0.1f, 0.2f, out, 0);
        for (int g = 0; g < G; g++) assertEquals(0f, out[g], 0f);
        assertEquals(0f, out[G], 0f);
        assertEquals(1f, out[G + 1], 0f);
        assertEquals(0f, out[G + 2], 0f, "negative popularity clamps to 0");
        assertEquals(0.1f, out[G + 3], 0f);
        assertEquals(0.2f, out[G + 4], 0f);
    }

    @Test
    void encodeItemPopularityIsMonotone() {
        float prev = -1f;
        for (long pop : new long[] {0, 1, 10, 1000, 1_000_000}) {
            float[] out = new float[FeatureSpec.ITEM_SIZE];
            FeatureSpec.encodeItem(null, pop, 0f, 0f, out, 0);
            assertTrue(out[G + 2] > prev);
            assertEquals(Math.log1p(pop) / 10, out[G + 2], 1e-6);
            prev = out[G + 2];
        }
    }

    @Test
    void encodeUserMeanRatingCentred() {
        float[] out = new float[6];
        Arrays.fill(out, 9f);
        // 147 events: ln(148)/5 = 0.99942 ; 2 ratings summing 9 -> mean 4.5 -> 4.5 - 3.5 = 1.0
        FeatureSpec.encodeUser(147, 2, 9.0, -0.25f, out, 1);
        assertEquals(9f, out[0], 0f);
        assertEquals((float) (Math.log(148) / 5), out[1], EPS);
        assertEquals(1.0f, out[2], EPS);
        assertEquals(1f, out[3], 0f);
        assertEquals(-0.25f, out[4], 0f);
        assertEquals(9f, out[5], 0f);

        // mean below the centre: 3 ratings summing 6 -> 2 - 3.5 = -1.5
        FeatureSpec.encodeUser(3, 3, 6.0, 0f, out, 0);
        assertEquals(-1.5f, out[1], EPS);
    }

    @Test
    void encodeUserWithoutRatingsIsZeros() {
        float[] out = new float[FeatureSpec.USER_SIZE];
        Arrays.fill(out, 9f);
        FeatureSpec.encodeUser(0, 0, 0.0, 0f, out, 0);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, out, 0f);
        // watches only: an event count but no rating
        FeatureSpec.encodeUser(4, 0, 0.0, 0f, out, 0);
        assertEquals((float) (Math.log(5) / 5), out[0], EPS);
        assertEquals(0f, out[1], 0f);
        assertEquals(0f, out[2], 0f);
    }

    @Test
    void encodePairCentresTheRating() {
        float[] out = {9, 9, 9, 9};
        FeatureSpec.encodePair(4.25f, 0.8f, out, 1);
        assertArrayEquals(new float[] {9f, 0.75f, 0.8f, 9f}, out, EPS);
        FeatureSpec.encodePair(FeatureSpec.RATING_CENTRE, -2f, out, 0);
        assertEquals(0f, out[0], 0f);
        assertEquals(-2f, out[1], 0f);
    }

    @Test
    void assembleOrder() {
        FeatureSpec spec = new FeatureSpec(2);
        float[] user = {7, 7, 1f, 2f};          // row at offset 2
        float[] item = {3f, -1f};               // row at offset 0
        float[] itemF = new float[FeatureSpec.ITEM_SIZE + 1];
        for (int i = 0; i < FeatureSpec.ITEM_SIZE; i++) itemF[i + 1] = 100 + i;
        float[] userF = {200, 201, 202, 203};
        float[] pairF = {0, 0, 300, 301};       // row at offset 2
        float[] out = new float[spec.inputSize() + 2];
        Arrays.fill(out, -9f);
        spec.assemble(user, 2, item, 0, itemF, 1, userF, 0, pairF, 2, out, 1);

        List<Float> expected = new ArrayList<>(List.of(1f, 2f, 3f, -1f, 3f, -2f)); // u | v | u∘v
        for (int i = 0; i < FeatureSpec.ITEM_SIZE; i++) expected.add(100f + i);
        expected.addAll(List.of(200f, 201f, 202f, 203f, 300f, 301f));
        assertEquals(spec.inputSize(), expected.size());
        assertEquals(-9f, out[0], 0f);
        assertEquals(-9f, out[out.length - 1], 0f);
        for (int k = 0; k < expected.size(); k++) assertEquals(expected.get(k), out[1 + k], 0f, "position " + k);

        // and positions agree with the names
        List<String> names = spec.inputNames();
        assertEquals("user_x_item[1]", names.get(5));
        assertEquals(-2f, out[1 + 5], 0f);
        assertEquals("log_popularity", names.get(6 + G + 2));
        assertEquals(100f + G + 2, out[1 + 6 + G + 2], 0f);
        assertEquals("has_ratings", names.get(6 + FeatureSpec.ITEM_SIZE + 2));
        assertEquals(202f, out[1 + 6 + FeatureSpec.ITEM_SIZE + 2], 0f);
    }

    @Test
    void movieMetaCopiesGenresAndKnowsTheYear() {
        List<String> genres = new ArrayList<>(List.of("Drama"));
        MovieMeta m = new MovieMeta(5, "X", genres, 0);
        genres.add("Comedy");
        assertEquals(List.of("Drama"), m.genres());
        assertFalse(m.yearKnown());
        assertTrue(new MovieMeta(5, "X", List.of(), 1999).yearKnown());
        assertThrows(NullPointerException.class, () -> new MovieMeta(5, null, List.of(), 1999));
    }
}
