package io.streamrec.core.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    /** Reference: full sort by score descending, ties to the lower index. */
    static int[] fullSort(float[] scores, int n) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void handExample() {
        TopK heap = new TopK(3);
        heap.reset(3);
        float[] scores = {0.5f, 2f, -1f, 2f, 1f};
        for (int i = 0; i < scores.length; i++) heap.offer(i, scores[i]);
        assertEquals(3, heap.size());
        int[] items = new int[3];
        float[] s = new float[3];
        assertEquals(3, heap.drainSorted(items, s));
        assertArrayEquals(new int[] {1, 3, 4}, items);
        assertArrayEquals(new float[] {2f, 2f, 1f}, s, 0f);
        assertEquals(0, heap.size());
    }

    @Test
    void tiesGoToTheLowerIndexWhateverTheOfferOrder() {
        TopK heap = new TopK(2);
        heap.reset(2);
        for (int i : new int[] {7, 3, 9, 1, 5}) heap.offer(i, 1f);
        int[] items = new int[2];
        heap.drainSorted(items, new float[2]);
        assertArrayEquals(new int[] {1, 3}, items);
    }

    @Test
    void matchesAFullSortOnRandomData() {
        for (long seed = 1; seed <= 40; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            TopK heap = new TopK(50);
            for (int trial = 0; trial < 10; trial++) {
                int count = rnd.nextInt(0, 80);
                int n = rnd.nextInt(1, 51);
                float[] scores = new float[count];
                // few distinct values so ties are frequent; some runs continuous
                boolean ties = rnd.nextBoolean();
                for (int i = 0; i < count; i++) {
                    scores[i] = ties ? rnd.nextInt(-3, 4) : (float) rnd.nextGaussian();
                }
                // offer in a random order: the result must not depend on it
                int[] order = IntStream.range(0, count).toArray();
                for (int i = count - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    int t = order[i]; order[i] = order[j]; order[j] = t;
                }
                heap.reset(n);
                for (int i : order) heap.offer(i, scores[i]);
                int[] items = new int[n];
                float[] out = new float[n];
                int written = heap.drainSorted(items, out);
                int[] expected = fullSort(scores, n);
                assertEquals(expected.length, written, "seed " + seed);
                assertArrayEquals(expected, Arrays.copyOf(items, written), "seed " + seed + " trial " + trial);
                for (int k = 0; k < written; k++) assertEquals(scores[expected[k]], out[k], 0f);
            }
        }
    }

    @Test
    void thresholdIsMinusInfinityUntilFullThenTheWorstKept() {
        TopK heap = new TopK(4);
        heap.reset(2);
        assertEquals(Float.NEGATIVE_INFINITY, heap.threshold());
        heap.offer(0, 5f);
        assertEquals(Float.NEGATIVE_INFINITY, heap.threshold());
        heap.offer(1, 3f);
        assertEquals(3f, heap.threshold());
        heap.offer(2, 4f);
        assertEquals(4f, heap.threshold());
        heap.offer(3, 1f); // rejected
        assertEquals(4f, heap.threshold());
        assertEquals(2, heap.size());
    }

    @Test
    void resetMakesItReusable() {
        TopK heap = new TopK(3);
        heap.reset(3);
        heap.offer(0, 10f);
        heap.offer(1, 20f);
        heap.reset(2); // not drained: must forget everything
        heap.offer(5, 1f);
        heap.offer(6, 2f);
        heap.offer(7, 0f);
        int[] items = new int[2];
        assertEquals(2, heap.drainSorted(items, new float[2]));
        assertArrayEquals(new int[] {6, 5}, items);
    }

    @Test
    void resetBeyondCapacityIsRejected() {
        TopK heap = new TopK(3);
        assertThrows(IllegalArgumentException.class, () -> heap.reset(4));
    }

    @Test
    void zeroCapacityKeepsNothing() {
        TopK heap = new TopK(3);
        heap.reset(0);
        heap.offer(1, 100f);
        assertEquals(0, heap.size());
        assertEquals(0, heap.drainSorted(new int[0], new float[0]));
    }

    @Test
    void fewerOffersThanCapacity() {
        TopK heap = new TopK(10);
        heap.reset(10);
        heap.offer(4, -1f);
        heap.offer(2, 3f);
        int[] items = new int[10];
        float[] s = new float[10];
        assertEquals(2, heap.drainSorted(items, s));
        assertArrayEquals(new int[] {2, 4}, Arrays.copyOf(items, 2));
        assertArrayEquals(new float[] {3f, -1f}, Arrays.copyOf(s, 2), 0f);
    }
}
