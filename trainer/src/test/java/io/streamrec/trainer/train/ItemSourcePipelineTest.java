package io.streamrec.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.Mlp;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.rank.RankerNetwork;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.Retrievers;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.trainer.train.ItemSourcePipeline.Pair;
import io.streamrec.trainer.train.ItemSourcePipeline.Sources;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The study's pipeline ({@link ItemSourcePipeline}) against the served one on a generated model whose online copy has
 * moved away from the load-time arrays: with the served sources it makes the served lists; with every source at the
 * load-time arrays it makes the lists the served pipeline makes from the model as loaded.
 */
class ItemSourcePipelineTest {
    static final int ITEMS = 300, DIM = 8, RATING_DIM = 12, CANDIDATES = 40, K = 10, USERS = 25;

    @Test
    void servedSourcesGiveTheServedLists() {
        Fixture f = new Fixture();
        ItemSourcePipeline study = f.study(new Sources(false, false, Pair.DEFAULT, false));
        RecommendationPipeline served = new RecommendationPipeline(f.online, f.onlineRetriever, f.ranker, CANDIDATES, 0.5f);
        f.assertSameLists(study, served, 0f);
    }

    @Test
    void loadTimeSourcesGiveTheListsOfTheModelAsLoaded() {
        Fixture f = new Fixture();
        ItemSourcePipeline study = f.study(new Sources(true, true, Pair.BATCH, true));
        RecommendationPipeline asLoaded = new RecommendationPipeline(f.batch, f.batchRetriever, f.ranker, CANDIDATES, 0.5f);
        // the retrieval scores are recomputed there (FloatKernels.gatherScores) instead of taken from the scan
        f.assertSameLists(study, asLoaded, 1e-5f);
    }

    @Test
    void theRankerSeesTheLoadTimeVectorsOnlyWhenAsked() {
        Fixture f = new Fixture();
        RecommendationPipeline served = new RecommendationPipeline(f.online, f.onlineRetriever, f.ranker, CANDIDATES, 0.5f);
        ItemSourcePipeline rankBatch = f.study(new Sources(false, true, Pair.BATCH, false));
        int differ = 0;
        for (UserState u : f.users) {
            int[] a = new int[K], b = new int[K];
            float[] sa = new float[K], sb = new float[K];
            rankBatch.recommend(u, K, a, sa);
            served.recommend(u, K, b, sb);
            if (!Arrays.equals(sa, sb)) differ++;
        }
        assertFalse(differ == 0, "the load-time ranker inputs changed no list score: the knob does nothing");
    }

    /** A model as loaded, its online copy moved by random item steps, their retrievers, a random ranker, users. */
    static final class Fixture {
        final RecommenderModel batch, online;
        final CandidateRetriever batchRetriever, onlineRetriever;
        final Ranker ranker;
        final List<UserState> users;

        Fixture() {
            Random rnd = new Random(7);
            int[] ids = new int[ITEMS];
            MovieMeta[] movies = new MovieMeta[ITEMS];
            long[] pop = new long[ITEMS];
            boolean[] trained = new boolean[ITEMS];
            for (int i = 0; i < ITEMS; i++) {
                ids[i] = 1 + i;
                movies[i] = new MovieMeta(ids[i], "m" + i, List.of(FeatureSpec.GENRES.get(i % FeatureSpec.GENRES.size())), 1950 + i % 60);
                pop[i] = rnd.nextInt(500);
                trained[i] = true;
            }
            batch = new RecommenderModel("v1", DIM, RATING_DIM, 3.5f, ItemIndex.of(ids), movies,
                    gaussian(rnd, ITEMS * RATING_DIM, 0.3f), gaussian(rnd, ITEMS, 0.3f),
                    gaussian(rnd, ITEMS * DIM, 0.5f), gaussian(rnd, ITEMS, 0.5f), trained, pop, OnlineConfig.defaults());
            online = batch.withOwnItemArrays();
            for (float[] a : List.of(online.ratingVectors(), online.ratingBiases(), online.retrievalVectors(), online.retrievalBiases())) {
                for (int j = 0; j < a.length; j++) a[j] += 0.2f * (float) rnd.nextGaussian();
            }
            batchRetriever = Retrievers.exact(batch.retrievalVectors(), batch.retrievalBiases(), batch.trainedFlags(), DIM);
            onlineRetriever = Retrievers.exact(online.retrievalVectors(), online.retrievalBiases(), online.trainedFlags(), DIM);
            FeatureSpec spec = new FeatureSpec(DIM);
            ranker = new RankerNetwork(spec, Mlp.initialise(new int[] {spec.inputSize(), 16, Ranker.OUTPUTS}, 11L));
            users = new java.util.ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                int[] seen = new int[5];
                for (int s = 0; s < seen.length; s++) seen[s] = ids[rnd.nextInt(ITEMS)];
                users.add(UserState.restore(gaussian(rnd, RATING_DIM, 0.5f), 0.1f * (float) rnd.nextGaussian(),
                        gaussian(rnd, DIM, 1f), 10 + u, 5 + u, 3.5 * (5 + u), 0L, seen, 100));
            }
        }

        ItemSourcePipeline study(Sources src) {
            return new ItemSourcePipeline(online, batch, onlineRetriever, batchRetriever, ranker, CANDIDATES, 0.5f, src);
        }

        void assertSameLists(ItemSourcePipeline study, RecommendationPipeline reference, float scoreTolerance) {
            for (UserState u : users) {
                int[] a = new int[K], b = new int[K];
                float[] sa = new float[K], sb = new float[K];
                int na = study.recommend(u, K, a, sa), nb = reference.recommend(u, K, b, sb);
                assertEquals(nb, na);
                assertArrayEquals(b, a);
                assertArrayEquals(sb, sa, scoreTolerance);
            }
        }

        static float[] gaussian(Random rnd, int n, float scale) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = scale * (float) rnd.nextGaussian();
            return a;
        }
    }
}
