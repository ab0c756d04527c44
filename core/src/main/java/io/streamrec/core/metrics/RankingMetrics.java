package io.streamrec.core.metrics;

import java.util.function.IntPredicate;

/**
 * Top-K metrics of one ranked list against a set of relevant items, with binary gains:
 * HR@K (any hit), Recall@K (hits / relevant) and NDCG@K (DCG over the ideal DCG of
 * min(relevant, K) hits at the top).
 */
public final class RankingMetrics {
    private RankingMetrics() {}

    public static int hits(int[] ranked, int length, int k, IntPredicate relevant) {
        int n = Math.min(k, length), hits = 0;
        for (int r = 0; r < n; r++) if (relevant.test(ranked[r])) hits++;
        return hits;
    }

    public static double hitRate(int[] ranked, int length, int k, IntPredicate relevant) {
        return hits(ranked, length, k, relevant) > 0 ? 1.0 : 0.0;
    }

    public static double recall(int[] ranked, int length, int k, IntPredicate relevant, int relevantCount) {
        if (relevantCount <= 0) throw new IllegalArgumentException("relevantCount must be > 0");
        return (double) hits(ranked, length, k, relevant) / relevantCount;
    }

    public static double ndcg(int[] ranked, int length, int k, IntPredicate relevant, int relevantCount) {
        if (relevantCount <= 0) throw new IllegalArgumentException("relevantCount must be > 0");
        int n = Math.min(k, length);
        double dcg = 0;
        for (int r = 0; r < n; r++) if (relevant.test(ranked[r])) dcg += 1.0 / log2(r + 2);
        double ideal = 0;
        for (int r = 0; r < Math.min(k, relevantCount); r++) ideal += 1.0 / log2(r + 2);
        return dcg / ideal;
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }
}
