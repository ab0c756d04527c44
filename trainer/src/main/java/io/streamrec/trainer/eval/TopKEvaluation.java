package io.streamrec.trainer.eval;

import io.streamrec.core.metrics.TopKStats;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.TrainedModel;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Top-K on the per-user temporal split: every catalogue movie the user has not seen in train is
 * ranked (ties to the lower id), and the user's test events are the relevant set.
 */
public final class TopKEvaluation {
    public static final int K = 10;

    private TopKEvaluation() {}

    public static List<Row> run(Dataset all, TrainConfig cfg, EpochListener listener) {
        Splits.Split s = Splits.temporalPerUser(all.events(), 0.2);
        Indexed idx = Indexed.of(all);
        int users = idx.userCount(), items = idx.itemCount();
        BitSet[] seen = new BitSet[users], relevant = new BitSet[users];
        for (int u = 0; u < users; u++) {
            seen[u] = new BitSet();
            relevant[u] = new BitSet();
        }
        long[] popularity = new long[items];
        for (int i = 0; i < s.train().size(); i++) {
            int it = idx.item(s.train().movieId(i));
            seen[idx.user(s.train().userId(i))].set(it);
            popularity[it]++;
        }
        for (int i = 0; i < s.test().size(); i++) relevant[idx.user(s.test().userId(i))].set(idx.item(s.test().movieId(i)));

        Dataset train = new Dataset(all.name() + "-train", all.movies(), s.train(), all.summary());
        TrainedModel tm = ModelTrainer.train(train, idx, cfg.withOnlineTuning(false), "eval-topk", listener);
        RecommenderModel model = tm.model();

        TopKStats pop = new TopKStats(K, items), knn = new TopKStats(K, items), bpr = new TopKStats(K, items), ours = new TopKStats(K, items);
        float[] popScores = new float[items];
        for (int i = 0; i < items; i++) popScores[i] = popularity[i];
        ItemKnn itemKnn = new ItemKnn(seen, items);
        float[] knnScores = new float[items];
        TopK heap = new TopK(Math.max(K, cfg.candidates()));
        int[] ranked = new int[Math.max(K, cfg.candidates())];
        float[] scores = new float[ranked.length];
        CandidateRetriever retriever = CandidateRetriever.forModel(model);
        RecommendationPipeline pipeline = new RecommendationPipeline(model, retriever, tm.ranker(), cfg.candidates(), tm.rankerWeight());
        for (int u = 0; u < users; u++) {
            int relevantCount = relevant[u].cardinality();
            if (relevantCount == 0) continue;
            BitSet seenU = seen[u], relU = relevant[u];
            int n = topOf(popScores, seenU, heap, ranked, scores);
            pop.add(ranked, n, relU::get, relevantCount);
            itemKnn.scores(u, knnScores);
            n = topOf(knnScores, seenU, heap, ranked, scores);
            knn.add(ranked, n, relU::get, relevantCount);
            var state = tm.userState(u);
            n = retriever.topK(state.retrievalVector(), K, seenU::get, heap, ranked, scores);
            bpr.add(ranked, n, relU::get, relevantCount);
            n = pipeline.recommend(state, seenU::get, K, ranked, scores);
            ours.add(ranked, n, relU::get, relevantCount);
        }
        List<Row> rows = new ArrayList<>();
        rows.add(row("popularity", pop));
        rows.add(row("item-kNN (cosine)", knn));
        rows.add(row("BPR retrieval only (ours)", bpr));
        rows.add(row("retrieval + ranking network (ours)", ours));
        return rows;
    }

    private static Row row(String name, TopKStats s) {
        return Row.of(name, "HR@10", s.hitRate(), "Recall@10", s.recall(), "NDCG@10", s.ndcg(), "coverage", s.coverage(), "users", s.users());
    }

    /** Top-K of a full score vector over unseen items, ties to the lower index. */
    static int topOf(float[] scores, BitSet seen, TopK heap, int[] out, float[] outScores) {
        heap.reset(K);
        for (int i = 0; i < scores.length; i++) if (!seen.get(i)) heap.offer(i, scores[i]);
        return heap.drainSorted(out, outScores);
    }
}
