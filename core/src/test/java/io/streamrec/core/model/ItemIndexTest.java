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
}
