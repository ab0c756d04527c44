package io.streamrec.core.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemIndexTest {
    @Test
    void denseTableAndBinarySearchAgreeWithAReferenceForEveryId() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[] compact = rnd.ints(5_000, 0, 200_000).toArray(); // MovieLens-like: ids up to ~20× the count
        int[] sparse = rnd.ints(5_000, 0, Integer.MAX_VALUE).toArray();
        ItemIndex a = ItemIndex.of(compact), b = ItemIndex.of(sparse);
        assertTrue(a.dense());
        assertFalse(b.dense());
        for (ItemIndex index : new ItemIndex[] {a, b}) {
            int[] ids = index.movieIds();
            for (int i = 0; i < ids.length; i++) {
                assertEquals(i, index.indexOf(ids[i]));
                assertEquals(ids[i], index.movieId(i));
            }
            for (int probe : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, ids[ids.length - 1] + 1}) {
                assertEquals(Arrays.binarySearch(ids, probe) >= 0 ? Arrays.binarySearch(ids, probe) : -1, index.indexOf(probe));
            }
            for (int k = 0; k < 20_000; k++) {
                int probe = rnd.nextInt(0, 250_000);
                int expected = Arrays.binarySearch(ids, probe);
                assertEquals(expected >= 0 ? expected : -1, index.indexOf(probe), "id " + probe);
            }
        }
    }

    @Test
    void negativeIdsFallBackToBinarySearch() {
        ItemIndex index = ItemIndex.of(new int[] {-5, 3, 3, 10});
        assertFalse(index.dense());
        assertEquals(3, index.size());
        assertEquals(0, index.indexOf(-5));
        assertEquals(1, index.indexOf(3));
        assertEquals(2, index.indexOf(10));
        assertEquals(-1, index.indexOf(4));
    }

    @Test
    void emptyIndexKnowsNothing() {
        ItemIndex index = ItemIndex.of(new int[0]);
        assertEquals(0, index.size());
        assertEquals(-1, index.indexOf(0));
    }

    @Test
    void headroomTakesNewMoviesInArrivalOrderAndFindsThemOnlyOncePublished() {
        for (int[] base : new int[][] {{2, 5, 9}, {2, 5, Integer.MAX_VALUE - 1}}) { // dense table and binary search
            ItemIndex index = ItemIndex.of(base, 2);
            assertEquals(5, index.size());
            assertEquals(3, index.loaded());
            assertEquals(2, index.free());
            assertEquals(-1, index.movieId(3), "a free slot");
            int slot = index.reserve();
            assertEquals(3, slot);
            assertEquals(-1, index.indexOf(7), "not findable before publish");
            index.publish(7, slot);
            assertEquals(3, index.indexOf(7));
            assertEquals(7, index.movieId(3));
            int next = index.reserve();
            index.publish(1, next);
            assertEquals(4, index.indexOf(1), "slots in arrival order, not id order");
            assertEquals(1, index.indexOf(5), "loaded movies keep their slots");
            assertEquals(-1, index.reserve(), "full");
            assertEquals(0, index.free());
            assertEquals(-1, index.indexOf(8));
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {base[0], base[1], base[2], 7, 1}, index.movieIds());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> index.publish(11, 5));
        }
    }
}
