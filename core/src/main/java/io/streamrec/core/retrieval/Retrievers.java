package io.streamrec.core.retrieval;

/**
 * Picks the retriever for a catalogue by its size: the exact SIMD scan ({@link SimdScanRetriever})
 * below {@code annFrom} items, the HNSW index ({@link HnswRetriever}) from there on. The exact
 * scan's cost grows with the catalogue (~0.01 µs of CPU per item per query with AVX-512,
 * docs/benchmarks.md) while the index's grows with log(size), so the index pays off only for
 * large catalogues; below the threshold exact results cost less than approximate ones.
 */
public final class Retrievers {
    /**
     * Catalogue size from which the HNSW index is used by default: 200,000 (docs/benchmarks.md: at 100k items the SIMD
     * scan costs 0.46 ms of CPU per query against 0.84 ms for the index at recall 0.95). The JVM property
     * {@code streamrec.ann.from} overrides it (benchmarks use it to keep the exact scan at 1M items, where building
     * the index takes tens of minutes on a shared 2-core machine).
     */
    public static final int DEFAULT_ANN_FROM = Integer.getInteger("streamrec.ann.from", 200_000);

    private Retrievers() {}

    /** The exact scan (SIMD when available); copies the arrays. */
    public static UpdatableRetriever exact(float[] vectors, float[] bias, boolean[] active, int dim) {
        return new SimdScanRetriever(vectors, bias, active, dim);
    }

    /**
     * The retriever for this catalogue: exact below {@code annFrom} items, else an HNSW index built
     * now (on the calling thread: ~1 minute per million items on one core) over copies of the arrays.
     */
    public static UpdatableRetriever forCatalogue(float[] vectors, float[] bias, boolean[] active, int dim, int annFrom,
                                                  HnswRetriever.Settings settings) {
        int size = vectors.length / Math.max(dim, 1);
        if (size < annFrom) return exact(vectors, bias, active, dim);
        return new HnswRetriever(vectors.clone(), bias.clone(), active.clone(), dim, settings);
    }

    public static UpdatableRetriever forCatalogue(float[] vectors, float[] bias, boolean[] active, int dim) {
        return forCatalogue(vectors, bias, active, dim, DEFAULT_ANN_FROM, HnswRetriever.Settings.defaults());
    }
}
