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
        this.size = CandidateRetriever.itemCount(vectors, bias, active, dim);
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
        // Four items per pass: four independent sums keep the FPU busy where one sum waits on the
        // latency of each addition (measured 2-3x faster, see docs/benchmarks.md). Each item's sum is
        // still bias first, then f = 0..d-1 in order, so the scores are bit-identical to one at a time.
        int i = 0, off = 0;
        for (; i + 4 <= size; i += 4, off += 4 * d) {
            float s0 = bias[i], s1 = bias[i + 1], s2 = bias[i + 2], s3 = bias[i + 3];
            final int o1 = off + d, o2 = off + 2 * d, o3 = off + 3 * d;
            for (int f = 0; f < d; f++) {
                float q = query[f];
                s0 += q * v[off + f];
                s1 += q * v[o1 + f];
                s2 += q * v[o2 + f];
                s3 += q * v[o3 + f];
            }
            consider(i, s0, exclude, scratch);
            consider(i + 1, s1, exclude, scratch);
            consider(i + 2, s2, exclude, scratch);
            consider(i + 3, s3, exclude, scratch);
        }
        for (; i < size; i++, off += d) {
            float s = bias[i];
            for (int f = 0; f < d; f++) s += query[f] * v[off + f];
            consider(i, s, exclude, scratch);
        }
        return scratch.drainSorted(itemsOut, scoresOut);
    }

    private void consider(int i, float s, IntPredicate exclude, TopK scratch) {
        if (active[i] && s >= scratch.threshold() && !exclude.test(i)) scratch.offer(i, s);
    }
}
