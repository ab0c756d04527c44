package io.streamrec.core.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.core.simd.FloatKernels;
import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** The SIMD scan against the scalar scan ({@link BruteForceRetriever}) it replaces. */
class SimdScanRetrieverTest {

    @Test
    void theVectorApiIsOnInTests() {
        // surefire's argLine carries --add-modules jdk.incubator.vector (root pom): without it
        // the tests below would only compare the scalar fallback with itself.
        assertTrue(FloatKernels.SIMD, "jdk.incubator.vector is not in the boot layer");
    }

    @Test
    void sameItemsAsTheScalarScanOnIntegerData() {
        // small integers: every product and sum is exact in float, so both scans compute the
        // same scores and must return identical lists, ties to the lower index included
        for (long seed = 1; seed <= 40; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int dim = rnd.nextInt(1, 70);
            int size = rnd.nextInt(1, 3000);
            float[] v = new float[size * dim], b = new float[size];
            boolean[] active = new boolean[size];
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(-2, 3);
            for (int i = 0; i < size; i++) {
                b[i] = rnd.nextInt(-3, 4);
                active[i] = rnd.nextDouble() < 0.9;
            }
            float[] q = new float[dim];
            for (int f = 0; f < dim; f++) q[f] = rnd.nextInt(-2, 3);
            BitSet excluded = new BitSet();
            for (int i = 0; i < size; i++) if (rnd.nextDouble() < 0.1) excluded.set(i);
            int n = rnd.nextInt(1, 300);
            int[] want = new int[n], got = new int[n];
            float[] ws = new float[n], gs = new float[n];
            int wn = new BruteForceRetriever(v, b, active, dim).topK(q, n, excluded::get, new TopK(n), want, ws);
            int gn = new SimdScanRetriever(v, b, active, dim).topK(q, n, excluded::get, new TopK(n), got, gs);
            assertEquals(wn, gn, "seed " + seed);
            assertArrayEquals(Arrays.copyOf(want, wn), Arrays.copyOf(got, gn), "seed " + seed);
            assertArrayEquals(Arrays.copyOf(ws, wn), Arrays.copyOf(gs, gn), "seed " + seed);
        }
    }

    @Test
    void thresholdedSelectionKeepsTiesToTheLowerIndex() {
        // 20k items with few distinct (exact) scores: the threshold from the block maxima falls among
        // thousands of equal scores, a fifth of the items are excluded, and the list must still be the
        // heap's, ties to the lower index included (n = 1500 is more than the 1,250 blocks: no threshold)
        for (int n : new int[] {1, 7, 50, 300, 1500}) {
            SplittableRandom rnd = new SplittableRandom(n);
            int dim = 16, size = 20_000;
            float[] v = new float[size * dim], b = new float[size];
            boolean[] active = new boolean[size];
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(-1, 2);
            for (int i = 0; i < size; i++) {
                b[i] = rnd.nextInt(0, 2);
                active[i] = rnd.nextDouble() < 0.95;
            }
            float[] q = new float[dim];
            for (int f = 0; f < dim; f++) q[f] = rnd.nextInt(-1, 2);
            int[] want = new int[n], got = new int[n];
            float[] ws = new float[n], gs = new float[n];
            int wn = new BruteForceRetriever(v, b, active, dim).topK(q, n, i -> i % 5 == 0, new TopK(n), want, ws);
            int gn = new SimdScanRetriever(v, b, active, dim).topK(q, n, i -> i % 5 == 0, new TopK(n), got, gs);
            assertEquals(wn, gn, "n " + n);
            assertArrayEquals(want, got, "n " + n);
            assertArrayEquals(ws, gs, "n " + n);
        }
    }

