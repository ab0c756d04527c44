package io.streamrec.core.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HNSW index against the exact scan, on generated vectors shaped like trained embeddings. */
class HnswRetrieverTest {
    static final int DIM = 32, ITEMS = 20_000, N = 200;
    static float[] vectors, bias;
    static boolean[] active;

    @BeforeAll
    static void generate() {
        Catalogue c = Catalogue.clustered(ITEMS, DIM, 1);
        vectors = c.vectors;
        bias = c.bias;
        active = c.active;
    }

    /** Items in 64 clusters with log-normal norms and a popularity-like bias; 2% inactive. */
    record Catalogue(float[] vectors, float[] bias, boolean[] active, float[][] centres) {
        static Catalogue clustered(int items, int dim, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            float[][] centres = new float[64][dim];
            for (float[] c : centres) for (int f = 0; f < dim; f++) c[f] = (float) rnd.nextGaussian() * 0.4f;
            float[] v = new float[items * dim], b = new float[items];
            boolean[] act = new boolean[items];
            for (int i = 0; i < items; i++) {
                float[] c = centres[rnd.nextInt(centres.length)];
                float scale = (float) Math.exp(rnd.nextGaussian() * 0.3);
                for (int f = 0; f < dim; f++) v[i * dim + f] = (c[f] + (float) rnd.nextGaussian() * 0.2f) * scale;
                b[i] = (float) rnd.nextGaussian() * 0.5f;
                act[i] = rnd.nextDouble() >= 0.02;
            }
            return new Catalogue(v, b, act, centres);
        }

        float[] query(SplittableRandom rnd) {
            float[] c = centres[rnd.nextInt(centres.length)];
            float[] q = new float[c.length];
            for (int f = 0; f < q.length; f++) q[f] = c[f] * 2f + (float) rnd.nextGaussian() * 0.5f;
            return q;
        }
    }

