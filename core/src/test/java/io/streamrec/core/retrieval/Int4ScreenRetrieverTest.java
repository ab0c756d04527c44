package io.streamrec.core.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.core.simd.FloatKernels;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The 4-bit screen is approximate: its recall@200 against the exact float scan is measured here on generated vectors
 * (and must stay ≥ 0.95), the scores it returns are the exact ones, and online updates are found at once.
 */
class Int4ScreenRetrieverTest {

    private static double exactScore(GaussianCatalogue d, float[] q, int i) {
        double s = d.b()[i];
        for (int f = 0; f < d.dim(); f++) s += (double) q[f] * d.v()[i * d.dim() + f];
        return s;
    }

    /**
     * Mean recall@n of {@code screen} against {@code exact} over 40 queries, with a different excluded range each;
     * asserts each list's order, exact scores, and no excluded, inactive or repeated item.
     */
    static double recall(GaussianCatalogue d, CandidateRetriever exact, CandidateRetriever screen, int n, long seed) {
        return recall(d, exact, screen, n, seed, 1f);
    }

    /** As above, each query scaled by {@code scale} (below 1: weaker queries, whose lists the biases decide more). */
    static double recall(GaussianCatalogue d, CandidateRetriever exact, CandidateRetriever screen, int n, long seed, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ei = new int[n], si = new int[n];
        float[] es = new float[n], ss = new float[n];
        double sum = 0;
        int queries = 40;
        for (int k = 0; k < queries; k++) {
            float[] q = d.query(r);
            for (int f = 0; f < q.length; f++) q[f] *= scale;
            int from = r.nextInt(d.b().length);
            IntPredicate seen = i -> i >= from && i < from + 150;
            int en = exact.topK(q, n, seen, new TopK(n), ei, es);
            int sn = screen.topK(q, n, seen, new TopK(n), si, ss);
            assertEquals(en, sn, "as many items as the exact scan");
            int[] truth = Arrays.copyOf(ei, en);
            Arrays.sort(truth);
            int hits = 0;
            for (int j = 0; j < sn; j++) {
                assertFalse(seen.test(si[j]) || !d.active()[si[j]], "excluded or inactive item " + si[j]);
                for (int i = 0; i < j; i++) assertTrue(si[i] != si[j], "item " + si[j] + " twice");
                if (j > 0) assertTrue(ss[j - 1] >= ss[j], "best first");
                assertEquals(exactScore(d, q, si[j]), ss[j], 1e-5, "the exact score of item " + si[j]);
                if (Arrays.binarySearch(truth, si[j]) >= 0) hits++;
            }
            sum += hits / (double) en;
        }
        return sum / queries;
    }

    @Test
    void recallAt200AgainstTheExactScanOnGeneratedVectors() {
        for (int dim : new int[] {32, 33, 64}) { // one 16-bit chunk, an odd dimension, two chunks
            for (double biasSd : new double[] {0, 0.1}) {
                GaussianCatalogue d = GaussianCatalogue.of(100_000, dim, biasSd, dim * 7L);
                SimdScanRetriever exact = new SimdScanRetriever(d.v(), d.b(), d.active(), dim);
                Int4ScreenRetriever screen = new Int4ScreenRetriever(d.v(), d.b(), d.active(), dim);
                double recall = recall(d, exact, screen, 200, 11);
                assertTrue(recall >= 0.95, "recall@200 " + recall + " at d " + dim + ", bias sd " + biasSd);
                // less over-fetch finds less: the measurement can fail
                double one = recall(d, exact, new Int4ScreenRetriever(d.v(), d.b(), d.active(), dim, 1), 200, 11);
                assertTrue(one < recall, "over-fetch 1: " + one + " against " + recall);
            }
        }
    }

    @Test
    void blocksThatCannotHoldAListItemAreNotScreened() {
        // biases far wider than the vector part: most blocks' bounds are below the head's cut; skipping them loses
        // nothing (recall as high as with every block screened) and screens under a quarter of the blocks
        GaussianCatalogue d = GaussianCatalogue.of(100_000, 32, 2.0, 21);
        SimdScanRetriever exact = new SimdScanRetriever(d.v(), d.b(), d.active(), 32);
        Int4ScreenRetriever screen = new Int4ScreenRetriever(d.v(), d.b(), d.active(), 32);
        double recall = recall(d, exact, screen, 200, 22);
        assertTrue(recall >= 0.99, "recall@200 " + recall);
        screen.topK(d.query(new SplittableRandom(23)), 200, i -> false, new TopK(200), new int[200], new float[200]);
        assertTrue(screen.lastScreenedBlocks() < screen.blocks() / 4, "screened " + screen.lastScreenedBlocks() + " of " + screen.blocks());
        // the vectors outweighing the biases (sd 0.1): few blocks can be skipped, every query still screens them
        GaussianCatalogue flat = GaussianCatalogue.of(100_000, 32, 0.0, 24);
        Int4ScreenRetriever all = new Int4ScreenRetriever(flat.v(), flat.b(), flat.active(), 32);
        all.topK(flat.query(new SplittableRandom(25)), 200, i -> false, new TopK(200), new int[200], new float[200]);
        assertTrue(all.lastScreenedBlocks() > all.blocks() / 2, "screened " + all.lastScreenedBlocks() + " of " + all.blocks());
    }

