package io.streamrec.core.retrieval;

import java.util.Arrays;

/**
 * Picks the retriever for a catalogue by its size. Exact (the same items and scores) below 100,000 items: the float
 * SIMD scan ({@link SimdScanRetriever}), whose matrix is then mostly in cache and its loop the cheapest. From
 * {@code approximateFrom} items the 4-bit screen ({@link Int4ScreenRetriever}): approximate (recall@200 1.0000 at
 * 100k × 64 generated and 100k × 32 trained-like vectors, 0.999–1.0 at 1M × 32), reading an eighth of the float
 * scan's bytes. The int8-bounded exact scan ({@link QuantizedScanRetriever}) serves from {@code quantizedFrom} items
 * when that is below {@code approximateFrom} (not by default: an operator who wants exact lists on a large catalogue
 * raises {@code streamrec.approximate.from}; 1M × 32: ~3.5 ms of CPU per query against the float scan's ~6.1 ms,
 * docs/benchmarks.md). The HNSW index ({@link HnswRetriever}) is used only from {@code annFrom} items, which is off unless set:
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
     * Catalogue size from which the approximate 4-bit screen replaces the exact scans: 100,000. Alone, one query at a
     * time, the screen and the float scan cost about the same at 100k × 32 (0.34 against 0.36 ms of CPU) and the
     * screen wins from there (100k × 64: 0.49 against 0.83; 1M × 32: 1.61 against 4.56 for the int8 scan); in the app,
     * two stream threads scanning 100k × 64 floats (25.6 MB each query) no longer fit the 32-MB L3 beside everything
     * else, and the screen's 3.2 MB of codes cut the stream threads' CPU per list about 3× (1,514–1,613 µs against
     * 475–534, {@code ./recsys bench --movies 100000}; docs/benchmarks.md, fifth pass). Below 100k lists stay exact.
     * JVM property {@code streamrec.approximate.from} overrides it.
     */
    public static final int DEFAULT_APPROXIMATE_FROM = Integer.getInteger("streamrec.approximate.from", 100_000);

    /**
     * Catalogue size from which the 4-bit screen groups its items in cells and screens only the cells of highest mean
     * score for each query ({@link ItemCells}, {@link Int4ScreenRetriever#DEFAULT_PROBE_SHARE} of the items: by
     * default a share calibrated on the catalogue at build): 100,000, so every catalogue the screen serves. With one
     * fixed share cells did not pay at 100k (the query's fixed work ate what the skipped blocks saved); with the share
     * by query norm a new user's list probes one or two cells, and the 100k load test's retrieval fell from
     * 261–266 to 131–165 µs per event, 2,000 events/s kept up instead of 1,396 lists/s (docs/benchmarks.md, eighteenth
     * pass). JVM property {@code streamrec.cells.from} overrides it.
     */
    public static final int DEFAULT_CELLS_FROM = Integer.getInteger("streamrec.cells.from", 100_000);

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
        return scanFor(size, quantizedFrom, approximateFrom).over(vectors, bias, active, dim);
    }

    /** The scan {@link #forCatalogue} picks for {@code size} items below its index threshold. */
    private static Scan scanFor(int size, int quantizedFrom, int approximateFrom) {
        if (size >= approximateFrom) {
            float share = probeShareFor(size);
            return (v, b, a, d) -> new Int4ScreenRetriever(v, b, a, d, Int4ScreenRetriever.DEFAULT_OVER_FETCH, share);
        }
        return size >= quantizedFrom ? QuantizedScanRetriever::new : SimdScanRetriever::new;
    }

    /**
     * The share of the items the 4-bit screen of a catalogue of {@code size} items probes: {@link
     * Int4ScreenRetriever#DEFAULT_PROBE_SHARE} in cells from {@link #DEFAULT_CELLS_FROM} items ({@link
     * Int4ScreenRetriever#CALIBRATED} unless set), 1 (no cells) below.
     */
    public static float probeShareFor(int size) {
        return size >= DEFAULT_CELLS_FROM ? Int4ScreenRetriever.DEFAULT_PROBE_SHARE : 1f;
    }

    /**
     * The scan the default thresholds pick for a catalogue of {@code catalogueItems} items, built over other rows
     * ({@code vectors}, {@code bias}, {@code active}): for compiling that scan's kernels before the catalogue is read
     * (a synthetic catalogue of the same dimension runs the same code). A catalogue an HNSW index would serve (only with
     * {@code streamrec.ann.from}) gets the scan below that threshold.
     */
    public static UpdatableRetriever scanOfKindFor(int catalogueItems, float[] vectors, float[] bias, boolean[] active, int dim) {
        return scanFor(catalogueItems, DEFAULT_QUANTIZED_FROM, DEFAULT_APPROXIMATE_FROM).over(vectors, bias, active, dim);
    }

    /**
     * A retriever of {@code like}'s kind (one of the scans) over the first {@code items} rows of {@code vectors} and
     * {@code bias} (rows of {@code like.dim()} floats), every row active; null for another kind or when {@code like}
     * holds no more rows than that. For the start-up warm-up: a large catalogue's first queries run its kernels in
     * the interpreter, where the Vector API boxes every operation (one event took 6 s at 1M items, docs/benchmarks.md
     * fourteenth pass), while the same kernels over a slice compile after a few queries that cost milliseconds.
     */
    public static UpdatableRetriever sliceOfSameKind(UpdatableRetriever like, float[] vectors, float[] bias, int items) {
        Scan kind = like instanceof Int4ScreenRetriever ? Int4ScreenRetriever::new
                : like instanceof QuantizedScanRetriever ? QuantizedScanRetriever::new
                : like instanceof SimdScanRetriever ? SimdScanRetriever::new : null;
        if (kind == null || like.size() <= items) return null;
        int dim = like.dim();
        boolean[] active = new boolean[items];
        Arrays.fill(active, true);
        return kind.over(Arrays.copyOf(vectors, items * dim), Arrays.copyOf(bias, items), active, dim);
    }

    /** A scan's constructor: every scan copies the arrays it is given. */
    private interface Scan {
        UpdatableRetriever over(float[] vectors, float[] bias, boolean[] active, int dim);
    }

    public static UpdatableRetriever forCatalogue(float[] vectors, float[] bias, boolean[] active, int dim) {
        return forCatalogue(vectors, bias, active, dim, DEFAULT_QUANTIZED_FROM, DEFAULT_APPROXIMATE_FROM, DEFAULT_ANN_FROM,
                HnswRetriever.Settings.defaults());
    }
}
