package io.streamrec.bench;

import io.streamrec.avro.UserVector;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.TopK;
import io.streamrec.model.ModelDirectory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Retrieval as a trained model's real users meet it, in thread CPU time: each user's batch retrieval vector from the
 * model directory's {@code users.avro}, with the movies they rated in training excluded (as the app excludes a user's
 * seen movies), against the same queries with nothing excluded. Seen movies are the ones a user's vector points at,
 * so they crowd the top of the scores: this is the case the generated models of {@link PerEventCpuTime} (random seen
 * movies) do not show. Median of 9 rounds over all users.
 * <pre>java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar io.streamrec.bench.SeenExclusionCpuTime MODEL_DIR [candidates]</pre>
 */
public final class SeenExclusionCpuTime {
    private static final int ROUNDS = 9, REPEATS = 5;

    private SeenExclusionCpuTime() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        RecommenderModel m = ModelDirectory.read(dir).model();
        CandidateRetriever retriever = CandidateRetriever.forModel(m);
        List<UserVector> users = ModelDirectory.readUserVectors(dir);
        if (users.isEmpty()) throw new IllegalArgumentException(dir + " has no users.avro");
        int count = users.size(), dim = m.dim();
        float[][] queries = new float[count][dim];
        BitSet[] seen = new BitSet[count];
        // made once, as the app's pipeline makes its one predicate: a method reference per query is an allocation
        IntPredicate[] excludeSeen = new IntPredicate[count];
        IntPredicate excludeNothing = i -> false;
        for (int u = 0; u < count; u++) {
            UserVector v = users.get(u);
            for (int f = 0; f < dim; f++) queries[u][f] = v.getRetrievalVector().get(f);
            seen[u] = new BitSet();
            for (int movieId : v.getSeenMovieIds()) {
                int item = m.items().indexOf(movieId);
                if (item >= 0) seen[u].set(item);
            }
            excludeSeen[u] = seen[u]::get;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int[] items = new int[n];
        float[] scores = new float[n];
        TopK heap = new TopK(n);
        double[] withSeen = new double[ROUNDS], without = new double[ROUNDS];
        long sink = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int rep = 0; rep < REPEATS; rep++) {
                for (int u = 0; u < count; u++) sink += retriever.topK(queries[u], n, excludeSeen[u], heap, items, scores) + items[0];
            }
            long t1 = threads.getCurrentThreadCpuTime();
            for (int rep = 0; rep < REPEATS; rep++) {
                for (int u = 0; u < count; u++) sink += retriever.topK(queries[u], n, excludeNothing, heap, items, scores) + items[0];
            }
            long t2 = threads.getCurrentThreadCpuTime();
            withSeen[r] = (t1 - t0) / 1e3 / (REPEATS * count);
            without[r] = (t2 - t1) / 1e3 / (REPEATS * count);
        }
        System.out.printf("%s: %,d movies, %d users (mean %.0f seen), top %d, %s%n", dir.getFileName(), m.itemCount(), count,
                Arrays.stream(seen).mapToInt(BitSet::cardinality).average().orElse(0), n, retriever.getClass().getSimpleName());
        System.out.printf("seen excluded: %.1f µs/query; nothing excluded: %.1f µs/query (median CPU of %d rounds; %d)%n",
                Median.of(withSeen), Median.of(without), ROUNDS, sink & 1);
    }
}