    /**
     * Where blocks hold many of the best items (each base's near-copies share a bias, so they sit in neighbouring
     * blocks), far more than m = n·overFetch items reach the cut at the m-th largest block maximum; only about the m
     * best by approximate score are re-scored, at no loss of recall worth the name.
     */
    @Test
    void nearDuplicatesAreReScoredAboutMTimesPerQuery() {
        GaussianCatalogue d = GaussianCatalogue.resampled(100_000, 32, 1_000, 0.1, 0.025, 31);
        SimdScanRetriever exact = new SimdScanRetriever(d.v(), d.b(), d.active(), 32);
        Int4ScreenRetriever screen = new Int4ScreenRetriever(d.v(), d.b(), d.active(), 32);
        double recall = recall(d, exact, screen, 200, 32);
        assertTrue(recall >= 0.99, "recall@200 " + recall);
        int m = 200 * Int4ScreenRetriever.DEFAULT_OVER_FETCH;
        SplittableRandom r = new SplittableRandom(33);
        for (int k = 0; k < 10; k++) {
            screen.topK(d.query(r), 200, i -> false, new TopK(200), new int[200], new float[200]);
            assertTrue(screen.lastRescored() >= m && screen.lastRescored() <= 2 * m, "re-scored " + screen.lastRescored());
        }
    }

    /** The kernel's integer sum is exact even where its 16-bit lanes wrap (largest codes and query values). */
    @Test
    void kernelScoresAreTheExactIntegerSumScaled() {
        SplittableRandom r = new SplittableRandom(5);
        int w = FloatKernels.SHORT_LANES;
        for (int dim : new int[] {2, 31, 32, 33, 64, 100}) {
            int pairs = (dim + 1) / 2;
            for (int round = 0; round < 20; round++) {
                boolean extreme = round < 4;
                int[][] c = new int[w][2 * pairs];
                short[] q = new short[2 * pairs];
                for (int f = 0; f < dim; f++) q[f] = (short) (extreme ? (round % 2 == 0 ? 127 : -127) : r.nextInt(-127, 128));
                byte[] packed = new byte[2 * pairs * w];
                float[] bias = new float[2 * w], scale = new float[2 * w];
                for (int lane = 0; lane < w; lane++) {
                    for (int f = 0; f < dim; f++) c[lane][f] = extreme ? (round < 2 ? 7 : -7) : r.nextInt(-7, 8);
                    for (int p = 0; p < pairs; p++) packed[(pairs + p) * w + lane] = FloatKernels.int4Pair(c[lane][2 * p], c[lane][2 * p + 1]);
                    bias[w + lane] = (float) r.nextGaussian();
                    scale[w + lane] = (float) r.nextDouble(0.001, 0.1);
                }
                short[] offsets = new short[(pairs + 15) / 16], weights = new short[2 * pairs];
                FloatKernels.int4Weights(q, pairs, weights, offsets);
                float[] out = new float[w + 3];
                float max = FloatKernels.int4BlockScores(weights, offsets, 0.0123f, packed, bias, scale, 1, pairs, Float.NEGATIVE_INFINITY, out, 3);
                float expectedMax = Float.NEGATIVE_INFINITY;
                for (int lane = 0; lane < w; lane++) {
                    long sum = 0;
                    for (int f = 0; f < dim; f++) sum += (long) c[lane][f] * q[f];
                    float expected = Math.fma((float) sum * scale[w + lane], 0.0123f, bias[w + lane]);
                    assertEquals(expected, out[3 + lane], "lane " + lane + ", d " + dim + ", round " + round);
                    expectedMax = Math.max(expectedMax, expected);
                }
                assertEquals(expectedMax, max);
                assertEquals(expectedMax, FloatKernels.int4BlockScores(weights, offsets, 0.0123f, packed, bias, scale, 1, pairs, expectedMax, null, 0));
                assertEquals(Float.NEGATIVE_INFINITY, FloatKernels.int4BlockScores(weights, offsets, 0.0123f, packed, bias, scale, 1, pairs,
                        Math.nextUp(expectedMax), null, 0), "below the floor");
            }
        }
    }

