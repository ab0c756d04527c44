package io.streamrec.trainer.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamrec.avro.ItemVector;
import io.streamrec.avro.Movie;
import io.streamrec.avro.UserVector;
import io.streamrec.core.model.UserState;
import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.learn.SgdParams;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.trainer.train.TrainedModel;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model directory, the contract between the trainer and the streaming app:
 * <pre>
 *   manifest.json   version, dimensions, feature spec, online-learning settings, data digest, evaluation
 *   ranker.onnx     the ranking network (five named inputs, output "scores" [batch, 2])
 *   items.avro      Avro container of ItemVector: rating factor and bias, retrieval vector and bias, popularity
 *   movies.avro     Avro container of Movie: the catalogue the features were computed from
 *   users.csv       batch user factors (userId, ratingBias, rating vector, retrieval vector), for analysis
 *   users.avro      Avro container of UserVector: the state each user the model knows starts from in the app
 *                   (vectors, counts, movies seen in training), what {@code publish-users} sends to {@code user-vectors}
 *   vectors.tsv, metadata.tsv   TensorBoard Projector files of the retrieval embeddings
 * </pre>
 */
public final class ModelFiles {
    public static final String MANIFEST = "manifest.json";
    public static final String RANKER = "ranker.onnx";
    public static final String ITEMS = "items.avro";
    public static final String MOVIES = "movies.avro";
    public static final String USERS = "users.csv";
    public static final String USER_VECTORS = "users.avro";
    public static final String EVALUATION = "evaluation.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {}

    /** A model read back from a directory: the serving model, the ONNX bytes and the manifest. */
    public record Loaded(RecommenderModel model, byte[] onnx, float rankerWeight, Map<String, Object> manifest) {}

    public static void write(TrainedModel tm, Path dir, Map<String, Object> extraManifest) {
        try {
            Files.createDirectories(dir);
            RecommenderModel m = tm.model();
            Map<String, String> onnxMeta = new LinkedHashMap<>();
            onnxMeta.put("model_version", m.version());
            onnxMeta.put("dim", Integer.toString(m.dim()));
            onnxMeta.put("feature_order", String.join(",", m.featureSpec().inputNames()));
            onnxMeta.put("outputs", "relevance_correction,rating_correction");
            OnnxExporter.write(tm.ranker(), onnxMeta, dir.resolve(RANKER));
            writeItems(m, dir.resolve(ITEMS));
            writeMovies(m, dir.resolve(MOVIES));
            writeUsers(tm, dir.resolve(USERS));
            writeUserVectors(tm, dir.resolve(USER_VECTORS));
            writeProjector(m, dir);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("version", m.version());
            manifest.put("createdAt", java.time.Instant.now().toString());
            manifest.put("dim", m.dim());
            manifest.put("ratingDim", m.ratingDim());
            manifest.put("globalMean", m.globalMean());
            manifest.put("items", m.itemCount());
            manifest.put("trainedItems", countTrained(m));
            manifest.put("users", tm.index().userCount());
            manifest.put("rankerWeight", tm.rankerWeight());
            manifest.put("rankerLayers", tm.ranker().mlp().sizes());
            manifest.put("featureSpec", Map.of(
                    "inputs", List.of("user", "item", "item_features", "user_features", "pair_features"),
                    "itemFeatures", FeatureSpec.ITEM_FEATURES, "userFeatures", FeatureSpec.USER_FEATURES,
                    "pairFeatures", FeatureSpec.PAIR_FEATURES, "networkInput", m.featureSpec().inputNames()));
            manifest.put("online", onlineToMap(m.online()));
            manifest.put("choices", tm.choices());
            manifest.put("evaluation", Map.of("status", "not run",
                    "how", "./recsys train runs the evaluation protocols after writing the model unless --no-evaluate is given"));
            manifest.putAll(extraManifest);
            JSON.writeValue(dir.resolve(MANIFEST).toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + dir, e);
        }
    }

