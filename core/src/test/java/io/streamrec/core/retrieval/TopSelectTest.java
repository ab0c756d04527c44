package io.streamrec.core.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TopSelectTest {

    @Test
    void keysOrderLikeTheRanking() {
        float[] scores = {-3.5f, -0f, 0f, 1e-30f, 2f, Float.MAX_VALUE, -Float.MAX_VALUE};
        for (float a : scores) {
            for (float b : scores) {
                for (int i : new int[] {0, 1, 7, Integer.MAX_VALUE}) {
                    assertEquals(i, TopSelect.item(TopSelect.key(i, a)));
                    assertEquals(a == 0f ? 0f : a, TopSelect.score(TopSelect.key(i, a)));
                    int j = i == 0 ? 1 : i - 1;
                    // higher score first; equal scores: lower index first
                    boolean better = a > b || (a == b && i < j);
                    assertEquals(better, TopSelect.key(i, a) > TopSelect.key(j, b), a + "@" + i + " vs " + b + "@" + j);
                }
            }
        }
    }

    @Test
    void selectsWhatTheHeapSelects() {
        TopSelect select = new TopSelect();
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int m = rnd.nextInt(0, 3000);
            int n = rnd.nextInt(1, 400);
            boolean ties = seed % 3 == 0;
            TopK heap = new TopK(n);
            heap.reset(n);
            select.reset(m);
            for (int i = 0; i < m; i++) {
                float s = ties ? rnd.nextInt(-3, 4) : (float) rnd.nextGaussian();
                heap.offer(i, s);
                select.add(i, s);
            }
            int[] hi = new int[n], si = new int[n];
            float[] hs = new float[n], ss = new float[n];
            int hn = heap.drainSorted(hi, hs);
            int sn = select.drainBest(n, si, ss);
            assertEquals(hn, sn, "seed " + seed);
            assertArrayEquals(Arrays.copyOf(hi, hn), Arrays.copyOf(si, sn), "seed " + seed);
            assertArrayEquals(Arrays.copyOf(hs, hn), Arrays.copyOf(ss, sn), "seed " + seed);
        }
    }

    @Test
    void atMostNthLargestKeepsTheNBestAndFewOthers() {
        int[] counts = new int[TopSelect.BUCKETS];
        long extra = 0, kept = 0;
        for (long seed = 1; seed <= 300; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int count = rnd.nextInt(1, 2000);
            int n = rnd.nextInt(1, count + 1);
            float[] v = new float[count];
            for (int i = 0; i < count; i++) {
                // Gaussian scores, heavy ties, a far outlier, or all equal
                v[i] = switch ((int) (seed % 4)) {
                    case 0 -> (float) rnd.nextGaussian();
                    case 1 -> rnd.nextInt(0, 5);
                    case 2 -> i == 0 ? 1e6f : (float) rnd.nextGaussian();
                    default -> 2.5f;
                };
            }
            float t = TopSelect.atMostNthLargest(v, count, n, counts);
            float[] sorted = v.clone();
            Arrays.sort(sorted);
            float nth = sorted[count - n];
            assertTrue(t <= nth, "seed " + seed + ": " + t + " above the n-th largest " + nth);
            int atLeast = 0;
            for (float x : v) if (x >= t) atLeast++;
            assertTrue(atLeast >= n, "seed " + seed);
            boolean present = false;
            for (float x : v) present |= x == t;
            assertTrue(present, "the threshold is one of the values");
            if (seed % 4 == 0) {
                kept += atLeast;
                extra += atLeast - n;
            }
        }
        // on spread-out scores the histogram's bucket adds only a few values beyond the n best
        assertTrue(extra < 0.05 * kept, extra + " extra of " + kept);
    }
}
