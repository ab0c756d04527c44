package io.streamrec.core.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** The int8-bounded scan returns exactly what the float scan returns: same items, same order, bit-identical scores. */
class QuantizedScanRetrieverTest {

    private static void assertSame(CandidateRetriever expected, CandidateRetriever actual, float[] q, int n, IntPredicate exclude) {
        int[] ei = new int[n], ai = new int[n];
        float[] es = new float[n], as = new float[n];
        int en = expected.topK(q, n, exclude, new TopK(n), ei, es);
        int an = actual.topK(q, n, exclude, new TopK(n), ai, as);
        assertEquals(en, an);
        assertArrayEquals(Arrays.copyOf(ei, en), Arrays.copyOf(ai, an));
        assertArrayEquals(Arrays.copyOf(es, en), Arrays.copyOf(as, an));
    }

    @Test
    void sameListsAsTheFloatScanOnGaussianData() {
        for (int dim : new int[] {32, 33, 64}) {
            for (double biasSd : new double[] {0, 0.05, 1}) { // from vectors deciding to the bias deciding
                GaussianCatalogue d = GaussianCatalogue.of(5_000, dim, biasSd, dim * 31L);
                SimdScanRetriever exact = new SimdScanRetriever(d.v(), d.b(), d.active(), dim);
                QuantizedScanRetriever quantized = new QuantizedScanRetriever(d.v(), d.b(), d.active(), dim);
                SplittableRandom r = new SplittableRandom(5);
                for (int k = 0; k < 30; k++) {
                    float[] q = d.query(r);
                    int seenFrom = r.nextInt(5_000);
                    IntPredicate seen = i -> i >= seenFrom && i < seenFrom + 100;
                    for (int n : new int[] {1, 10, 200}) assertSame(exact, quantized, q, n, seen);
                }
            }
        }
    }

    @Test
    void integerDataWithHeavyTiesKeepsTheLowerIndex() {
        int items = 3_000, dim = 8;
        SplittableRandom r = new SplittableRandom(3);
        float[] v = new float[items * dim], b = new float[items];
        boolean[] active = new boolean[items];
        Arrays.fill(active, true);
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(-2, 3);
        for (int i = 0; i < items; i++) b[i] = r.nextInt(3);
        SimdScanRetriever exact = new SimdScanRetriever(v, b, active, dim);
        QuantizedScanRetriever quantized = new QuantizedScanRetriever(v, b, active, dim);
        for (int k = 0; k < 20; k++) {
            float[] q = new float[dim];
            for (int f = 0; f < dim; f++) q[f] = r.nextInt(-3, 4);
            assertSame(exact, quantized, q, 200, i -> i % 7 == 0);
        }
    }

    /** Every item that sets the threshold is excluded: the retry with lower thresholds still finds the true best n. */
    @Test
    void excludingTheBestItemsStillGivesTheExactList() {
        GaussianCatalogue d = GaussianCatalogue.of(4_000, 32, 1, 9);
        SimdScanRetriever exact = new SimdScanRetriever(d.v(), d.b(), d.active(), 32);
        QuantizedScanRetriever quantized = new QuantizedScanRetriever(d.v(), d.b(), d.active(), 32);
        float[] q = d.query(new SplittableRandom(2));
        int[] best = new int[1_000];
        float[] scores = new float[1_000];
        int n = exact.topK(q, 1_000, i -> false, new TopK(1_000), best, scores);
        boolean[] excluded = new boolean[4_000];
        for (int k = 0; k < n; k++) excluded[best[k]] = true;
        assertSame(exact, quantized, q, 50, i -> excluded[i]);
        assertSame(exact, quantized, q, 200, i -> i % 2 == 0 || excluded[i]);
    }

    @Test
    void updatedItemsAreFoundAtTheirNewScore() {
        GaussianCatalogue d = GaussianCatalogue.of(2_000, 32, 0.1, 4);
        SimdScanRetriever exact = new SimdScanRetriever(d.v(), d.b(), d.active(), 32);
        QuantizedScanRetriever quantized = new QuantizedScanRetriever(d.v(), d.b(), d.active(), 32);
        SplittableRandom r = new SplittableRandom(8);
        float[] q = d.query(r);
        float[] big = new float[32];
        for (int f = 0; f < 32; f++) big[f] = Math.signum(q[f]) * 5f; // far larger than any other item: a new scale
        for (int item : new int[] {17, 1_999, 40}) {
            exact.update(item, big, 0, 3f);
            quantized.update(item, big, 0, 3f);
            assertSame(exact, quantized, q, 200, i -> false);
        }
        int[] top = new int[3];
        quantized.topK(q, 3, i -> false, new TopK(3), top, new float[3]);
        assertArrayEquals(new int[] {17, 40, 1_999}, top, "the three updated items, ties to the lower index");
    }

    @Test
    void smallCataloguesAndZeroVectors() {
        float[] v = new float[5 * 4], b = {0.5f, 0f, -1f, 0.5f, 2f};
        boolean[] active = {true, true, true, true, false};
        v[3 * 4] = 1f;
        SimdScanRetriever exact = new SimdScanRetriever(v, b, active, 4);
        QuantizedScanRetriever quantized = new QuantizedScanRetriever(v, b, active, 4);
        float[] q = {1f, 0f, 0f, 0f};
        for (int n = 1; n <= 6; n++) assertSame(exact, quantized, q, n, i -> i == 1);
        assertSame(exact, quantized, new float[4], 3, i -> false);
    }

    @Test
    void inactiveSlotsAtTheEndAreSkippedUntilAnUpdateActivatesOne() {
        int n = 100, d = 3;
        float[] v = new float[n * d], bias = new float[n];
        boolean[] active = new boolean[n];
        for (int i = 0; i < 5; i++) {
            v[i * d] = i + 1;
            bias[i] = -20f; // every active score is below the free slots' zero
            active[i] = true;
        }
        QuantizedScanRetriever r = new QuantizedScanRetriever(v, bias, active, d);
        SimdScanRetriever exact = new SimdScanRetriever(v, bias, active, d);
        int[] items = new int[3];
        float[] scores = new float[3];
        float[] q = {1, 0, 0};
        assertEquals(3, r.topK(q, 3, i -> false, new TopK(3), items, scores));
        assertArrayEquals(new int[] {4, 3, 2}, items);
        r.update(97, new float[] {10, 0, 0}, 0, 0.5f);
        exact.update(97, new float[] {10, 0, 0}, 0, 0.5f);
        assertEquals(3, r.topK(q, 3, i -> false, new TopK(3), items, scores));
        assertArrayEquals(new int[] {97, 4, 3}, items);
        assertEquals(10.5f, scores[0]);
        assertEquals(6, r.topK(q, 10, i -> false, new TopK(10), new int[10], new float[10]), "only the active ones");
        assertSame(exact, r, q, 10, i -> i == 3);
    }
}