    /**
     * Stores an evaluation report beside a written model: as {@value #EVALUATION} and under
     * "evaluation" in the manifest (which until then says the evaluation was not run).
     */
    public static void writeEvaluation(Path dir, Map<String, Object> report) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> manifest = JSON.readValue(dir.resolve(MANIFEST).toFile(), LinkedHashMap.class);
            manifest.put("evaluation", report);
            JSON.writeValue(dir.resolve(MANIFEST).toFile(), manifest);
            JSON.writeValue(dir.resolve(EVALUATION).toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evaluation into " + dir, e);
        }
    }

    public static Loaded read(Path dir) {
        for (String f : List.of(MANIFEST, RANKER, ITEMS, MOVIES)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException("model directory " + dir + " has no " + f + " (train one with: ./recsys train --out " + dir + ")");
            }
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> manifest = JSON.readValue(dir.resolve(MANIFEST).toFile(), Map.class);
            int dim = ((Number) manifest.get("dim")).intValue();
            // models written before the rating dimension was separate have one dimension for both
            int ratingDim = ((Number) manifest.getOrDefault("ratingDim", dim)).intValue();
            String version = (String) manifest.get("version");
            Map<Integer, MovieMeta> movies = new LinkedHashMap<>();
            try (DataFileReader<Movie> r = new DataFileReader<>(dir.resolve(MOVIES).toFile(), new SpecificDatumReader<>(Movie.class))) {
                for (Movie mv : r) movies.put(mv.getMovieId(), new MovieMeta(mv.getMovieId(), mv.getTitle(), mv.getGenres(), mv.getYear() == null ? 0 : mv.getYear()));
            }
            List<ItemVector> vectors = new ArrayList<>();
            try (DataFileReader<ItemVector> r = new DataFileReader<>(dir.resolve(ITEMS).toFile(), new SpecificDatumReader<>(ItemVector.class))) {
                for (ItemVector v : r) vectors.add(v);
            }
            int[] ids = new int[movies.size() + vectors.size()];
            int k = 0;
            for (int id : movies.keySet()) ids[k++] = id;
            for (ItemVector v : vectors) ids[k++] = v.getMovieId();
            ItemIndex index = ItemIndex.of(ids);
            int n = index.size();
            float[] q = new float[n * ratingDim], bi = new float[n], v = new float[n * dim], c = new float[n];
            boolean[] trained = new boolean[n];
            long[] pop = new long[n];
            MovieMeta[] meta = new MovieMeta[n];
            for (int i = 0; i < n; i++) {
                int id = index.movieId(i);
                meta[i] = movies.getOrDefault(id, new MovieMeta(id, "movie " + id, List.of(), 0));
            }
            for (ItemVector iv : vectors) {
                int i = index.indexOf(iv.getMovieId());
                if (iv.getVector().size() != ratingDim || iv.getRetrievalVector().size() != dim) {
                    throw new IllegalArgumentException(ITEMS + ": movie " + iv.getMovieId() + " has vectors of length "
                            + iv.getVector().size() + "/" + iv.getRetrievalVector().size() + ", manifest ratingDim/dim is "
                            + ratingDim + "/" + dim);
                }
                for (int f = 0; f < ratingDim; f++) q[i * ratingDim + f] = iv.getVector().get(f);
                for (int f = 0; f < dim; f++) v[i * dim + f] = iv.getRetrievalVector().get(f);
                bi[i] = iv.getBias();
                c[i] = iv.getRetrievalBias();
                pop[i] = iv.getPopularity();
                trained[i] = true;
            }
            @SuppressWarnings("unchecked")
            OnlineConfig online = onlineFromMap((Map<String, Object>) manifest.get("online"));
            float mu = ((Number) manifest.get("globalMean")).floatValue();
            float weight = ((Number) manifest.getOrDefault("rankerWeight", 1.0)).floatValue();
            RecommenderModel model = new RecommenderModel(version, dim, ratingDim, mu, index, meta, q, bi, v, c, trained, pop, online);
            return new Loaded(model, Files.readAllBytes(dir.resolve(RANKER)), weight, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model from " + dir, e);
        }
    }

    private static int countTrained(RecommenderModel m) {
        int n = 0;
        for (int i = 0; i < m.itemCount(); i++) if (m.trained(i)) n++;
        return n;
    }

    private static void writeItems(RecommenderModel m, Path file) throws IOException {
        int d = m.dim(), rd = m.ratingDim();
        try (DataFileWriter<ItemVector> w = new DataFileWriter<>(new SpecificDatumWriter<>(ItemVector.class))) {
            w.create(ItemVector.getClassSchema(), file.toFile());
            for (int i = 0; i < m.itemCount(); i++) {
                if (!m.trained(i)) continue;
                w.append(ItemVector.newBuilder().setMovieId(m.items().movieId(i))
                        .setVector(slice(m.ratingVectors(), i * rd, rd)).setBias(m.ratingBias(i))
                        .setRetrievalVector(slice(m.retrievalVectors(), i * d, d)).setRetrievalBias(m.retrievalBias(i))
                        .setPopularity(m.popularity(i)).setModelVersion(m.version()).build());
            }
        }
    }

    private static void writeMovies(RecommenderModel m, Path file) throws IOException {
        try (DataFileWriter<Movie> w = new DataFileWriter<>(new SpecificDatumWriter<>(Movie.class))) {
            w.create(Movie.getClassSchema(), file.toFile());
            for (int i = 0; i < m.itemCount(); i++) {
                MovieMeta mm = m.movie(i);
                w.append(Movie.newBuilder().setMovieId(mm.movieId()).setTitle(mm.title()).setGenres(mm.genres())
                        .setYear(mm.yearKnown() ? mm.year() : null).build());
            }
        }
    }

    private static void writeUsers(TrainedModel tm, Path file) throws IOException {
        int d = tm.model().dim(), rd = tm.model().ratingDim();
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            StringBuilder head = new StringBuilder("userId,ratingBias");
            for (int f = 0; f < rd; f++) head.append(",p").append(f);
            for (int f = 0; f < d; f++) head.append(",u").append(f);
            w.write(head.append('\n').toString());
            for (int u = 0; u < tm.index().userCount(); u++) {
                StringBuilder line = new StringBuilder().append(tm.index().userId(u)).append(',').append(tm.mf().userBias()[u]);
                for (int f = 0; f < rd; f++) line.append(',').append(tm.mf().p()[u * rd + f]);
                for (int f = 0; f < d; f++) line.append(',').append(tm.bpr().u()[u * d + f]);
                w.write(line.append('\n').toString());
            }
        }
    }

    private static void writeUserVectors(TrainedModel tm, Path file) throws IOException {
        try (DataFileWriter<UserVector> w = new DataFileWriter<>(new SpecificDatumWriter<>(UserVector.class))) {
            w.create(UserVector.getClassSchema(), file.toFile());
            for (int userId : tm.warmStarts().knownUserIds()) w.append(userVector(userId, tm.warmStarts().apply(userId), tm.model().version()));
        }
    }

    /** The published form of a user's starting state. */
    public static UserVector userVector(long userId, UserState s, String modelVersion) {
        List<Integer> seen = new ArrayList<>(s.seenSize());
        for (int k = 0; k < s.seenSize(); k++) seen.add(s.seen(k));
        return UserVector.newBuilder().setUserId(userId).setModelVersion(modelVersion)
                .setRatingVector(slice(s.ratingVector(), 0, s.ratingDim())).setRatingBias(s.ratingBias())
                .setRetrievalVector(slice(s.retrievalVector(), 0, s.retrievalDim())).setEventCount(s.eventCount())
                .setRatingCount(s.ratingCount()).setRatingSum(s.ratingSum()).setLastEventTime(s.lastEventTime())
                .setSeenMovieIds(seen).build();
    }

    /** The state a published user vector starts the user from, shaped for {@code model} (seen ring of its capacity). */
    public static UserState userState(UserVector v, RecommenderModel model) {
        float[] p = new float[v.getRatingVector().size()], u = new float[v.getRetrievalVector().size()];
        for (int f = 0; f < p.length; f++) p[f] = v.getRatingVector().get(f);
        for (int f = 0; f < u.length; f++) u[f] = v.getRetrievalVector().get(f);
        int[] seen = v.getSeenMovieIds().stream().mapToInt(Integer::intValue).toArray();
        return UserState.restore(p, v.getRatingBias(), u, v.getEventCount(), v.getRatingCount(), v.getRatingSum(),
                v.getLastEventTime(), seen, model.online().seenCapacity()).fittedTo(model);
    }

    /** Reads the user vectors of a model directory (none for models written before they existed). */
    public static List<UserVector> readUserVectors(Path dir) {
        Path file = dir.resolve(USER_VECTORS);
        List<UserVector> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) return out;
        try (DataFileReader<UserVector> r = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(UserVector.class))) {
            for (UserVector v : r) out.add(v);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /** TensorBoard Projector: one row per trained movie, tab-separated, metadata with a header. */
    private static void writeProjector(RecommenderModel m, Path dir) throws IOException {
        int d = m.dim();
        try (BufferedWriter vec = Files.newBufferedWriter(dir.resolve("vectors.tsv"));
             BufferedWriter meta = Files.newBufferedWriter(dir.resolve("metadata.tsv"))) {
            meta.write("movieId\ttitle\tgenres\tyear\tpopularity\n");
            for (int i = 0; i < m.itemCount(); i++) {
                if (!m.trained(i)) continue;
                StringBuilder row = new StringBuilder();
                for (int f = 0; f < d; f++) row.append(f == 0 ? "" : "\t").append(m.retrievalVectors()[i * d + f]);
                vec.write(row.append('\n').toString());
                MovieMeta mm = m.movie(i);
                meta.write(mm.movieId() + "\t" + mm.title().replace('\t', ' ') + "\t" + String.join("|", mm.genres()) + "\t"
                        + (mm.yearKnown() ? mm.year() : "") + "\t" + m.popularity(i) + "\n");
            }
        }
    }

    private static List<Float> slice(float[] a, int off, int len) {
        List<Float> out = new ArrayList<>(len);
        for (int i = 0; i < len; i++) out.add(a[off + i]);
        return out;
    }

    private static Map<String, Object> onlineToMap(OnlineConfig o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rating", sgd(o.rating()));
        m.put("retrieval", sgd(o.retrieval()));
        m.put("negatives", o.negatives());
        m.put("seenCapacity", o.seenCapacity());
        m.put("minWatchWeight", o.minWatchWeight());
        m.put("itemRating", sgd(o.itemRating()));
        m.put("itemRetrieval", sgd(o.itemRetrieval()));
        return m;
    }

    private static Map<String, Object> sgd(SgdParams s) {
        return Map.of("learningRate", s.learningRate(), "factorReg", s.factorReg(), "biasReg", s.biasReg());
    }

    @SuppressWarnings("unchecked")
    private static OnlineConfig onlineFromMap(Map<String, Object> m) {
        if (m == null) return OnlineConfig.defaults();
        // models written before items learned online have no item-side steps: the defaults
        Object itemRating = m.get("itemRating"), itemRetrieval = m.get("itemRetrieval");
        return new OnlineConfig(sgd((Map<String, Object>) m.get("rating")), sgd((Map<String, Object>) m.get("retrieval")),
                ((Number) m.get("negatives")).intValue(), ((Number) m.get("seenCapacity")).intValue(),
                ((Number) m.get("minWatchWeight")).floatValue(),
                itemRating == null ? OnlineConfig.DEFAULT_ITEM_RATING : sgd((Map<String, Object>) itemRating),
                itemRetrieval == null ? OnlineConfig.DEFAULT_ITEM_RETRIEVAL : sgd((Map<String, Object>) itemRetrieval));
    }

    private static SgdParams sgd(Map<String, Object> m) {
        return new SgdParams(((Number) m.get("learningRate")).floatValue(), ((Number) m.get("factorReg")).floatValue(),
                ((Number) m.get("biasReg")).floatValue());
    }
}
