package io.streamrec.trainer.train;

import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.model.GeneratedModel;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.LoadSummary;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A known user's starting state is the one the app's warm start makes of the published vector. */
class WarmStartsTest {
    static final RecommenderModel MODEL = GeneratedModel.model(80, 4, 3);
    static final int USER = 7, OTHER = 8;

    @Test
    void theStartRemembersTheNewestTrainingMoviesWithTheirRatings() {
        Interactions.Builder b = Interactions.builder();
        int n = WarmStarts.HISTORY_EVENTS + 5;
        for (int m = 1; m <= n; m++) b.addRating(USER, m, 0.5f + m % 10 * 0.5f, 1000L + m);
        b.addWatch(USER, 70, 0.8f, 5000L);
        b.addRating(USER, 3, 5f, 6000L); // re-rated: the latest rating counts, in its first place
        b.addRating(OTHER, 1, 3f, 1000L);
        WarmStarts warm = warmStarts(b.build());

        UserState s = warm.apply(USER);
        assertEquals(n + 2, s.eventCount());
        assertEquals(WarmStarts.HISTORY_EVENTS, s.historyCount());
        int[] movies = s.historyMovies();
        float[] ratings = s.historyRatings();
        // oldest first: movies 7..55 then the watched 70 (movie 3, re-rated, keeps its place among the oldest)
        assertEquals(n - WarmStarts.HISTORY_EVENTS + 2, movies[0]);
        assertEquals(70, movies[movies.length - 1]);
        assertTrue(Float.isNaN(ratings[ratings.length - 1]), "a watch has no rating");
        for (int k = 0; k < movies.length - 1; k++) assertEquals(0.5f + movies[k] % 10 * 0.5f, ratings[k], "movie " + movies[k]);
        for (float c : s.historyCompletions()) assertTrue(Float.isNaN(c));

        // the same rows as the user vector the trainer publishes (users.avro), cut to the newest HISTORY_EVENTS
        var history = warm.history();
        int[] seen = history.seenOldestFirst()[0];
        int from = seen.length - WarmStarts.HISTORY_EVENTS;
        assertArrayEquals(java.util.Arrays.copyOfRange(seen, from, seen.length), movies);
        assertArrayEquals(java.util.Arrays.copyOfRange(history.seenRatings()[0], from, seen.length), ratings);
        assertNull(warm.apply(99), "a user without training events starts from the prior");
    }

    static WarmStarts warmStarts(Interactions events) {
        Dataset data = new Dataset("test", List.of(), events, new LoadSummary("test", List.of(), events.size(), events.size(), 0, 0));
        Indexed idx = Indexed.of(data);
        int users = idx.userCount(), items = idx.itemCount(), rd = MODEL.ratingDim(), d = MODEL.dim();
        MfTrainer.Model mf = new MfTrainer.Model(rd, 3.5f, new float[users], new float[items], new float[users * rd],
                new float[items * rd], new boolean[items], 1, Double.NaN);
        BprTrainer.Model bpr = new BprTrainer.Model(d, new float[users * d], new float[items * d], new float[items], new boolean[items]);
        return new WarmStarts(MODEL, mf, bpr, idx, events);
    }
}
