package io.streamrec.tools.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.HnswRetriever;
import io.streamrec.core.retrieval.Int4ScreenRetriever;
import io.streamrec.core.retrieval.QuantizedScanRetriever;
import io.streamrec.core.retrieval.Retrievers;
import io.streamrec.core.retrieval.SimdScanRetriever;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.core.simd.FloatKernels;
import io.streamrec.model.GeneratedModel;
import io.streamrec.model.ModelDirectory;
import io.streamrec.model.ResampledModel;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code ./recsys bench --retrieval}: retrieval alone, no Kafka. Builds the HNSW index over the
 * catalogue, then for each query runs the exact SIMD scan (the ground truth and the exact
 * baseline's latency), the int8-bounded exact scan, the 4-bit screen at each over-fetch factor and the
 * index at each ef; reports recall@200 against the exact scan and
 * per-query wall-clock p50/p99 and mean thread CPU time (the CPU figure is what the other tenants
 * of a shared machine disturb least).
 *
 * <p>Vectors: generated ({@link GeneratedModel}: Gaussian vectors, popularity-shaped bias, the
 * load test's model) or the retrieval vectors of a trained model ({@code --model DIR}), resampled
 * to {@code --movies} items when that is larger than the trained catalogue (each extra item is a
 * random trained item plus Gaussian noise of a quarter of each dimension's spread) and labelled
 * so. A query is a user's vector made like the online learner makes it: the sum of the vectors of
 * 20 random items the user interacted with ({@link #history} sets how many).
 */
public final class RetrievalBench {
    static final int N = 200;
    /** The list length the app asks its retriever for: its default {@code recommend.candidates}. */
    static final int SERVED_N = RecommendationPipeline.DEFAULT_CANDIDATES;
    static final int HISTORY = 20;
    private int history = HISTORY;
    private final int movies;
    private final int dim;
    private final Path model;
    private final int queries;
    private final List<Integer> efs;
    private final int headlineEf;
    private final HnswRetriever.Settings settings;
    private final long seed;
    private final PrintStream log;
    private final boolean hnsw;
    private final List<Integer> overFetch;
    private final List<Float> probe;

    public RetrievalBench(int movies, int dim, Path model, int queries, List<Integer> efs, int headlineEf,
                          HnswRetriever.Settings settings, long seed, PrintStream log) {
        this(movies, dim, model, queries, efs, headlineEf, settings, seed, log, true, List.of(Int4ScreenRetriever.DEFAULT_OVER_FETCH),
                List.of(Retrievers.probeShareFor(movies)));
    }

    /**
     * @param hnsw whether to build and measure the HNSW index (at 1M items its build takes tens of minutes here)
     * @param overFetch the 4-bit screen's over-fetch factors to measure (the first is the headline without HNSW)
     * @param probe the shares of the items the screen probes in cells, each measured with each over-fetch factor (1:
     *              no cells, every block screened)
     */
    public RetrievalBench(int movies, int dim, Path model, int queries, List<Integer> efs, int headlineEf,
                          HnswRetriever.Settings settings, long seed, PrintStream log, boolean hnsw, List<Integer> overFetch,
                          List<Float> probe) {
        if (overFetch.isEmpty()) throw new IllegalArgumentException("at least one over-fetch factor");
        if (probe.isEmpty()) throw new IllegalArgumentException("at least one probe share");
        this.probe = probe;
        this.overFetch = overFetch;
        this.hnsw = hnsw;
        this.movies = movies;
        this.dim = dim;
        this.model = model;
        this.queries = queries;
        this.efs = efs;
        this.headlineEf = headlineEf;
        this.settings = settings;
        this.seed = seed;
        this.log = log;
    }

    /**
     * Each query the sum of this many random items' vectors (default {@value #HISTORY}); fewer make weaker queries,
     * like a new user's, whose lists the biases decide more.
     */
    public RetrievalBench history(int items) {
        if (items < 1) throw new IllegalArgumentException("history must be ≥ 1, got " + items);
        this.history = items;
        return this;
    }

    /** A 4-bit screen measured: its over-fetch factor, the share of the items it probes, its build time. */
    private record Screen(Int4ScreenRetriever retriever, int overFetch, float probe, double buildS) {}

    /** Item matrix, biases, flags and a label saying where they came from. */
    record Catalogue(float[] vectors, float[] bias, boolean[] active, int dim, String label) {
        int size() {
            return bias.length;
        }
    }

    Catalogue catalogue() {
        if (model == null) {
            RecommenderModel m = GeneratedModel.model(movies, dim, seed);
            return new Catalogue(m.retrievalVectors(), m.retrievalBiases(), m.trainedFlags(), dim,
                    "generated (GeneratedModel: Gaussian vectors sd 0.1, bias log-popularity)");
        }
        RecommenderModel m = ModelDirectory.read(model).model();
        int d = m.dim(), n = m.itemCount();
        int[] trained = m.trainedAtLoad();
        int t = trained.length;
        if (movies <= t) {
            return new Catalogue(m.retrievalVectors(), m.retrievalBiases(), m.trainedFlags(), d,
                    "trained: " + model + " (" + t + " trained of " + n + " items)");
        }
        float[] src = m.retrievalVectors();
        // ResampledModel's rule for the retrieval vectors alone: a 1M catalogue then needs no 1-GB rating matrix
        float[] sd = ResampledModel.spread(src, d, trained);
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[movies * d], b = new float[movies];
        boolean[] act = new boolean[movies];
        for (int i = 0; i < movies; i++) {
            int from = ResampledModel.sourceOf(i, trained, rnd);
            ResampledModel.copyWithNoise(src, from, d, v, i, sd, ResampledModel.noiseShare(i, trained), rnd);
            b[i] = m.retrievalBias(from);
            act[i] = true;
        }
        return new Catalogue(v, b, act, d, "trained " + model + ": " + t + " trained vectors resampled to " + movies
                + " items (+ Gaussian noise, " + ResampledModel.NOISE_SD_SHARE + " sd per dimension)");
    }

    public Map<String, Object> run() {
        Catalogue c = catalogue();
        int size = c.size(), d = c.dim();
        log.printf("retrieval bench: %,d items x %d dims, %s; SIMD %s (%d lanes)%n", size, d, c.label(),
                FloatKernels.SIMD ? "on" : "off", FloatKernels.LANES);
        SimdScanRetriever exact = new SimdScanRetriever(c.vectors(), c.bias(), c.active(), d);
        long t0 = System.nanoTime();
        QuantizedScanRetriever quantized = new QuantizedScanRetriever(c.vectors(), c.bias(), c.active(), d);
        double quantizedBuildS = (System.nanoTime() - t0) / 1e9;
        List<Screen> screens = new ArrayList<>();
        for (float share : probe) {
            for (int k : overFetch) {
                t0 = System.nanoTime();
                Int4ScreenRetriever screen = new Int4ScreenRetriever(c.vectors(), c.bias(), c.active(), d, k, share);
                screens.add(new Screen(screen, k, share, (System.nanoTime() - t0) / 1e9));
            }
        }
        t0 = System.nanoTime();
        HnswRetriever ann = hnsw ? new HnswRetriever(c.vectors().clone(), c.bias().clone(), c.active().clone(), d, settings) : null;
        double buildS = (System.nanoTime() - t0) / 1e9;
        if (hnsw) log.printf("HNSW built in %.1f s (M %d, beam %d, graph %s)%n", buildS, settings.maxConn(), settings.beamWidth(), settings.graph());

        float[][] qs = new float[queries][d];
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        for (float[] q : qs) {
            for (int h = 0; h < history; h++) {
                int item = rnd.nextInt(size);
                for (int f = 0; f < d; f++) q[f] += c.vectors()[item * d + f];
            }
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        TopK scratch = new TopK(N);
        int[] items = new int[N];
        float[] scores = new float[N];
        int[][] truth = new int[queries][], servedTruth = new int[queries][];
        // warm-up: JIT both paths on the first queries (not measured)
        for (int q = 0; q < Math.min(queries, 200); q++) {
            exact.topK(qs[q], N, i -> false, scratch, items, scores);
            quantized.topK(qs[q], N, i -> false, scratch, items, scores);
            for (Screen screen : screens) screen.retriever().topK(qs[q], N, i -> false, scratch, items, scores);
            if (hnsw) ann.topK(qs[q], N, i -> false, scratch, items, scores);
        }
        long[] wall = new long[queries];
        long cpu0 = cpu.getCurrentThreadCpuTime();
        for (int q = 0; q < queries; q++) {
            long a = System.nanoTime();
            int n = exact.topK(qs[q], N, i -> false, scratch, items, scores);
            wall[q] = System.nanoTime() - a;
            truth[q] = Arrays.copyOf(items, n);
            servedTruth[q] = Arrays.copyOf(items, Math.min(n, SERVED_N)); // the list is best first
            Arrays.sort(truth[q]);
            Arrays.sort(servedTruth[q]);
        }
        Map<String, Object> exactRow = timing(wall, (cpu.getCurrentThreadCpuTime() - cpu0) / (double) queries);
        log.printf("exact SIMD scan: p50 %.3f ms, p99 %.3f ms, CPU %.3f ms/query%n", exactRow.get("p50_ms"), exactRow.get("p99_ms"),
                exactRow.get("cpu_ms_mean"));

        // the int8-bounded exact scan: recall against the float scan (1 unless a float tie is ordered differently)
        Map<String, Object> quantizedRow = new LinkedHashMap<>(measure((q, it, sc) -> quantized.topK(q, N, i -> false, scratch, it, sc),
                qs, truth, wall, items, scores, cpu));
        quantizedRow.put("build_s", quantizedBuildS);
        log.printf("int8-bounded exact scan: recall@200 %.4f, p50 %.3f ms, p99 %.3f ms, CPU %.3f ms/query (built in %.1f s)%n",
                quantizedRow.get("recall_at_200"), quantizedRow.get("p50_ms"), quantizedRow.get("p99_ms"), quantizedRow.get("cpu_ms_mean"),
                quantizedBuildS);

        // the 4-bit screen: approximate, recall against the float scan
        List<Map<String, Object>> screenRows = new ArrayList<>();
        for (Screen measured : screens) {
            Int4ScreenRetriever screen = measured.retriever();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("over_fetch", measured.overFetch());
            row.put("probe_share", screen.probeShare());
            row.put("probe_share_calibrated", Float.isNaN(measured.probe()));
            if (!screen.calibration().isEmpty()) row.put("calibration", screen.calibration());
            // the share of blocks the kernel screened: the query's work, whatever else the machine is doing (read
            // as each measured query returns: a thread-local field, nothing against its milliseconds)
            long[] screened = {0};
            row.putAll(measure((q, it, sc) -> {
                int n = screen.topK(q, N, i -> false, scratch, it, sc);
                screened[0] += screen.lastScreenedBlocks();
                return n;
            }, qs, truth, wall, items, scores, cpu));
            row.put("build_s", measured.buildS());
            row.put("screened_block_share", screened[0] / ((double) qs.length * screen.blocks()));
            // the lists the app asks for (its candidates), from the same screen and probe shares
            Map<String, Object> served = measure((q, it, sc) -> screen.topK(q, SERVED_N, i -> false, scratch, it, sc), qs,
                    servedTruth, wall, items, scores, cpu, "recall");
            row.put("served_candidates", SERVED_N);
            row.put("recall_at_served_candidates", served.get("recall"));
            row.put("served_p50_ms", served.get("p50_ms"));
            row.put("served_p99_ms", served.get("p99_ms"));
            screenRows.add(row);
            log.printf("int4 screen, over-fetch %d, %s: recall@200 %.4f, p50 %.3f ms, p99 %.3f ms, CPU %.3f ms/query, %.1f%% of blocks"
                            + " screened (built in %.1f s)%n", measured.overFetch(),
                    screen.cells() == 0 ? "no cells" : screen.calibration().isEmpty() ? "cells probed to " + screen.probeShare() + " of the items"
                            : "cells probed to at most " + screen.probeShare() + " of the items (calibrated: " + screen.calibration() + ")",
                    row.get("recall_at_200"), row.get("p50_ms"), row.get("p99_ms"), row.get("cpu_ms_mean"),
                    100 * (double) row.get("screened_block_share"), measured.buildS());
            log.printf("  the same screen, lists of %d (the app's candidates): recall@%d %.4f, p50 %.3f ms, p99 %.3f ms%n", SERVED_N,
                    SERVED_N, row.get("recall_at_served_candidates"), row.get("served_p50_ms"), row.get("served_p99_ms"));
        }

        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> headline = null;
        for (int ef : hnsw ? efs : List.<Integer>of()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ef", ef);
            row.putAll(measure((q, it, sc) -> ann.topK(q, N, ef, i -> false, it, sc), qs, truth, wall, items, scores, cpu));
            rows.add(row);
            log.printf("HNSW ef %4d: recall@200 %.4f, p50 %.3f ms, p99 %.3f ms, CPU %.3f ms/query%n", ef, row.get("recall_at_200"),
                    row.get("p50_ms"), row.get("p99_ms"), row.get("cpu_ms_mean"));
            if (ef == headlineEf) headline = row;
        }
        if (headline == null && !rows.isEmpty()) headline = rows.get(rows.size() - 1);
        if (headline == null) headline = screenRows.get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("movies", size);
        out.put("dim", d);
        out.put("vectors", c.label());
        out.put("queries", queries);
        out.put("query_history", history);
        out.put("candidates", N);
        out.put("simd", FloatKernels.SIMD);
        out.put("index", hnsw ? Map.of("type", "lucene-hnsw", "M", settings.maxConn(), "beam_width", settings.beamWidth(),
                "graph", settings.graph().name(), "build_s", buildS)
                : Map.of("type", "int4-screen (--no-hnsw)", "over_fetch", screens.get(0).overFetch(), "probe_share",
                screens.get(0).retriever().probeShare(), "build_s", screens.get(0).buildS()));
        out.put("ef", headline.get("ef"));
        out.put("recall_at_200", headline.get("recall_at_200"));
        out.put("p50_ms", headline.get("p50_ms"));
        out.put("p99_ms", headline.get("p99_ms"));
        out.put("cpu_ms_mean", headline.get("cpu_ms_mean"));
        out.put("exact_scan", exactRow);
        out.put("int8_bounded_exact_scan", quantizedRow);
        out.put("int4_screen", screenRows);
        out.put("by_ef", rows);
        out.put("machine", BenchCommand.machine());
        if (ann != null) ann.close();
        return out;
    }

    /** One retriever's top-N for a query into {@code items}/{@code scores}; returns how many. */
    private interface Search {
        int topK(float[] query, int[] items, float[] scores);
    }

    /** {@link #measure(Search, float[][], int[][], long[], int[], float[], ThreadMXBean, String)} of lists of {@link #N}. */
    private static Map<String, Object> measure(Search search, float[][] qs, int[][] truth, long[] wall, int[] items,
                                               float[] scores, ThreadMXBean cpu) {
        return measure(search, qs, truth, wall, items, scores, cpu, "recall_at_200");
    }

    /**
     * Runs every query through {@code search}, timing each: recall against {@code truth} (sorted ids of the exact
     * scan's lists) under {@code recallKey}, and the timing columns, in that order.
     */
    private static Map<String, Object> measure(Search search, float[][] qs, int[][] truth, long[] wall, int[] items,
                                               float[] scores, ThreadMXBean cpu, String recallKey) {
        double recall = 0;
        long cpu0 = cpu.getCurrentThreadCpuTime();
        for (int q = 0; q < qs.length; q++) {
            long a = System.nanoTime();
            int n = search.topK(qs[q], items, scores);
            wall[q] = System.nanoTime() - a;
            int hits = 0;
            for (int r = 0; r < n; r++) if (Arrays.binarySearch(truth[q], items[r]) >= 0) hits++;
            recall += truth[q].length == 0 ? 1 : hits / (double) truth[q].length;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(recallKey, recall / qs.length);
        row.putAll(timing(wall, (cpu.getCurrentThreadCpuTime() - cpu0) / (double) qs.length));
        return row;
    }

    private static Map<String, Object> timing(long[] wallNanos, double cpuNanosMean) {
        long[] w = wallNanos.clone();
        Arrays.sort(w);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50_ms", w[w.length / 2] / 1e6);
        m.put("p99_ms", w[Math.min(w.length - 1, (int) Math.ceil(w.length * 0.99) - 1)] / 1e6);
        m.put("cpu_ms_mean", cpuNanosMean / 1e6);
        return m;
    }

    public static void writeJson(Map<String, Object> result, Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), result);
    }
}
