package io.streamrec.trainer.eval;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticData;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.TrainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cold-start protocol on generated data whose movie vectors come from their genres (SyntheticData): every 8th
 * movie loses its events in the first 85% of time, so it is first rated in the replayed part and the model has no
 * vectors for it. Without the feature map such movies are never hit; with it they are. Their rating error is printed,
 * not asserted: measured when written, cold RMSE 0.747 with the map against 0.739 without (online users) and 0.737
 * against 0.738 (online users + items), 258 cold events: the map does not predict those ratings better here.
 */
class ColdStartEvaluationTest {
    static List<Row> rows;
    static int coldMovies;

    @BeforeAll
    static void run() {
        Dataset full = SyntheticData.generate(new SyntheticConfig(300, 400, 40, 42L));
        Interactions sorted = full.events().sortedByTime();
        int early = (int) (sorted.size() * 0.85);
        int[] keep = IntStream.range(0, sorted.size()).filter(e -> e >= early || sorted.movieId(e) % 8 != 0).toArray();
        Interactions events = sorted.subset(keep);
        coldMovies = (int) IntStream.range(early, sorted.size()).map(sorted::movieId).filter(id -> id % 8 == 0).distinct().count();
        Dataset data = new Dataset(full.name() + " (every 8th movie late)", full.movies(), events, full.summary());
        rows = ColdStartEvaluation.run(data, TrainConfig.defaults().withRatingDim(48), EpochListener.NONE);
    }

    private static Row row(String name) {
        return rows.stream().filter(r -> r.model().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theColdMoviesAreThoseFirstRatedInTheReplayedPart() {
        assertTrue(coldMovies >= 20, "generated cold movies: " + coldMovies);
        for (Row r : rows) assertEquals(coldMovies, (int) r.get("cold movies"), r.model());
        assertEquals(List.of("online users, no map", "online users, map at first event, as fitted",
                "online users, map at first event", "online users + items, no map",
                "online users + items, map at first event, as fitted", "online users + items, map at first event",
                "online users + items, map at start"),
                rows.stream().map(Row::model).toList());
    }

    @Test
    void withoutTheMapColdMoviesAreNeverHit() {
        assertEquals(0.0, row("online users, no map").get("cold hits"));
        assertEquals(0.0, row("online users + items, no map").get("cold hits"));
    }

    @Test
    void withTheMapColdMoviesAreRecommendedAndHit() {
        for (String name : List.of("online users, map at first event", "online users + items, map at first event")) {
            Row r = row(name);
            // measured: 5 (online users) and 3 (online users + items) of 258 cold events; a map that gave cold movies
            // vectors the retriever or ranker never put in a list (a log-popularity feature tried here did, for online
            // users) fails this
            assertTrue(r.get("cold hits") >= 1, name + ": cold hits " + r.get("cold hits"));
            assertTrue(r.get("cold HR@10 share") > 0, name);
        }
    }

    @Test
    void printTheTableForTheRecord() {
        Report.print(System.out, "cold start (generated)", rows);
        assertTrue(rows.stream().allMatch(r -> r.get("cold events") > 0));
    }
}