    /** Two blocks in one call give the floats of two single calls, bit for bit, and each block's own result. */
    @Test
    void pairKernelEqualsTwoSingleBlocks() {
        SplittableRandom r = new SplittableRandom(6);
        int w = FloatKernels.SHORT_LANES;
        for (int dim : new int[] {2, 17, 31, 32}) {
            int pairs = (dim + 1) / 2;
            for (int round = 0; round < 20; round++) {
                boolean extreme = round < 2;
                short[] q = new short[2 * pairs];
                for (int f = 0; f < dim; f++) q[f] = (short) (extreme ? 127 : r.nextInt(-127, 128));
                byte[] packed = new byte[3 * pairs * w];
                for (int i = 0; i < packed.length; i++) {
                    packed[i] = extreme ? FloatKernels.int4Pair(7, 7) : FloatKernels.int4Pair(r.nextInt(-7, 8), r.nextInt(-7, 8));
                }
                float[] bias = new float[3 * w], scale = new float[3 * w];
                for (int i = 0; i < bias.length; i++) {
                    bias[i] = (float) r.nextGaussian();
                    scale[i] = (float) r.nextDouble(0.001, 0.1);
                }
                short[] offsets = new short[1], weights = new short[2 * pairs];
                FloatKernels.int4Weights(q, pairs, weights, offsets);
                float[] single = new float[2 * w];
                float max0 = FloatKernels.int4BlockScores(weights, offsets, 0.0123f, packed, bias, scale, 1, pairs, Float.NEGATIVE_INFINITY, single, 0);
                float max1 = FloatKernels.int4BlockScores(weights, offsets, 0.0123f, packed, bias, scale, 2, pairs, Float.NEGATIVE_INFINITY, single, w);
                float[] floors = {Float.NEGATIVE_INFINITY, Math.min(max0, max1), Math.max(max0, max1), Math.nextUp(Math.max(max0, max1))};
                for (float floor : floors) {
                    float[] pair = new float[2 * w], maxOut = new float[2];
                    float max = FloatKernels.int4BlockPairScores(weights, offsets, 0.0123f, packed, bias, scale, 1, pairs, floor, new short[2 * w], pair, maxOut);
                    String at = "d " + dim + ", round " + round + ", floor " + floor;
                    assertArrayEquals(single, pair, at);
                    assertEquals(max0 >= floor ? max0 : Float.NEGATIVE_INFINITY, maxOut[0], at);
                    assertEquals(max1 >= floor ? max1 : Float.NEGATIVE_INFINITY, maxOut[1], at);
                    assertEquals(Math.max(maxOut[0], maxOut[1]), max, at);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> FloatKernels.int4BlockPairScores(new short[34], new short[2], 1f,
                new byte[17 * 2 * w], new float[2 * w], new float[2 * w], 0, 17, 0f, new short[2 * w], new float[2 * w], new float[2]));
    }

    @Test
    void updatedItemsAreFoundAtOnceAndOldVectorsForgotten() {
        GaussianCatalogue d = GaussianCatalogue.of(50_000, 32, 0.05, 4);
        updatedItemsAreFoundAtOnceAndOldVectorsForgotten(new Int4ScreenRetriever(d.v(), d.b(), d.active(), 32), d, () -> { });
    }

    /**
     * Items 17, 40 and 49,999 of {@code d} (50,000 × 32) moved far above every other item are the top three at once;
     * the former best moved away is gone. {@code afterMoves} runs between the two (a check of the screen's state).
     */
    static void updatedItemsAreFoundAtOnceAndOldVectorsForgotten(Int4ScreenRetriever screen, GaussianCatalogue d, Runnable afterMoves) {
        float[] q = d.query(new SplittableRandom(8));
        int[] top = new int[200];
        float[] scores = new float[200];
        screen.topK(q, 200, i -> false, new TopK(200), top, scores);
        int formerBest = top[0];
        float[] big = new float[32];
        for (int f = 0; f < 32; f++) big[f] = Math.signum(q[f]) * 5f; // far above every other item: a new scale
        for (int item : new int[] {17, 49_999, 40}) screen.update(item, big, 0, 3f);
        afterMoves.run();
        screen.topK(q, 3, i -> false, new TopK(3), top, scores);
        assertArrayEquals(new int[] {17, 40, 49_999}, Arrays.copyOf(top, 3), "the three updated items, ties to the lower index");
        assertEquals(200, screen.topK(q, 200, i -> i == 40, new TopK(200), top, scores));
        for (int k = 0; k < 200; k++) assertTrue(top[k] != 40, "an updated item can be excluded");
        float[] away = new float[32];
        for (int f = 0; f < 32; f++) away[f] = -big[f];
        screen.update(formerBest, away, 0, -3f);
        int n = screen.topK(q, 200, i -> false, new TopK(200), top, scores);
        for (int k = 0; k < n; k++) assertTrue(top[k] != formerBest, "the former best item, moved away, is gone");
    }

    /**
     * Biases far wider than the vector part: most blocks' bounds are under the head's cut. An update that lifts the
     * lowest-bias item (the last block) to the top must raise its block's bound, or the scan skips it.
     */
    @Test
    void anUpdateRaisesItsBlocksBoundSoALowBiasItemMovedUpIsFound() {
        GaussianCatalogue d = GaussianCatalogue.of(100_000, 32, 2.0, 31);
        float[] b = d.b();
        Int4ScreenRetriever screen = new Int4ScreenRetriever(d.v(), b, d.active(), 32);
        float[] q = d.query(new SplittableRandom(32));
        int[] top = new int[50];
        screen.topK(q, 50, i -> false, new TopK(50), top, new float[50]);
        assertTrue(screen.lastScreenedBlocks() < screen.blocks() / 4, "screened " + screen.lastScreenedBlocks() + " of " + screen.blocks());
        int low = 0;
        for (int i = 0; i < b.length; i++) if (b[i] < b[low]) low = i;
        float[] row = new float[32];
        for (int f = 0; f < 32; f++) row[f] = 10 * q[f];
        screen.update(low, row, 0, b[low] + 5f); // the vector part lifts it to the top, its bias alone would not
        screen.topK(q, 50, i -> false, new TopK(50), top, new float[50]);
        assertEquals(low, top[0]);
    }

    /** Every item that sets the cut is excluded: the lowered cut still returns n items, none of them excluded. */
    @Test
    void excludingTheBestItemsStillFillsTheList() {
        GaussianCatalogue d = GaussianCatalogue.of(40_000, 32, 0.1, 9);
        SimdScanRetriever exact = new SimdScanRetriever(d.v(), d.b(), d.active(), 32);
        Int4ScreenRetriever screen = new Int4ScreenRetriever(d.v(), d.b(), d.active(), 32, 2);
        float[] q = d.query(new SplittableRandom(2));
        int[] best = new int[2_000];
        int n = exact.topK(q, 2_000, i -> false, new TopK(2_000), best, new float[2_000]);
        boolean[] excluded = new boolean[40_000];
        for (int k = 0; k < n; k++) excluded[best[k]] = true;
        int[] items = new int[200];
        assertEquals(200, screen.topK(q, 200, i -> excluded[i], new TopK(200), items, new float[200]));
        for (int item : items) assertFalse(excluded[item]);
    }

    @Test
    void smallCataloguesInactiveSlotsAndZeroQueries() {
        int n = 100, d = 3;
        float[] v = new float[n * d], bias = new float[n];
        boolean[] active = new boolean[n];
        for (int i = 0; i < 5; i++) {
            v[i * d] = i + 1;
            bias[i] = -20f; // every active score is below the free slots' zero
            active[i] = true;
        }
        Int4ScreenRetriever r = new Int4ScreenRetriever(v, bias, active, d);
        int[] items = new int[10];
        float[] scores = new float[10];
        float[] q = {1, 0, 0};
        assertEquals(3, r.topK(q, 3, i -> false, new TopK(3), items, scores));
        assertArrayEquals(new int[] {4, 3, 2}, Arrays.copyOf(items, 3));
        r.update(97, new float[] {10, 0, 0}, 0, 0.5f);
        assertEquals(3, r.topK(q, 3, i -> false, new TopK(3), items, scores));
        assertArrayEquals(new int[] {97, 4, 3}, Arrays.copyOf(items, 3));
        assertEquals(10.5f, scores[0]);
        assertEquals(6, r.topK(q, 10, i -> false, new TopK(10), items, scores), "only the active ones");
        assertEquals(5, r.topK(new float[3], 10, i -> i == 97, new TopK(10), items, scores), "a zero query ranks by bias");
    }
}
