package io.streamrec.trainer.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InteractionsTest {

    @Test
    void builderStoresEveryColumn() {
        Interactions ev = Interactions.builder()
                .addRating(7, 42, 4.5f, 1_000L)
                .addWatch(8, 43, 0.25f, 2_000L)
                .add(9, 44, EventKind.WATCH, 3.0f, 1.0f, 3_000L, 99)
                .build();

        assertEquals(3, ev.size());
        assertEquals(7, ev.userId(0));
        assertEquals(42, ev.movieId(0));
        assertEquals(4.5f, ev.rating(0));
        assertEquals(EventKind.RATING, ev.kind(0));
        assertTrue(Float.isNaN(ev.completion(0)));
        assertEquals(0, ev.line(0));

        assertEquals(EventKind.WATCH, ev.kind(1));
        assertTrue(Float.isNaN(ev.rating(1)));
        assertEquals(0.25f, ev.completion(1));
        assertEquals(2_000L, ev.timestamp(1));
        assertEquals(1, ev.line(1));

        assertEquals(3.0f, ev.rating(2), "a watch may carry a rating");
        assertEquals(99, ev.line(2));

        assertEquals(9, ev.maxUserId());
        assertEquals(44, ev.maxMovieId());
        assertArrayEquals(new int[] {7, 8, 9}, ev.distinctUsers());
    }

    @Test
    void emptyStore() {
        Interactions ev = Interactions.builder().build();
        assertEquals(0, ev.size());
        assertEquals(-1, ev.maxUserId());
        assertEquals(-1, ev.maxMovieId());
        assertEquals(0, ev.distinctUsers().length);
        assertEquals(0, ev.sortedByTime().size());
    }

    @Test
    void rejectsInvalidEvents() {
        Interactions.Builder b = Interactions.builder();
        assertThrows(IllegalArgumentException.class, () -> b.addWatch(1, 1, 1.5f, 0));
        assertThrows(IllegalArgumentException.class, () -> b.addWatch(1, 1, Float.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> b.addRating(1, 1, Float.NaN, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> b.build().userId(0));
    }

    @Test
    void sortedByTimeBreaksTiesByLine() {
        Interactions ev = Interactions.builder()
                .add(1, 10, EventKind.RATING, 1f, Float.NaN, 500L, 3)
                .add(2, 20, EventKind.RATING, 2f, Float.NaN, 100L, 5)
                .add(3, 30, EventKind.RATING, 3f, Float.NaN, 500L, 1)
                .add(4, 40, EventKind.RATING, 4f, Float.NaN, 100L, 4)
                .build();

        Interactions sorted = ev.sortedByTime();

        assertArrayEquals(new int[] {4, 2, 3, 1}, IntStream.range(0, 4).map(sorted::userId).toArray());
        assertArrayEquals(new int[] {4, 5, 1, 3}, IntStream.range(0, 4).map(sorted::line).toArray());
        assertEquals(4f, sorted.rating(0));
        assertEquals(40, sorted.movieId(0));
    }

    @Test
    void sortedByTimeMatchesAReferenceSortOnManyEvents() {
        SplittableRandom rng = new SplittableRandom(7);
        Interactions.Builder b = Interactions.builder(4);
        int n = 5_000;
        for (int i = 0; i < n; i++) {
            b.addRating(rng.nextInt(50), i, 3f, rng.nextInt(200)); // many equal timestamps
        }
        Interactions ev = b.build();

        Interactions sorted = ev.sortedByTime();

        Integer[] expected = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(expected, Comparator.<Integer>comparingLong(ev::timestamp).thenComparingInt(ev::line));
        for (int k = 0; k < n; k++) {
            assertEquals(ev.line(expected[k]), sorted.line(k));
            assertEquals(ev.movieId(expected[k]), sorted.movieId(k));
        }
    }

    @Test
    void subsetKeepsOriginalLines() {
        Interactions ev = Interactions.builder()
                .addRating(1, 10, 1f, 10L)
                .addRating(2, 20, 2f, 20L)
                .addWatch(3, 30, 0.5f, 30L)
                .build();

        Interactions sub = ev.subset(new int[] {2, 0});

        assertEquals(2, sub.size());
        assertEquals(3, sub.userId(0));
        assertEquals(EventKind.WATCH, sub.kind(0));
        assertEquals(0.5f, sub.completion(0));
        assertEquals(2, sub.line(0));
        assertEquals(1, sub.userId(1));
        assertEquals(0, sub.line(1));
        assertThrows(IndexOutOfBoundsException.class, () -> ev.subset(new int[] {3}));
    }
}
