package io.streamrec.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked example: ranked [5, 3, 9, 1], relevant {3, 1}.
 * <pre>
 *   1/log2(2) = 1, 1/log2(3) = 0.6309298, 1/log2(4) = 0.5, 1/log2(5) = 0.4306766
 *   K = 3: hits = 1 (3 at rank 2); HR = 1; Recall = 1/2;
 *          DCG = 1/log2(3) = 0.6309298; IDCG = 1 + 1/log2(3) = 1.6309298; NDCG = 0.3868528
 *   K = 4: hits = 2; Recall = 1; DCG = 0.6309298 + 0.4306766 = 1.0616064; NDCG = 0.6509209
 *   K = 1: no hit; everything 0
 * </pre>
 */
class RankingMetricsTest {
    private static final double EPS = 1e-6;
    private static final int[] RANKED = {5, 3, 9, 1};
    private static final IntPredicate REL = Set.of(3, 1)::contains;
    private static final double L3 = 1 / (Math.log(3) / Math.log(2));
    private static final double L5 = 1 / (Math.log(5) / Math.log(2));

    @Test
    void atThree() {
        assertEquals(1, RankingMetrics.hits(RANKED, 4, 3, REL));
        assertEquals(1.0, RankingMetrics.hitRate(RANKED, 4, 3, REL), 0.0);
        assertEquals(0.5, RankingMetrics.recall(RANKED, 4, 3, REL, 2), EPS);
        assertEquals(0.6309298, L3, EPS);
        assertEquals(L3 / (1 + L3), RankingMetrics.ndcg(RANKED, 4, 3, REL, 2), 1e-12);
        assertEquals(0.3868528, RankingMetrics.ndcg(RANKED, 4, 3, REL, 2), EPS);
    }

    @Test
    void atFour() {
        assertEquals(2, RankingMetrics.hits(RANKED, 4, 4, REL));
        assertEquals(1.0, RankingMetrics.recall(RANKED, 4, 4, REL, 2), EPS);
        assertEquals((L3 + L5) / (1 + L3), RankingMetrics.ndcg(RANKED, 4, 4, REL, 2), 1e-12);
        assertEquals(0.6509209, RankingMetrics.ndcg(RANKED, 4, 4, REL, 2), EPS);
    }

    @Test
    void atOneNoHit() {
        assertEquals(0, RankingMetrics.hits(RANKED, 4, 1, REL));
        assertEquals(0.0, RankingMetrics.hitRate(RANKED, 4, 1, REL), 0.0);
        assertEquals(0.0, RankingMetrics.recall(RANKED, 4, 1, REL, 2), 0.0);
        assertEquals(0.0, RankingMetrics.ndcg(RANKED, 4, 1, REL, 2), 0.0);
    }

    @Test
    void perfectRankingHasNdcgOne() {
        int[] ranked = {1, 3, 5, 9};
        assertEquals(1.0, RankingMetrics.ndcg(ranked, 4, 2, REL, 2), 1e-12);
        assertEquals(1.0, RankingMetrics.ndcg(ranked, 4, 10, REL, 2), 1e-12);
        assertEquals(1.0, RankingMetrics.recall(ranked, 4, 2, REL, 2), 0.0);
    }

    @Test
    void moreRelevantThanKIdealIsCappedAtK() {
        // 5 relevant items, K = 2, both top slots hit: IDCG uses min(5, 2) = 2 hits -> NDCG = 1; recall = 2/5
        IntPredicate rel = i -> i < 5;
        int[] ranked = {0, 1, 7, 8};
        assertEquals(1.0, RankingMetrics.ndcg(ranked, 4, 2, rel, 5), 1e-12);
        assertEquals(0.4, RankingMetrics.recall(ranked, 4, 2, rel, 5), 1e-12);
        // one hit at rank 2 only: (1/log2 3) / (1 + 1/log2 3)
        assertEquals(L3 / (1 + L3), RankingMetrics.ndcg(new int[] {9, 1}, 2, 2, rel, 5), 1e-12);
    }

    @Test
    void shortListAndLengthArgument() {
        // the list is shorter than K: only its entries count, the ideal still has min(rel, K) slots
        // ranked [3, 7], K = 5, relevant {3, 1}: DCG = 1, IDCG = 1 + 1/log2(3) -> 0.6131472
        assertEquals(1 / (1 + L3), RankingMetrics.ndcg(new int[] {3, 7}, 2, 5, REL, 2), 1e-12);
        assertEquals(0.6131472, RankingMetrics.ndcg(new int[] {3, 7}, 2, 5, REL, 2), EPS);
        // only the first `length` entries of the array are the list
        assertEquals(0, RankingMetrics.hits(RANKED, 1, 3, REL));
        assertEquals(0.0, RankingMetrics.ndcg(RANKED, 1, 3, REL, 2), 0.0);
        assertEquals(0.0, RankingMetrics.hitRate(RANKED, 0, 3, REL), 0.0);
    }

    @Test
    void relevantCountMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.recall(RANKED, 4, 3, REL, 0));
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.ndcg(RANKED, 4, 3, REL, 0));
    }

    @Test
    void errorStatsRmseAndMae() {
        ErrorStats e = new ErrorStats();
        assertEquals(0, e.count());
        assertEquals(Double.NaN, e.rmse());
        assertEquals(Double.NaN, e.mae());
        // errors: 3-4 = -1, 5-3 = 2, 2-2.5 = -0.5
        // RMSE = sqrt((1 + 4 + 0.25) / 3) = sqrt(1.75) = 1.3228757 ; MAE = 3.5 / 3 = 1.1666667
        e.add(3, 4);
        e.add(5, 3);
        e.add(2, 2.5);
        assertEquals(3, e.count());
        assertEquals(Math.sqrt(1.75), e.rmse(), 1e-12);
        assertEquals(1.3228757, e.rmse(), EPS);
        assertEquals(3.5 / 3, e.mae(), 1e-12);
        // a perfect prediction lowers both
        e.add(4, 4);
        assertEquals(Math.sqrt(5.25 / 4), e.rmse(), 1e-12);
        assertEquals(3.5 / 4, e.mae(), 1e-12);
    }
}
