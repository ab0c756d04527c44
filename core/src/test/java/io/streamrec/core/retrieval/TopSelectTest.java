package io.streamrec.core.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
