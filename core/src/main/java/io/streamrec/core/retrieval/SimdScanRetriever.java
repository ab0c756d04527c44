package io.streamrec.core.retrieval;

import io.streamrec.core.simd.FloatKernels;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Exact retrieval like {@link BruteForceRetriever} (score = bias_i + query·v_i over every item) on
 * the JDK Vector API. It keeps its own copy of the item matrix in blocks of
 * {@link FloatKernels#LANES} items laid out dimension-major, so one FMA scores dimension f of 16
 * items (AVX-512) at once and no horizontal sum is needed: about 4× less CPU than the scalar
 * four-items-per-pass loop (see docs/benchmarks.md). The copy costs the matrix's size again,
 * which is why this is the retriever for small and medium catalogues
 * ({@link Retrievers#forCatalogue}).
 *
 * <p>Scores differ from the scalar scan's by rounding only (fused multiply-add, two partial sums),
 * so results are equal up to float ties. Without {@code --add-modules jdk.incubator.vector} the
 * same layout is scored by a scalar loop. Queries from any number of threads; {@link #update}
 * from one writer (a query racing it may see that one item half-written).
 */
public final class SimdScanRetriever implements UpdatableRetriever {
    private static final int L = FloatKernels.LANES;
    private final float[] transposed;
    private final float[] paddedBias;
    private final boolean[] active;
    private final int dim;
    private final int size;
    private final int blocks;
    private final ThreadLocal<float[]> blockScores = ThreadLocal.withInitial(() -> new float[L]);
    private final ThreadLocal<TopSelect> selects = ThreadLocal.withInitial(TopSelect::new);
    /** n·SELECT_SHARE ≥ catalogue size: select once instead of keeping a heap (see {@link TopSelect}). */
    public static final int SELECT_SHARE = 16;
    private final int selectShare;

    /** Copies the vectors and biases; {@code active} is copied too (later changes come through {@link #update}). */
    public SimdScanRetriever(float[] vectors, float[] bias, boolean[] active, int dim) {
        this(vectors, bias, active, dim, SELECT_SHARE);
    }

    /** @param selectShare select instead of a heap when n·selectShare ≥ size (0: always the heap; for A/B measurements) */
    public SimdScanRetriever(float[] vectors, float[] bias, boolean[] active, int dim, int selectShare) {
        this.selectShare = selectShare;
        this.size = CandidateRetriever.itemCount(vectors, bias, active, dim);
        this.dim = dim;
        this.blocks = (size + L - 1) / L;
        this.transposed = FloatKernels.transpose(vectors, size, dim);
        this.paddedBias = Arrays.copyOf(bias, blocks * L);
        this.active = active.clone();
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
        if ((long) n * selectShare >= size) return topKBySelection(query, n, exclude, itemsOut, scoresOut);
        scratch.reset(Math.min(n, size));
        float[] s = blockScores.get();
        float threshold = scratch.threshold();
        for (int b = 0; b < blocks; b++) {
            FloatKernels.transposedBlockScores(query, transposed, paddedBias, b, dim, s);
            int base = b * L, end = Math.min(L, size - base);
            for (int lane = 0; lane < end; lane++) {
                float score = s[lane];
                int i = base + lane;
                if (score >= threshold && active[i] && !exclude.test(i)) {
                    scratch.offer(i, score);
                    threshold = scratch.threshold();
                }
            }
        }
        return scratch.drainSorted(itemsOut, scoresOut);
    }

    private int topKBySelection(float[] query, int n, IntPredicate exclude, int[] itemsOut, float[] scoresOut) {
        float[] s = blockScores.get();
        TopSelect select = selects.get();
        select.reset(size);
        for (int b = 0; b < blocks; b++) {
            FloatKernels.transposedBlockScores(query, transposed, paddedBias, b, dim, s);
            int base = b * L, end = Math.min(L, size - base);
            for (int lane = 0; lane < end; lane++) {
                int i = base + lane;
                if (active[i] && !exclude.test(i)) select.add(i, s[lane]);
            }
        }
        return select.drainBest(n, itemsOut, scoresOut);
    }

    @Override
    public void update(int item, float[] vector, int offset, float bias) {
        if (item < 0 || item >= size) throw new IllegalArgumentException("item " + item + " outside 0.." + (size - 1));
        FloatKernels.setTransposedRow(transposed, dim, item, vector, offset);
        paddedBias[item] = bias;
        active[item] = true;
    }
}