    static double recall(CandidateRetriever ann, CandidateRetriever exact, Catalogue c, int queries, IntPredicate exclude) {
        SplittableRandom rnd = new SplittableRandom(99);
        int[] a = new int[N], e = new int[N];
        float[] s = new float[N];
        TopK scratch = new TopK(N);
        double sum = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = c.query(rnd);
            int ne = exact.topK(query, N, exclude, scratch, e, s);
            int na = ann.topK(query, N, exclude, scratch, a, s);
            Set<Integer> truth = new HashSet<>();
            for (int i = 0; i < ne; i++) truth.add(e[i]);
            int hits = 0;
            for (int i = 0; i < na; i++) {
                assertTrue(active[a[i]] && !exclude.test(a[i]), "returned an inactive or excluded item " + a[i]);
                if (truth.contains(a[i])) hits++;
            }
            sum += hits / (double) ne;
        }
        return sum / queries;
    }

    @Test
    void recallAt200AgainstTheExactScan() {
        Catalogue c = new Catalogue(vectors, bias, active, Catalogue.clustered(ITEMS, DIM, 1).centres());
        try (HnswRetriever ann = new HnswRetriever(vectors.clone(), bias.clone(), active.clone(), DIM, HnswRetriever.Settings.defaults())) {
            SimdScanRetriever exact = new SimdScanRetriever(vectors, bias, active, DIM);
            double r = recall(ann, exact, c, 100, i -> i % 10 == 3);
            System.out.printf("HNSW recall@200 over %d x %d clustered: %.4f%n", ITEMS, DIM, r);
            assertTrue(r >= 0.95, "recall@200 " + r);
            // and a search too narrow to find them all scores lower: the number is measured, not fixed
            try (HnswRetriever narrow = new HnswRetriever(vectors.clone(), bias.clone(), active.clone(), DIM,
                    new HnswRetriever.Settings(4, 8, 1, 4096, 42, HnswRetriever.GraphSimilarity.ANGULAR, 2))) {
                double rn = recall(narrow, exact, c, 30, i -> false);
                assertTrue(rn < r, "a 4-neighbour graph with a beam of 8 matched the default: " + rn);
            }
        }
    }

    @Test
    void scoresAreExactAndSortedBestFirst() {
        try (HnswRetriever ann = new HnswRetriever(vectors.clone(), bias.clone(), active.clone(), DIM, HnswRetriever.Settings.defaults())) {
            float[] q = Catalogue.clustered(ITEMS, DIM, 1).query(new SplittableRandom(3));
            int[] items = new int[N];
            float[] scores = new float[N];
            assertEquals(N, ann.topK(q, N, i -> false, new TopK(N), items, scores));
            for (int r = 0; r < N; r++) {
                float want = bias[items[r]];
                for (int f = 0; f < DIM; f++) want += q[f] * vectors[items[r] * DIM + f];
                assertEquals(want, scores[r], 1e-4f);
                if (r > 0) assertTrue(scores[r] <= scores[r - 1]);
            }
            assertEquals(N, Arrays.stream(items).distinct().count());
        }
    }

    @Test
    void anUpdatedVectorIsFoundAtItsNewScoreRightAfterTheUpdate() {
        float[] v = vectors.clone(), b = bias.clone();
        boolean[] act = active.clone();
        try (HnswRetriever ann = new HnswRetriever(v, b, act, DIM, HnswRetriever.Settings.defaults())) {
            float[] q = Catalogue.clustered(ITEMS, DIM, 1).query(new SplittableRandom(5));
            int[] items = new int[N];
            float[] scores = new float[N];
            ann.topK(q, N, i -> false, new TopK(N), items, scores);
            int moved = items[0];
            float[] far = new float[DIM];
            for (int f = 0; f < DIM; f++) far[f] = -q[f];
            // a weak item becomes the best match: it must come first, at its new exact score
            int weak = worstActive(q);
            float[] best = new float[DIM];
            for (int f = 0; f < DIM; f++) best[f] = q[f];
            ann.update(weak, best, 0, 1f);
            // the former best moves to the opposite direction: it must drop out
            ann.update(moved, far, 0, -5f);
            assertEquals(2, ann.staleCount());
            ann.topK(q, N, i -> false, new TopK(N), items, scores);
            assertEquals(weak, items[0]);
            float want = 1f;
            for (int f = 0; f < DIM; f++) want += q[f] * q[f];
            assertEquals(want, scores[0], 1e-3f);
            for (int r = 0; r < N; r++) assertFalse(items[r] == moved, "moved item still returned at rank " + r);
            // excluded stays excluded, stale or not
            ann.topK(q, N, i -> i == weak, new TopK(N), items, scores);
            for (int r = 0; r < N; r++) assertFalse(items[r] == weak);

            // after a rebuild the graph holds the new vectors and nothing is stale
            ann.rebuildNow();
            assertEquals(0, ann.staleCount());
            ann.topK(q, N, i -> false, new TopK(N), items, scores);
            assertEquals(weak, items[0]);
            for (int r = 0; r < N; r++) assertFalse(items[r] == moved);
        }
    }

    @Test
    void anItemAddedOnlineIsFound() {
        float[] v = vectors.clone(), b = bias.clone();
        boolean[] act = active.clone();
        int added = -1;
        for (int i = 0; i < ITEMS && added < 0; i++) if (!act[i]) added = i;
        try (HnswRetriever ann = new HnswRetriever(v, b, act, DIM, HnswRetriever.Settings.defaults())) {
            float[] q = Catalogue.clustered(ITEMS, DIM, 1).query(new SplittableRandom(8));
            float[] vec = new float[DIM];
            for (int f = 0; f < DIM; f++) vec[f] = 2 * q[f];
            ann.update(added, vec, 0, 0f);
            int[] items = new int[10];
            ann.topK(q, 10, i -> false, new TopK(10), items, new float[10]);
            assertEquals(added, items[0]);
        }
    }

    @Test
    void manyUpdatesTriggerABackgroundRebuildThatKeepsThemFindable() throws Exception {
        float[] v = vectors.clone(), b = bias.clone();
        boolean[] act = active.clone();
        try (HnswRetriever ann = new HnswRetriever(v, b, act, DIM, new HnswRetriever.Settings(16, 100, 400, 50, 42, HnswRetriever.GraphSimilarity.ANGULAR, 2))) {
            SplittableRandom rnd = new SplittableRandom(11);
            float[] q = Catalogue.clustered(ITEMS, DIM, 1).query(new SplittableRandom(12));
            float[] vec = new float[DIM];
            for (int u = 0; u < 60; u++) {
                for (int f = 0; f < DIM; f++) vec[f] = (float) rnd.nextGaussian() * 0.3f;
                ann.update(rnd.nextInt(ITEMS), vec, 0, 0f);
            }
            // the 51st update started a rebuild; wait for it (bounded), then stale < 60
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (ann.staleCount() >= 51 && System.nanoTime() < deadline) Thread.onSpinWait();
            assertTrue(ann.staleCount() <= 10, "stale after rebuild: " + ann.staleCount());
            // the target item changed last is still found at once
            for (int f = 0; f < DIM; f++) vec[f] = 3 * q[f];
            ann.update(123, vec, 0, 0f);
            int[] items = new int[5];
            ann.topK(q, 5, i -> false, new TopK(5), items, new float[5]);
            assertEquals(123, items[0]);
            // and results still agree with an exact scan over the same (updated) arrays
            Catalogue c = new Catalogue(v, b, act, Catalogue.clustered(ITEMS, DIM, 1).centres());
            double r = recall(ann, new SimdScanRetriever(v, b, act, DIM), c, 30, i -> false);
            assertTrue(r >= 0.9, "recall after updates " + r);
        }
    }

    @Test
    void moreThanEfCandidatesAndAnEmptyIndexWork() {
        try (HnswRetriever ann = new HnswRetriever(vectors.clone(), bias.clone(), active.clone(), DIM,
                HnswRetriever.Settings.defaults().withEf(50))) {
            int[] items = new int[300];
            float[] q = Catalogue.clustered(ITEMS, DIM, 1).query(new SplittableRandom(4));
            assertEquals(300, ann.topK(q, 300, i -> false, new TopK(1), items, new float[300]));
        }
        try (HnswRetriever none = new HnswRetriever(new float[4], new float[2], new boolean[2], 2, HnswRetriever.Settings.defaults())) {
            assertEquals(0, none.topK(new float[] {1, 1}, 5, i -> false, new TopK(5), new int[5], new float[5]));
            none.update(1, new float[] {1, 1}, 0, 0f);
            int[] items = new int[5];
            assertEquals(1, none.topK(new float[] {1, 1}, 5, i -> false, new TopK(5), items, new float[5]));
            assertEquals(1, items[0]);
        }
    }

    private static int worstActive(float[] q) {
        int worst = -1;
        float ws = Float.POSITIVE_INFINITY;
        for (int i = 0; i < ITEMS; i++) {
            if (!active[i]) continue;
            float s = bias[i];
            for (int f = 0; f < DIM; f++) s += q[f] * vectors[i * DIM + f];
            if (s < ws) {
                ws = s;
                worst = i;
            }
        }
        return worst;
    }
}