    @Test
    void itemsThatSetTheThresholdButAreExcludedDoNotShortenTheList() {
        // one item per block scores far above the rest and every one of them is excluded (seen):
        // the threshold from the block maxima admits no allowed item, and the scan must fall back
        int dim = 8, size = 4_000, n = 100;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] v = new float[size * dim], b = new float[size];
        boolean[] active = new boolean[size];
        Arrays.fill(active, true);
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        BitSet excluded = new BitSet();
        for (int i = 0; i < size; i++) {
            b[i] = (float) rnd.nextGaussian();
            if (i % FloatKernels.LANES == 3) {
                b[i] = 1_000f;
                excluded.set(i);
            }
        }
        float[] q = new float[dim];
        for (int f = 0; f < dim; f++) q[f] = (float) rnd.nextGaussian();
        assertMatchesScalarScan(v, b, active, dim, q, n, excluded::get, "");
    }

    @Test
    void seenItemsAtTheTopLowerTheThresholdUntilTheListIsFull() {
        // a user's seen movies are the ones their vector points at: exclude the 3n best items, so the first
        // threshold (the n-th block maximum) and the next admit fewer than n allowed items
        int n = 100;
        GaussianCatalogue c = GaussianCatalogue.of(40_000, 16, 0.1, 5);
        float[] v = c.v(), b = c.b(), q = c.query(new SplittableRandom(6));
        boolean[] active = c.active();
        int dim = c.dim();
        int seen = 3 * n;
        int[] best = new int[seen];
        new BruteForceRetriever(v, b, active, dim).topK(q, seen, i -> false, new TopK(seen), best, new float[seen]);
        BitSet excluded = new BitSet();
        for (int i : best) excluded.set(i);
        assertMatchesScalarScan(v, b, active, dim, q, n, excluded::get, "");
    }

    @Test
    void sameItemsAsTheScalarScanUpToFloatTiesOnGaussianData() {
        int swapped = 0;
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int dim = new int[] {8, 16, 31, 32, 33, 64}[(int) (seed % 6)];
            int size = 20_000;
            float[] v = new float[size * dim], b = new float[size];
            boolean[] active = new boolean[size];
            Arrays.fill(active, true);
            for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
            for (int i = 0; i < size; i++) b[i] = (float) rnd.nextGaussian();
            float[] q = new float[dim];
            for (int f = 0; f < dim; f++) q[f] = (float) rnd.nextGaussian();
            swapped += assertMatchesScalarScan(v, b, active, dim, q, 200, i -> i % 7 == 0, "seed " + seed + " ");
        }
        assertTrue(swapped < 20, "too many tie swaps: " + swapped);
    }

    /**
     * The SIMD scan's n allowed items against the scalar scan's: the same score up to rounding, and a different item
     * only where the two scores tie within that rounding (|score| ~ 10 in these tests, float ulp ~ 1e-6). Returns
     * how many ranks hold such a swapped tie.
     */
    private static int assertMatchesScalarScan(float[] v, float[] b, boolean[] active, int dim, float[] q, int n,
                                               IntPredicate exclude, String label) {
        int[] want = new int[n], got = new int[n];
        float[] ws = new float[n], gs = new float[n];
        assertEquals(n, new BruteForceRetriever(v, b, active, dim).topK(q, n, exclude, new TopK(n), want, ws));
        assertEquals(n, new SimdScanRetriever(v, b, active, dim).topK(q, n, exclude, new TopK(n), got, gs));
        int swapped = 0;
        for (int r = 0; r < n; r++) {
            assertFalse(exclude.test(got[r]), label + "rank " + r);
            assertEquals(ws[r], gs[r], 1e-4f * Math.max(1f, Math.abs(ws[r])), label + "rank " + r);
            if (want[r] != got[r]) {
                swapped++;
                float a = scalarScore(v, b, dim, q, want[r]), c = scalarScore(v, b, dim, q, got[r]);
                assertEquals(a, c, 1e-4f * Math.max(1f, Math.abs(a)), label + "rank " + r + ": not a tie");
            }
        }
        return swapped;
    }

    @Test
    void kernelsMatchTheScalarLoops() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int dim = 1; dim <= 70; dim++) {
            int rows = 37;
            float[] m = new float[rows * dim], bias = new float[rows], q = new float[dim];
            for (int i = 0; i < m.length; i++) m[i] = (float) rnd.nextGaussian();
            for (int i = 0; i < rows; i++) bias[i] = (float) rnd.nextGaussian();
            for (int f = 0; f < dim; f++) q[f] = (float) rnd.nextGaussian();
            float[] block = new float[rows - 3];
            FloatKernels.blockScores(q, m, bias, 3, rows, dim, block);
            int[] picks = {5, 0, 36, 5, 17, 2, 9};
            float[] gathered = new float[picks.length];
            FloatKernels.gatherScores(q, m, null, picks, picks.length, dim, gathered);
            for (int i = 3; i < rows; i++) {
                assertEquals(scalarScore(m, bias, dim, q, i), block[i - 3], 1e-4f, "dim " + dim + " row " + i);
                assertEquals(FloatKernels.scalarDot(q, 0, m, i * dim, dim), FloatKernels.dot(q, 0, m, i * dim, dim), 1e-4f);
            }
            for (int r = 0; r < picks.length; r++) {
                assertEquals(FloatKernels.scalarDot(q, 0, m, picks[r] * dim, dim), gathered[r], 1e-4f, "dim " + dim + " pick " + r);
            }
        }
    }

    private static float scalarScore(float[] v, float[] b, int dim, float[] q, int i) {
        float s = b[i];
        for (int f = 0; f < dim; f++) s += q[f] * v[i * dim + f];
        return s;
    }

    @Test
    void inactiveSlotsAtTheEndAreSkippedUntilAnUpdateActivatesOne() {
        int n = 100, d = 3;
        float[] v = new float[n * d], bias = new float[n];
        boolean[] active = new boolean[n];
        for (int i = 0; i < 5; i++) {
            v[i * d] = i + 1;
            active[i] = true;
        }
        SimdScanRetriever r = new SimdScanRetriever(v, bias, active, d);
        int[] items = new int[3];
        float[] scores = new float[3];
        float[] q = {1, 0, 0};
        assertEquals(3, r.topK(q, 3, i -> false, new TopK(3), items, scores));
        assertArrayEquals(new int[] {4, 3, 2}, items);
        r.update(97, new float[] {10, 0, 0}, 0, 0.5f);
        assertEquals(3, r.topK(q, 3, i -> false, new TopK(3), items, scores));
        assertArrayEquals(new int[] {97, 4, 3}, items);
        assertEquals(10.5f, scores[0], 1e-6);
        assertEquals(6, r.topK(q, 10, i -> false, new TopK(10), new int[10], new float[10]), "only the active ones");
    }

    @Test
    void blocksWhoseBoundIsUnderTheHeadsCutAreSkippedAndTheListStaysExact() {
        // biases far wider than the vector part (as trained popularity biases are): most blocks cannot reach the
        // list, and skipping them must give the scalar scan's list, with the best items of the head excluded
        GaussianCatalogue c = GaussianCatalogue.of(30_000, 32, 2.0, 11);
        SimdScanRetriever r = new SimdScanRetriever(c.v(), c.b(), c.active(), c.dim());
        SplittableRandom rnd = new SplittableRandom(12);
        for (int k = 0; k < 10; k++) {
            float[] q = c.query(rnd);
            int n = 100;
            int[] best = new int[n];
            new BruteForceRetriever(c.v(), c.b(), c.active(), c.dim()).topK(q, n, i -> false, new TopK(n), best, new float[n]);
            BitSet excluded = new BitSet();
            for (int j = 0; j < n; j += 2) excluded.set(best[j]);
            assertMatchesScalarScan(c.v(), c.b(), c.active(), c.dim(), q, n, excluded::get, "query " + k + " ");
            r.topK(q, n, excluded::get, new TopK(n), new int[n], new float[n]);
            assertTrue(r.lastScoredBlocks() < r.blocks() / 4, "scored " + r.lastScoredBlocks() + " of " + r.blocks());
        }
    }

    @Test
    void anUpdateRaisesItsBlocksBoundSoALowBiasItemMovedUpIsFound() {
        GaussianCatalogue c = GaussianCatalogue.of(20_000, 16, 2.0, 13);
        float[] v = c.v(), b = c.b();
        boolean[] active = c.active();
        SimdScanRetriever r = new SimdScanRetriever(v, b, active, 16);
        int low = 0;
        for (int i = 0; i < b.length; i++) if (active[i] && b[i] < b[low]) low = i;
        float[] q = c.query(new SplittableRandom(14));
        float[] row = new float[16];
        for (int f = 0; f < 16; f++) row[f] = 10 * q[f];
        r.update(low, row, 0, b[low] + 5f); // the vector part lifts it to the top, its bias alone would not
        System.arraycopy(row, 0, v, low * 16, 16);
        b[low] += 5f;
        int[] items = new int[50];
        r.topK(q, 50, i -> false, new TopK(50), items, new float[50]);
        assertEquals(low, items[0]);
        assertMatchesScalarScan(v, b, active, 16, q, 50, i -> false, "");
    }

    @Test
    void withBoundsOffEveryBlockIsScored() {
        GaussianCatalogue c = GaussianCatalogue.of(5_000, 8, 2.0, 15);
        String before = System.getProperty("streamrec.scan.bounds");
        System.setProperty("streamrec.scan.bounds", "false");
        try {
            SimdScanRetriever r = new SimdScanRetriever(c.v(), c.b(), c.active(), 8);
            r.topK(c.query(new SplittableRandom(16)), 10, i -> false, new TopK(10), new int[10], new float[10]);
            assertEquals(r.blocks(), r.lastScoredBlocks());
        } finally {
            if (before == null) System.clearProperty("streamrec.scan.bounds");
            else System.setProperty("streamrec.scan.bounds", before);
        }
    }
}
