package io.streamrec.core.retrieval;

/**
 * Picks the retriever for a catalogue by its size. Exact (the same items and scores) below 500,000 items: the float
 * SIMD scan ({@link SimdScanRetriever}) below {@code quantizedFrom} items, where its matrix is mostly in cache and
 * its loop the cheapest; the int8-bounded scan ({@link QuantizedScanRetriever}) from there, where the float scan is
 * memory-bound and reading a quarter of the bytes pays (1M × 32: ~3.5 ms of CPU per query against ~6.1 ms,
 * docs/benchmarks.md). From {@code approximateFrom} items the 4-bit screen ({@link Int4ScreenRetriever}):
 * approximate (recall@200 0.999–1.0 measured at 1M × 32, trained and generated vectors), about half the int8 scan's
 * CPU there. The HNSW index ({@link HnswRetriever}) is used only from {@code annFrom} items, which is off unless set:
 * measured here it reached recall@200 0.78 at 4.4 ms on 1M generated vectors, after a build of tens of minutes at
 * start-up, so at no size measured did it beat the scans.
 */
public final class Retrievers {
    /**
     * Catalogue size from which the int8-bounded exact scan replaces the float scan: 200,000 (CPU per query of
     * top-200 at d = 32: 100k items 0.40–0.43 ms float against 0.47 int8; 200k 0.97 against 0.75–0.78; 1M 6.1 against
     * 3.4–3.6; docs/benchmarks.md). JVM property
     * {@code streamrec.quantized.from} overrides it.
     */
    public static final int DEFAULT_QUANTIZED_FROM = Integer.getInteger("streamrec.quantized.from", 200_000);

    /**
     * Catalogue size from which the approximate 4-bit screen replaces the exact scans: 500,000. Median CPU ms per
     * top-200 query at d = 32 ({@code ScanCpuTime}, docs/benchmarks.md, fourth pass), int8-bounded exact scan against
     * the screen: 200k items 0.93 against 0.52, 500k 2.25 against 0.82, 1M 4.56 against 1.61 (recall@200 1.0000 at
     * every size there). Below ~500k the exact scan stays within the 2-ms retrieval budget of issue 13, so lists
     * stay exact; from there it does not. JVM property {@code streamrec.approximate.from} overrides it.
     */
    public static final int DEFAULT_APPROXIMATE_FROM = Integer.getInteger("streamrec.approximate.from", 500_000);

    /**
     * Catalogue size from which the approximate HNSW index is used: never by default. The JVM property
     * {@code streamrec.ann.from} sets it (for measurements, or catalogues where an index was shown to beat the scans).
     */
    public static final int DEFAULT_ANN_FROM = Integer.getInteger("streamrec.ann.from", Integer.MAX_VALUE);

    private Retrievers() {}

    /** The exact scan (SIMD when available); copies the arrays. */
    public static UpdatableRetriever exact(float[] vectors, float[] bias, boolean[] active, int dim) {
        return new SimdScanRetriever(vectors, bias, active, dim);
    }

    /**
     * The retriever for this catalogue: the float scan below {@code quantizedFrom} items, the int8-bounded exact scan
     * from there, the 4-bit screen from {@code approximateFrom} items, an HNSW index built now (on the calling
     * thread; tens of minutes per million items on 2 cores) from {@code annFrom} items. Each copies the arrays.
     */
    public static UpdatableRetriever forCatalogue(float[] vectors, float[] bias, boolean[] active, int dim, int quantizedFrom,
                                                  int approximateFrom, int annFrom, HnswRetriever.Settings settings) {
        int size = vectors.length / Math.max(dim, 1);
        if (size >= annFrom) return new HnswRetriever(vectors.clone(), bias.clone(), active.clone(), dim, settings);
        if (size >= approximateFrom) return new Int4ScreenRetriever(vectors, bias, active, dim);
        if (size >= quantizedFrom) return new QuantizedScanRetriever(vectors, bias, active, dim);
        return exact(vectors, bias, active, dim);
    }

    public static UpdatableRetriever forCatalogue(float[] vectors, float[] bias, boolean[] active, int dim) {
        return forCatalogue(vectors, bias, active, dim, DEFAULT_QUANTIZED_FROM, DEFAULT_APPROXIMATE_FROM, DEFAULT_ANN_FROM,
                HnswRetriever.Settings.defaults());
    }
}
