package io.streamrec.core.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RetrieversTest {

    private static UpdatableRetriever pick(int items, int quantizedFrom, int annFrom) {
        return pick(items, quantizedFrom, Integer.MAX_VALUE, annFrom);
    }

    private static UpdatableRetriever pick(int items, int quantizedFrom, int approximateFrom, int annFrom) {
        float[] v = new float[items * 4], b = new float[items];
        for (int i = 0; i < v.length; i++) v[i] = (i % 7) - 3;
        boolean[] active = new boolean[items];
        Arrays.fill(active, true);
        return Retrievers.forCatalogue(v, b, active, 4, quantizedFrom, approximateFrom, annFrom, HnswRetriever.Settings.defaults());
    }

    @Test
    void exactScansByDefaultTheIndexOnlyWhenAsked() {
        assertInstanceOf(SimdScanRetriever.class, pick(99, 100, Integer.MAX_VALUE));
        assertInstanceOf(QuantizedScanRetriever.class, pick(100, 100, Integer.MAX_VALUE));
        try (HnswRetriever index = assertInstanceOf(HnswRetriever.class, pick(100, 100, 100))) {
            assertEquals(100, index.size());
        }
        assertEquals(Integer.MAX_VALUE, Retrievers.DEFAULT_ANN_FROM, "no approximate index unless streamrec.ann.from is set");
        assertEquals(200_000, Retrievers.DEFAULT_QUANTIZED_FROM);
    }

    @Test
    void theApproximateScreenOnlyFromItsSize() {
        assertInstanceOf(QuantizedScanRetriever.class, pick(199, 100, 200, Integer.MAX_VALUE));
        assertInstanceOf(Int4ScreenRetriever.class, pick(200, 100, 200, Integer.MAX_VALUE));
        assertInstanceOf(SimdScanRetriever.class, pick(99, 100, 200, Integer.MAX_VALUE));
        assertEquals(100_000, Retrievers.DEFAULT_APPROXIMATE_FROM, "exact lists below a hundred thousand items");
    }

    @Test
    void aSliceOfTheSameKindForTheStartUpWarmUp() {
        float[] v = new float[300 * 4], b = new float[300];
        for (int i = 0; i < v.length; i++) v[i] = (i % 7) - 3 + i * 0.001f;
        for (int i = 0; i < b.length; i++) b[i] = (i % 11) * 0.1f;
        float[] q = {1, -0.5f, 0.25f, 2};
        int[] expected = new int[10];
        exact(v, b, 64).topK(q, 10, i -> false, new TopK(10), expected, new float[10]);
        for (UpdatableRetriever full : new UpdatableRetriever[] {pick(300, 400, 400, Integer.MAX_VALUE), pick(300, 100, 400, Integer.MAX_VALUE),
                pick(300, 100, 200, Integer.MAX_VALUE)}) {
            UpdatableRetriever slice = Retrievers.sliceOfSameKind(full, v, b, 64);
            assertEquals(full.getClass(), slice.getClass());
            assertEquals(64, slice.size());
            int[] items = new int[10];
            assertEquals(10, slice.topK(q, 10, i -> false, new TopK(10), items, new float[10]));
            assertArrayEquals(expected, items, "the first 64 rows, as an exact scan over them sees them: " + full.getClass().getSimpleName());
            assertNull(Retrievers.sliceOfSameKind(full, v, b, 300), "no slice of a catalogue no larger than it");
        }
        try (HnswRetriever index = (HnswRetriever) pick(100, 100, 100)) {
            assertNull(Retrievers.sliceOfSameKind(index, v, b, 64), "an index is not a scan");
        }
    }

    @Test
    void theScanOfACatalogueSizeOverOtherRows() {
        float[] v = new float[64 * 4], b = new float[64];
        boolean[] active = new boolean[64];
        Arrays.fill(active, true);
        assertInstanceOf(SimdScanRetriever.class, Retrievers.scanOfKindFor(Retrievers.DEFAULT_APPROXIMATE_FROM - 1, v, b, active, 4));
        UpdatableRetriever screen = Retrievers.scanOfKindFor(Retrievers.DEFAULT_APPROXIMATE_FROM, v, b, active, 4);
        assertInstanceOf(Int4ScreenRetriever.class, screen);
        assertEquals(64, screen.size(), "over the rows given, not the catalogue's size");
        assertEquals(16, ((Int4ScreenRetriever) screen).cells(), "in cells wherever the screen serves, on any rows");
        assertEquals(Retrievers.DEFAULT_APPROXIMATE_FROM, Retrievers.DEFAULT_CELLS_FROM);
        assertEquals(1f, Retrievers.probeShareFor(Retrievers.DEFAULT_CELLS_FROM - 1), "no cells below their size");
    }

    private static UpdatableRetriever exact(float[] v, float[] b, int items) {
        boolean[] active = new boolean[items];
        Arrays.fill(active, true);
        return Retrievers.exact(Arrays.copyOf(v, items * 4), Arrays.copyOf(b, items), active, 4);
    }
}
