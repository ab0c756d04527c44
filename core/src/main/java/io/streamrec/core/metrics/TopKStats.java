package io.streamrec.core.metrics;

import java.util.BitSet;
import java.util.function.IntPredicate;

/** Averages HR, Recall and NDCG at K over users and counts catalogue coverage. */
public final class TopKStats {
    private final int k;
    private final int catalogueSize;
    private final BitSet recommended = new BitSet();
    private double hr, recall, ndcg;
    private long users;

    public TopKStats(int k, int catalogueSize) {
        this.k = k;
        this.catalogueSize = catalogueSize;
    }

    public void add(int[] ranked, int length, IntPredicate relevant, int relevantCount) {
        hr += RankingMetrics.hitRate(ranked, length, k, relevant);
        recall += RankingMetrics.recall(ranked, length, k, relevant, relevantCount);
        ndcg += RankingMetrics.ndcg(ranked, length, k, relevant, relevantCount);
        for (int r = 0; r < Math.min(k, length); r++) recommended.set(ranked[r]);
        users++;
    }

    public int k() { return k; }
    public long users() { return users; }
    public double hitRate() { return users == 0 ? Double.NaN : hr / users; }
    public double recall() { return users == 0 ? Double.NaN : recall / users; }
    public double ndcg() { return users == 0 ? Double.NaN : ndcg / users; }

    /** Distinct items recommended in any top-K list, over the catalogue size. */
    public double coverage() {
        return (double) recommended.cardinality() / catalogueSize;
    }
}
