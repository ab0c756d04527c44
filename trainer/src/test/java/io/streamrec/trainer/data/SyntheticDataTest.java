package io.streamrec.trainer.data;

import io.streamrec.core.features.MovieMeta;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticDataTest {
    private static final SyntheticConfig CFG = SyntheticConfig.small();
    private static Dataset ds;

    @BeforeAll
    static void generate() {
        ds = SyntheticData.generate(CFG);
    }

    @Test
    void deterministicForASeed() {
        Dataset again = SyntheticData.generate(CFG);
        assertEquals(ds.movies(), again.movies());
        assertSameEvents(ds.events(), again.events());

        Dataset other = SyntheticData.generate(CFG.withSeed(CFG.seed() + 1));
        assertFalse(sameEvents(ds.events(), other.events()), "another seed gives other data");
    }

    @Test
    void sizesAreNearTheConfig() {
        Interactions ev = ds.events();
        assertEquals(CFG.movies(), ds.movies().size());
        assertEquals(CFG.users(), ev.distinctUsers().length, "every user has events");
        assertEquals(CFG.users(), ev.maxUserId());
        assertTrue(ev.maxMovieId() <= CFG.movies());
        double perUser = ev.size() / (double) CFG.users();
        assertTrue(perUser > 0.8 * CFG.meanEventsPerUser() && perUser < 1.2 * CFG.meanEventsPerUser(),
                "events per user " + perUser);
        assertEquals(ev.size(), ds.summary().eventsAccepted());
    }

    @Test
    void aUserNeverSeesAMovieTwice() {
        Interactions ev = ds.events();
        Set<Long> pairs = new HashSet<>();
        for (int i = 0; i < ev.size(); i++) {
            assertTrue(pairs.add((long) ev.userId(i) << 32 | ev.movieId(i)),
                    "repeat of user " + ev.userId(i) + " movie " + ev.movieId(i));
        }
    }

    @Test
    void ratingsOnHalfStarsAndWatchesWithCompletion() {
        Interactions ev = ds.events();
        int watches = 0;
        double ratingSum = 0;
        for (int i = 0; i < ev.size(); i++) {
            if (ev.kind(i) == EventKind.RATING) {
                float r = ev.rating(i);
                assertTrue(r >= 0.5f && r <= 5f, "rating " + r);
                assertEquals(Math.rint(r * 2), r * 2, 0.0, "half stars: " + r);
                assertTrue(Float.isNaN(ev.completion(i)));
                ratingSum += r;
            } else {
                watches++;
                float c = ev.completion(i);
                assertTrue(c >= 0f && c <= 1f, "completion " + c);
                assertTrue(Float.isNaN(ev.rating(i)));
            }
        }
        double watchShare = watches / (double) ev.size();
        assertEquals(CFG.watchFraction(), watchShare, 0.05);
        double mean = ratingSum / (ev.size() - watches);
        assertEquals(3.5, mean, 0.2, "global mean rating");
    }

    @Test
    void popularityIsSkewed() {
        int[] counts = new int[CFG.movies() + 1];
        for (int i = 0; i < ds.events().size(); i++) {
            counts[ds.events().movieId(i)]++;
        }
        int[] sorted = Arrays.stream(counts).skip(1).sorted().toArray();
        long top = 0;
        for (int k = 0; k < sorted.length / 10; k++) {
            top += sorted[sorted.length - 1 - k];
        }
        double share = top / (double) ds.events().size();
        assertTrue(share > 0.30, "top 10% of movies have " + share + " of events");
    }

    @Test
    void timestampsIncreasePerUserAndUsersStartAtDifferentTimes() {
        Interactions ev = ds.events();
        Set<Long> firstTimes = new HashSet<>();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < ev.size(); i++) {
            if (i > 0 && ev.userId(i) == ev.userId(i - 1)) {
                assertTrue(ev.timestamp(i) >= ev.timestamp(i - 1), "time goes forward for a user");
            } else {
                firstTimes.add(ev.timestamp(i));
            }
            min = Math.min(min, ev.timestamp(i));
            max = Math.max(max, ev.timestamp(i));
        }
        assertTrue(firstTimes.size() > CFG.users() * 0.9, "users start at different times");
        double years = (max - min) / (365.25 * 24 * 3600 * 1000);
        assertTrue(years > 1.5 && years <= 2.01, "span in years: " + years);
        assertEquals(ev.size(), ev.sortedByTime().size());
    }

    @Test
    void catalogueLooksLikeMovieLens() {
        Set<String> genres = new HashSet<>(SyntheticData.GENRES);
        int recent = 0;
        for (MovieMeta m : ds.movies()) {
            assertEquals("Synthetic Movie " + m.movieId(), m.title());
            assertTrue(m.genres().size() >= 1 && m.genres().size() <= 3, m.toString());
            assertEquals(m.genres().size(), new HashSet<>(m.genres()).size(), "distinct genres");
            assertTrue(genres.containsAll(m.genres()), m.toString());
            assertTrue(m.year() >= 1950 && m.year() <= 2025, m.toString());
            if (m.year() >= 1988) {
                recent++;
            }
        }
        assertTrue(recent > ds.movies().size() / 2, "years skew recent: " + recent);
        assertEquals(18, SyntheticData.GENRES.size());
    }

    @Test
    void configValidatesAndHasDefaults() {
        SyntheticConfig d = SyntheticConfig.defaults();
        assertEquals(8, d.latentDim());
        assertEquals(0.3, d.watchFraction());
        assertNotEquals(d, SyntheticConfig.small());
        assertThrows(IllegalArgumentException.class, () -> new SyntheticConfig(10, 100, 80, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticConfig(10, 100, 20, 8, 1.5, 1));
    }

    private static void assertSameEvents(Interactions a, Interactions b) {
        assertTrue(sameEvents(a, b), "same events");
    }

    private static boolean sameEvents(Interactions a, Interactions b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.userId(i) != b.userId(i) || a.movieId(i) != b.movieId(i) || a.timestamp(i) != b.timestamp(i)
                    || a.kind(i) != b.kind(i) || a.line(i) != b.line(i)
                    || Float.compare(a.rating(i), b.rating(i)) != 0
                    || Float.compare(a.completion(i), b.completion(i)) != 0) {
                return false;
            }
        }
        return true;
    }
}
