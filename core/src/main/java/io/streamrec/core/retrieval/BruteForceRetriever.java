package io.streamrec.core.retrieval;

import java.util.function.IntPredicate;

/**
 * Exact retrieval: score = bias_i + query·v_i for every item, kept in a bounded heap. The item
 * matrix is one flat row-major array so the scan is sequential in memory; the loop allocates
 * nothing. Items whose {@code active} flag is false (no trained vector yet) are never returned.
 */
public final class BruteForceRetriever implements CandidateRetriever {
    private final float[] vectors;
    private final float[] bias;
    private final boolean[] active;
    private final int dim;
    private final int size;

    public BruteForceRetriever(float[] vectors, float[] bias, boolean[] active, int dim) {
        if (dim <= 0 || vectors.length % dim != 0) throw new IllegalArgumentException("vectors length not a multiple of dim " + dim);
        this.size = vectors.length / dim;
        if (bias.length != size || active.length != size) throw new IllegalArgumentException("bias/active length must equal item count " + size);
        this.vectors = vectors;
        this.bias = bias;
        this.active = active;
        this.dim = dim;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int topK(float[] query, int n, IntPredicate exclude, TopK scratch, int[] itemsOut, float[] scoresOut) {
        if (query.length < dim) throw new IllegalArgumentException("query has " + query.length + " dims, index has " + dim);
        scratch.reset(Math.min(n, size));
        final float[] v = vectors;
        final int d = dim;
        for (int i = 0, off = 0; i < size; i++, off += d) {
            if (!active[i]) continue;
            float s = bias[i];
            for (int f = 0; f < d; f++) s += query[f] * v[off + f];
            if (s >= scratch.threshold() && !exclude.test(i)) scratch.offer(i, s);
        }
        return scratch.drainSorted(itemsOut, scoresOut);
    }
}
