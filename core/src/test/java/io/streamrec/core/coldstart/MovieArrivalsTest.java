package io.streamrec.core.coldstart;

import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.Retrievers;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.core.retrieval.UpdatableRetriever;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hand-made 2-d model: three trained movies, one catalogue movie without vectors, two free slots. A map whose only
 * non-zero weight is the Comedy row's retrieval vector (1, 0) and retrieval bias 5 puts a new comedy first for a user
 * pointing at (1, 0).
 */
class MovieArrivalsTest {
    static final int RD = 2, D = 2;

    static RecommenderModel model() {
        ItemIndex index = ItemIndex.of(new int[] {10, 20, 30, 40}, 2);
        int n = index.size();
        MovieMeta[] movies = new MovieMeta[n];
        for (int i = 0; i < n; i++) {
            movies[i] = i < 4 ? new MovieMeta(index.movieId(i), "m" + i, List.of("Drama"), 2000) : RecommenderModel.FREE_SLOT;
        }
        float[] v = new float[n * D];
        boolean[] trained = new boolean[n];
        for (int i = 0; i < 3; i++) {
            v[i * D] = 0.1f * (i + 1);
            trained[i] = true;
        }
        return new RecommenderModel("m", D, RD, 3.5f, index, movies, new float[n * RD], new float[n], v, new float[n], trained,
                new long[n], OnlineConfig.defaults());
    }

    static MovieFeatureMap comedyMap() {
        int t = RD + D + 2, comedy = MovieFeatures.NAMES.indexOf("genre:Comedy");
        float[] w = new float[MovieFeatures.SIZE * t];
        w[comedy * t + RD + 1] = 1f; // v[0]
        w[comedy * t + RD + 1 + D] = 5f; // c
        return new MovieFeatureMap(RD, D, w, 3);
    }

    static int top(UpdatableRetriever r) {
        int[] items = new int[1];
        float[] scores = new float[1];
        assertEquals(1, r.topK(new float[] {1, 0}, 1, i -> false, new TopK(1), items, scores));
        return items[0];
    }

    @Test
    void newMoviesTakeFreeSlotsKnownOnesAreLeftAloneAndAFullIndexRefuses() {
        RecommenderModel m = model();
        UpdatableRetriever r = Retrievers.exact(m.retrievalVectors(), m.retrievalBiases(), m.trainedFlags(), D);
        MovieFeatureMap map = comedyMap();
        assertEquals(2, top(r), "before: the trained movie with the longest vector");

        assertEquals(MovieArrivals.Outcome.KNOWN, MovieArrivals.arrive(m, map, r, new MovieMeta(20, "x", List.of("Comedy"), 2000)));
        assertEquals(0.2f, m.retrievalVectors()[1 * D], "a known movie keeps its vectors");

        assertEquals(MovieArrivals.Outcome.ADDED, MovieArrivals.arrive(m, map, r, new MovieMeta(99, "New", List.of("Comedy"), 2025)));
        int slot = m.items().indexOf(99);
        assertEquals(4, slot);
        assertTrue(m.trained(slot));
        assertEquals("New", m.movie(slot).title());
        assertEquals(5f, m.retrievalBias(slot));
        assertEquals(slot, top(r), "retrievable at once");

        assertEquals(MovieArrivals.Outcome.MAPPED, MovieArrivals.arrive(m, map, r, new MovieMeta(40, "Listed", List.of("Comedy"), 2025)));
        assertEquals(3, m.items().indexOf(40), "a catalogue movie without vectors keeps its slot");
        assertTrue(m.trained(3));

        assertEquals(MovieArrivals.Outcome.ADDED, MovieArrivals.arrive(m, map, r, new MovieMeta(98, "a", List.of(), 2025)));
        assertEquals(MovieArrivals.Outcome.NO_ROOM, MovieArrivals.arrive(m, map, r, new MovieMeta(97, "b", List.of(), 2025)));
        assertEquals(-1, m.items().indexOf(97));
        assertArrayEquals(new int[] {0, 1, 2}, m.trainedAtLoad(), "online learning's negatives stay the loaded movies");
    }

    @Test
    void aUsersStepOnAMappedMovieIsScaledByTheModelsFactorAndTheMoviesFeedbackIsNot() {
        MovieFeatureMap map = comedyMap();
        for (float factor : new float[] {0f, 0.5f, 1f}) {
            RecommenderModel m = model().withMappedUserStep(factor);
            UpdatableRetriever r = Retrievers.exact(m.retrievalVectors(), m.retrievalBiases(), m.trainedFlags(), D);
            MovieArrivals.arrive(m, map, r, new MovieMeta(99, "New", List.of("Comedy"), 2025));
            int slot = m.items().indexOf(99);
            assertEquals(factor, m.userStepFactor(slot));
            assertEquals(1f, m.userStepFactor(0), "a trained movie: a full step");
            io.streamrec.core.model.UserState s = io.streamrec.core.model.UserState.empty(m);
            float[] before = s.retrievalVector().clone();
            io.streamrec.core.learn.ItemFeedback feedback = new io.streamrec.core.learn.ItemFeedback(RD, D);
            new io.streamrec.core.learn.OnlineLearner(m).learn(1L, s, 99, slot, 5f, Float.NaN, 0L, feedback);
            assertEquals(1, s.eventCount());
            assertFalse(feedback.isEmpty(), "the movie learns from the event whatever the user's factor");
            if (factor == 0f) assertArrayEquals(before, s.retrievalVector(), "no user step");
            else assertFalse(java.util.Arrays.equals(before, s.retrievalVector()), "a user step of factor " + factor);
        }
    }
}
