package io.streamrec.core.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class BruteForceRetrieverTest {

    /** Reference: score every allowed item, full sort (score desc, index asc), first n. */
    static int[] reference(float[] vectors, float[] bias, boolean[] active, int dim, float[] q, int n, IntPredicate exclude) {
        int size = bias.length;
        List<Integer> allowed = new ArrayList<>();
        float[] scores = new float[size];
        for (int i = 0; i < size; i++) {
            float s = bias[i];
            for (int f = 0; f < dim; f++) s += q[f] * vectors[i * dim + f];
            scores[i] = s;
            if (active[i] && !exclude.test(i)) allowed.add(i);
        }
        allowed.sort((a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
        return allowed.stream().limit(n).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void handExample() {
        // 4 items in 2-d; q = (1, 2)
        // item 0: 0.5 + (1·1 + 2·0)  = 1.5
        // item 1: 0   + (1·0 + 2·1)  = 2.0
        // item 2: 1   + (1·-1 + 2·1) = 2.0   (ties with item 1: item 1 first)
        // item 3: 9   + 0            = 9.0   but inactive
        float[] v = {1, 0, 0, 1, -1, 1, 0, 0};
        float[] b = {0.5f, 0f, 1f, 9f};
        boolean[] active = {true, true, true, false};
        BruteForceRetriever r = new BruteForceRetriever(v, b, active, 2);
        assertEquals(4, r.size());
        assertEquals(2, r.dim());
        int[] items = new int[4];
        float[] scores = new float[4];
        int n = r.topK(new float[] {1, 2}, 4, i -> false, new TopK(4), items, scores);
        assertEquals(3, n);
        assertArrayEquals(new int[] {1, 2, 0}, Arrays.copyOf(items, 3));
        assertArrayEquals(new float[] {2f, 2f, 1.5f}, Arrays.copyOf(scores, 3), 1e-6f);

        n = r.topK(new float[] {1, 2}, 2, i -> i == 1, new TopK(4), items, scores);
        assertEquals(2, n);
        assertArrayEquals(new int[] {2, 0}, Arrays.copyOf(items, 2));
    }

    @Test
    void matchesAFullSortOnRandomData() {
        TopK scratch = new TopK(50);
        for (long seed = 1; seed <= 30; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int dim = rnd.nextInt(1, 5);
            int size = rnd.nextInt(1, 60);
            boolean ties = seed % 2 == 0;
            float[] v = new float[size * dim], b = new float[size];
            boolean[] active = new boolean[size];
            for (int i = 0; i < v.length; i++) v[i] = ties ? rnd.nextInt(-2, 3) : (float) rnd.nextGaussian();
            for (int i = 0; i < size; i++) {
                b[i] = ties ? rnd.nextInt(-1, 2) : (float) rnd.nextGaussian();
                active[i] = rnd.nextDouble() < 0.8;
            }
            BruteForceRetriever r = new BruteForceRetriever(v, b, active, dim);
            for (int trial = 0; trial < 8; trial++) {
                float[] q = new float[dim];
                for (int f = 0; f < dim; f++) q[f] = ties ? rnd.nextInt(-2, 3) : (float) rnd.nextGaussian();
                BitSet excluded = new BitSet();
                for (int i = 0; i < size; i++) if (rnd.nextDouble() < 0.2) excluded.set(i);
                int n = rnd.nextInt(1, 51);
                int[] items = new int[n];
                float[] scores = new float[n];
                int written = r.topK(q, n, excluded::get, scratch, items, scores);
                int[] expected = reference(v, b, active, dim, q, n, excluded::get);
                String ctx = "seed " + seed + " trial " + trial + " n " + n + " size " + size;
                assertEquals(expected.length, written, ctx);
                assertArrayEquals(expected, Arrays.copyOf(items, written), ctx);
                for (int k = 0; k < written; k++) {
                    int i = items[k];
                    assertTrue(active[i], ctx);
                    assertFalse(excluded.get(i), ctx);
                    float s = b[i];
                    for (int f = 0; f < dim; f++) s += q[f] * v[i * dim + f];
                    assertEquals(s, scores[k], 0f, ctx);
                    if (k > 0) assertTrue(scores[k - 1] >= scores[k], ctx);
                }
            }
        }
    }

    @Test
    void allTiedReturnsTheLowestIndexes() {
        int size = 20;
        float[] v = new float[size * 2];
        float[] b = new float[size];
        boolean[] active = new boolean[size];
        Arrays.fill(active, true);
        active[1] = false;
        BruteForceRetriever r = new BruteForceRetriever(v, b, active, 2);
        int[] items = new int[5];
        int n = r.topK(new float[] {3, -4}, 5, i -> i == 3, new TopK(5), items, new float[5]);
        assertEquals(5, n);
        assertArrayEquals(new int[] {0, 2, 4, 5, 6}, items);
    }

    @Test
    void nLargerThanTheItemCount() {
        float[] v = {1, 0, 0, 1, 1, 1};
        float[] b = {0f, 0f, 0f};
        BruteForceRetriever r = new BruteForceRetriever(v, b, new boolean[] {true, true, true}, 2);
        // q = (2, 1): scores 2, 1, 3
        int[] items = new int[100];
        float[] scores = new float[100];
        int n = r.topK(new float[] {2, 1}, 100, i -> false, new TopK(3), items, scores);
        assertEquals(3, n);
        assertArrayEquals(new int[] {2, 0, 1}, Arrays.copyOf(items, 3));
        assertArrayEquals(new float[] {3f, 2f, 1f}, Arrays.copyOf(scores, 3), 0f);
    }

    @Test
    void inactiveAndExcludedItemsAreNeverReturned() {
        float[] v = {5, 5, 4, 4, 0, 0, -1, -1};
        float[] b = {0f, 0f, 0f, 0f};
        BruteForceRetriever r = new BruteForceRetriever(v, b, new boolean[] {false, true, true, true}, 2);
        int[] items = new int[4];
        int n = r.topK(new float[] {1, 1}, 4, i -> i == 1, new TopK(4), items, new float[4]);
        assertEquals(2, n);
        assertArrayEquals(new int[] {2, 3}, Arrays.copyOf(items, 2));
        // everything excluded
        assertEquals(0, r.topK(new float[] {1, 1}, 4, i -> true, new TopK(4), items, new float[4]));
        // nothing active
        BruteForceRetriever none = new BruteForceRetriever(v, b, new boolean[4], 2);
        assertEquals(0, none.topK(new float[] {1, 1}, 4, i -> false, new TopK(4), items, new float[4]));
    }

    @Test
    void excludePredicateSeesItemIndexes() {
        float[] v = {1, 2, 3, 4};
        float[] b = {0f, 0f, 0f, 0f};
        BruteForceRetriever r = new BruteForceRetriever(v, b, new boolean[] {true, true, true, true}, 1);
        int[] items = new int[4];
        // q = 1: scores 1..4 ; exclude even indexes
        int n = r.topK(new float[] {1}, 4, i -> i % 2 == 0, new TopK(4), items, new float[4]);
        assertEquals(2, n);
        assertArrayEquals(new int[] {3, 1}, Arrays.copyOf(items, 2));
    }

    @Test
    void zeroRequestedReturnsNothing() {
        BruteForceRetriever r = new BruteForceRetriever(new float[] {1, 2}, new float[] {0, 0}, new boolean[] {true, true}, 1);
        assertEquals(0, r.topK(new float[] {1}, 0, i -> false, new TopK(2), new int[0], new float[0]));
    }

    /**
     * BUG (TopK.threshold): a TopK with capacity 0 is accepted by the constructor and by reset(0),
     * but threshold() then reads scores[0] of an empty array. Asking for zero items with a
     * zero-capacity scratch heap must return 0, not throw ArrayIndexOutOfBoundsException.
     */
    @Test
    void zeroRequestedWithAZeroCapacityScratchReturnsNothing() {
        BruteForceRetriever r = new BruteForceRetriever(new float[] {1, 2}, new float[] {0, 0}, new boolean[] {true, true}, 1);
        assertEquals(0, r.topK(new float[] {1}, 0, i -> false, new TopK(0), new int[0], new float[0]));
    }

    @Test
    void constructorAndQueryValidation() {
        assertThrows(IllegalArgumentException.class, () -> new BruteForceRetriever(new float[5], new float[2], new boolean[2], 2));
        assertThrows(IllegalArgumentException.class, () -> new BruteForceRetriever(new float[4], new float[3], new boolean[2], 2));
        assertThrows(IllegalArgumentException.class, () -> new BruteForceRetriever(new float[4], new float[2], new boolean[3], 2));
        assertThrows(IllegalArgumentException.class, () -> new BruteForceRetriever(new float[4], new float[2], new boolean[2], 0));
        BruteForceRetriever r = new BruteForceRetriever(new float[4], new float[2], new boolean[2], 2);
        assertThrows(IllegalArgumentException.class, () -> r.topK(new float[1], 1, i -> false, new TopK(2), new int[2], new float[2]));
    }
}
