package io.streamrec.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TopKStatsTest {
    private static final double L3 = 1 / (Math.log(3) / Math.log(2)); // 0.6309298

    @Test
    void averagesOverUsersAndCountsCoverage() {
        TopKStats s = new TopKStats(2, 10);
        assertEquals(2, s.k());
        assertEquals(0, s.users());
        assertEquals(Double.NaN, s.hitRate());
        assertEquals(Double.NaN, s.recall());
        assertEquals(Double.NaN, s.ndcg());
        assertEquals(0.0, s.coverage(), 0.0);

        // user A: [1, 2, 3], relevant {2}: HR 1, recall 1, NDCG = (1/log2 3) / 1 = 0.6309
        s.add(new int[] {1, 2, 3}, 3, Set.of(2)::contains, 1);
        // user B: [4, 5], relevant {9, 8}: all 0
        s.add(new int[] {4, 5}, 2, Set.of(9, 8)::contains, 2);
        assertEquals(2, s.users());
        assertEquals(0.5, s.hitRate(), 1e-12);
        assertEquals(0.5, s.recall(), 1e-12);
        assertEquals(L3 / 2, s.ndcg(), 1e-12);
        assertEquals(0.3154649, s.ndcg(), 1e-6);
        // recommended within the top 2: {1, 2, 4, 5}; item 3 is below K and does not count
        assertEquals(0.4, s.coverage(), 1e-12);

        // user C: [1, 7] relevant {7, 1, 6}: hits 2 -> HR 1, recall 2/3, NDCG 1 (IDCG over min(3, 2) slots)
        s.add(new int[] {1, 7}, 2, Set.of(7, 1, 6)::contains, 3);
        assertEquals(3, s.users());
        assertEquals(2.0 / 3, s.hitRate(), 1e-12);
        assertEquals((1 + 0 + 2.0 / 3) / 3, s.recall(), 1e-12);
        assertEquals((L3 + 0 + 1) / 3, s.ndcg(), 1e-12);
        assertEquals(0.5, s.coverage(), 1e-12, "item 7 is new, item 1 already counted");
    }

    @Test
    void coverageRespectsTheLengthArgument() {
        TopKStats s = new TopKStats(5, 4);
        s.add(new int[] {0, 1, 2, 3}, 1, i -> i == 0, 1);
        assertEquals(0.25, s.coverage(), 1e-12);
        s.add(new int[] {0, 1, 2, 3}, 4, i -> i == 0, 1);
        assertEquals(1.0, s.coverage(), 1e-12);
    }
}
