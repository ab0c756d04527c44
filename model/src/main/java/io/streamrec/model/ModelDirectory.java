package io.streamrec.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamrec.avro.ItemVector;
import io.streamrec.avro.Movie;
import io.streamrec.avro.UserVector;
import io.streamrec.core.coldstart.MovieFeatureMap;
import io.streamrec.core.coldstart.MovieFeatures;
import io.streamrec.core.model.UserState;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.model.onnx.OnnxExporter;
import io.streamrec.schemas.GeneratedDatumReader;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model directory, the contract between the trainer and the streaming app:
 * <pre>
 *   manifest.json   {@link Manifest}: format and model version, dimensions, feature spec, online-learning settings, data, evaluation
 *   ranker.onnx     the ranking network (five named inputs, output "scores" [batch, 2])
 *   items.avro      Avro container of ItemVector: rating factor and bias, retrieval vector and bias, popularity
 *   movies.avro     Avro container of Movie: the catalogue the features were computed from
 *   users.csv       batch user factors (userId, ratingBias, rating vector, retrieval vector)
 *   users.avro      Avro container of UserVector: the state each user the model knows starts from in the app
 *                   (vectors, counts, movies seen in training), what {@code publish-users} sends to {@code user-vectors}
 *   movie-feature-map.json   the cold-start map ({@link MovieFeatureMap}): ridge weights from catalogue features
 *                   (genres, year) to a movie's rating and retrieval vectors and biases, named in the manifest's
 *                   {@code movieFeatureMap}; absent in directories written without one ({@link #readFeatureMap})
 *   vectors.tsv, metadata.tsv   TensorBoard Projector files of the retrieval embeddings
 * </pre>
 * The trainer writes it ({@link #write}), the app and the tools read it ({@link #read}); tests and the load test create
 * models through it too ({@link GeneratedModel}).
 */
public final class ModelDirectory {
    public static final String MANIFEST = "manifest.json";
    public static final String RANKER = "ranker.onnx";
    public static final String ITEMS = "items.avro";
    public static final String MOVIES = "movies.avro";
    public static final String USERS = "users.csv";
    public static final String USER_VECTORS = "users.avro";
    public static final String EVALUATION = "evaluation.json";
    public static final String FEATURE_MAP = "movie-feature-map.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ModelDirectory() {}

    /**
     * A model read back from a directory: the serving model, the ONNX bytes, the manifest, and the cold-start feature
     * map when the directory has one ({@link #readFeatureMap}).
     */
    public record Loaded(RecommenderModel model, byte[] onnx, float rankerWeight, Manifest manifest,
                         Optional<MovieFeatureMap> featureMap) {
        public Loaded {
            java.util.Objects.requireNonNull(featureMap, "featureMap");
        }

        /** A model without a feature map. */
        public Loaded(RecommenderModel model, byte[] onnx, float rankerWeight, Manifest manifest) {
            this(model, onnx, rankerWeight, manifest, Optional.empty());
        }
    }

    /** Writes every file of the directory (creating it); an existing model there is overwritten. */
    public static void write(Path dir, ModelContents contents) {
        try {
            Files.createDirectories(dir);
            RecommenderModel m = contents.model();
            Map<String, String> onnxMeta = new LinkedHashMap<>();
            onnxMeta.put("model_version", m.version());
            onnxMeta.put("dim", Integer.toString(m.dim()));
            onnxMeta.put("feature_order", String.join(",", m.featureSpec().inputNames()));
            onnxMeta.put("outputs", "relevance_correction,rating_correction");
            OnnxExporter.write(contents.ranker(), onnxMeta, dir.resolve(RANKER));
            writeItems(m, dir.resolve(ITEMS));
            writeMovies(m, dir.resolve(MOVIES));
            writeUsers(contents.users(), m, dir.resolve(USERS));
            if (contents.users().history() != null) writeUserVectors(contents.users(), m, dir.resolve(USER_VECTORS));
            writeProjector(m, dir);
            MovieFeatureMap map = contents.featureMap();
            if (map != null) {
                JSON.writeValue(dir.resolve(FEATURE_MAP).toFile(), new FeatureMapFile(MovieFeatures.NAMES, map.ratingDim(),
                        map.dim(), map.fittedOn(), map.weights(), map.retrievalBiasOffset(), map.mappedUserStep()));
            } else {
                Files.deleteIfExists(dir.resolve(FEATURE_MAP));
            }
            Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, m.version(), Instant.now().toString(), m.dim(),
                    m.ratingDim(), m.globalMean(), m.itemCount(), countTrained(m), contents.users().count(),
                    contents.rankerWeight(), contents.ranker().mlp().sizes(), Manifest.Features.of(m.featureSpec()),
                    m.online(), contents.choices(), contents.data(), Manifest.NOT_EVALUATED, map == null ? null : FEATURE_MAP);
            JSON.writeValue(dir.resolve(MANIFEST).toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + dir, e);
        }
    }

    /** The manifest of a model directory, alone. */
    public static Manifest manifest(Path dir) {
        try {
            return JSON.readValue(dir.resolve(MANIFEST).toFile(), Manifest.class);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            // Top-level extras are ignored (people's notes); an unknown setting inside a typed part (e.g. a new online
            // step) is refused: serving without it would not be the model the trainer evaluated.
            throw new IllegalArgumentException(dir.resolve(MANIFEST) + ": field '" + fieldPath(e) + "' is not known to this"
                    + " build (the model was written by a newer trainer): upgrade streamrec or retrain with this version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(MANIFEST), e);
        }
    }

    private static String fieldPath(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() == null) continue;
            if (!b.isEmpty()) b.append('.');
            b.append(r.getFieldName());
        }
        return b.toString();
    }

    /**
     * Stores an evaluation report beside a written model: as {@value #EVALUATION} and under
     * "evaluation" in the manifest (which until then says the evaluation was not run).
     */
    public static void writeEvaluation(Path dir, Map<String, Object> report) {
        try {
            JSON.writeValue(dir.resolve(MANIFEST).toFile(), manifest(dir).withEvaluation(report));
            JSON.writeValue(dir.resolve(EVALUATION).toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evaluation into " + dir, e);
        }
    }

    public static Loaded read(Path dir) {
        return read(dir, 0);
    }

    /**
     * Reads the model with {@code headroom} free item slots after its catalogue ({@link ItemIndex#of(int[], int)}):
     * room for movies the model does not know, given vectors by its feature map while it is served.
     */
    public static Loaded read(Path dir, int headroom) {
        for (String f : List.of(MANIFEST, RANKER, ITEMS, MOVIES)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException("model directory " + dir + " has no " + f + " (train one with: ./recsys train --out " + dir + ")");
            }
        }
        try {
            Manifest manifest = manifest(dir);
            int dim = manifest.dim(), ratingDim = manifest.ratingDim();
            String version = manifest.version();
            Map<Integer, MovieMeta> movies = new LinkedHashMap<>();
            try (DataFileReader<Movie> r = new DataFileReader<>(dir.resolve(MOVIES).toFile(), new GeneratedDatumReader<>(Movie.class))) {
                for (Movie mv : r) movies.put(mv.getMovieId(), new MovieMeta(mv.getMovieId(), mv.getTitle(), mv.getGenres(), mv.getYear() == null ? 0 : mv.getYear()));
            }
            List<ItemVector> vectors = new ArrayList<>();
            try (DataFileReader<ItemVector> r = new DataFileReader<>(dir.resolve(ITEMS).toFile(), new GeneratedDatumReader<>(ItemVector.class))) {
                for (ItemVector v : r) vectors.add(v);
            }
            int[] ids = new int[movies.size() + vectors.size()];
            int k = 0;
            for (int id : movies.keySet()) ids[k++] = id;
            for (ItemVector v : vectors) ids[k++] = v.getMovieId();
            ItemIndex index = ItemIndex.of(ids, headroom);
            int n = index.size();
            float[] q = new float[n * ratingDim], bi = new float[n], v = new float[n * dim], c = new float[n];
            boolean[] trained = new boolean[n];
            long[] pop = new long[n];
            MovieMeta[] meta = new MovieMeta[n];
            for (int i = 0; i < n; i++) {
                int id = index.movieId(i);
                meta[i] = i >= index.loaded() ? RecommenderModel.FREE_SLOT
                        : movies.getOrDefault(id, new MovieMeta(id, "movie " + id, List.of(), 0));
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
            RecommenderModel model = new RecommenderModel(version, dim, ratingDim, manifest.globalMean(), index, meta, q, bi,
                    v, c, trained, pop, manifest.online());
            Optional<MovieFeatureMap> map = readFeatureMap(dir);
            if (map.isPresent() && (map.get().ratingDim() != ratingDim || map.get().dim() != dim)) {
                throw new IllegalArgumentException(FEATURE_MAP + " is for ratingDim/dim " + map.get().ratingDim() + "/"
                        + map.get().dim() + ", manifest says " + ratingDim + "/" + dim);
            }
            if (map.isPresent()) model = model.withMappedUserStep(map.get().mappedUserStep());
            return new Loaded(model, Files.readAllBytes(dir.resolve(RANKER)), manifest.rankerWeight(), manifest, map);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model from " + dir, e);
        }
    }

    /**
     * {@value #FEATURE_MAP} as stored: the feature names it was fitted on, the output dimensions, the weights, and the
     * offset on the predicted retrieval bias and the user-step factor on mapped movies, both chosen on validation
     * (absent in older files: 0 and 1).
     */
    record FeatureMapFile(List<String> features, int ratingDim, int dim, int fittedOn, float[] weights,
                          float retrievalBiasOffset, Float mappedUserStep) {}

    /**
     * The cold-start feature map of a model directory, or empty when its manifest names none (directories written
     * before the map existed, models written without one).
     */
    public static Optional<MovieFeatureMap> readFeatureMap(Path dir) {
        String name = manifest(dir).movieFeatureMap();
        if (name == null) return Optional.empty();
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model directory " + dir + ": the manifest names " + name + " but there is no such file");
        }
        try {
            FeatureMapFile f = JSON.readValue(file.toFile(), FeatureMapFile.class);
            if (!MovieFeatures.NAMES.equals(f.features())) {
                throw new IllegalArgumentException(file + " was fitted on features " + f.features() + "; this build encodes "
                        + MovieFeatures.NAMES);
            }
            return Optional.of(new MovieFeatureMap(f.ratingDim(), f.dim(), f.weights(), f.fittedOn(), f.retrievalBiasOffset(),
                    f.mappedUserStep() == null ? 1f : f.mappedUserStep()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
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
                if (m.items().movieId(i) < 0) continue; // a free slot
                MovieMeta mm = m.movie(i);
                w.append(Movie.newBuilder().setMovieId(mm.movieId()).setTitle(mm.title()).setGenres(mm.genres())
                        .setYear(mm.yearKnown() ? mm.year() : null).build());
            }
        }
    }

    /** users.avro: one UserVector per user with at least one training event. */
    private static void writeUserVectors(UserVectors users, RecommenderModel m, Path file) throws IOException {
        int d = m.dim(), rd = m.ratingDim();
        UserVectors.History h = users.history();
        try (DataFileWriter<UserVector> w = new DataFileWriter<>(new SpecificDatumWriter<>(UserVector.class))) {
            w.create(UserVector.getClassSchema(), file.toFile());
            for (int u = 0; u < users.count(); u++) {
                if (h.events()[u] == 0) continue;
                List<Integer> seen = new ArrayList<>(h.seenOldestFirst()[u].length);
                for (int id : h.seenOldestFirst()[u]) seen.add(id);
                List<Float> ratings = new ArrayList<>(seen.size());
                if (h.seenRatings() != null) for (float r : h.seenRatings()[u]) ratings.add(r);
                w.append(UserVector.newBuilder().setUserId(users.userIds()[u]).setModelVersion(m.version())
                        .setRatingVector(slice(users.ratingVectors(), u * rd, rd)).setRatingBias(users.ratingBias()[u])
                        .setRetrievalVector(slice(users.retrievalVectors(), u * d, d)).setEventCount(h.events()[u])
                        .setRatingCount(h.ratings()[u]).setRatingSum(h.ratingSum()[u]).setLastEventTime(h.lastEventTime()[u])
                        .setSeenMovieIds(seen).setSeenRatings(ratings).build());
            }
        }
    }

    /** The user vectors of a model directory (none for a model written without them). */
    public static List<UserVector> readUserVectors(Path dir) {
        Path file = dir.resolve(USER_VECTORS);
        List<UserVector> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) return out;
        try (DataFileReader<UserVector> r = new DataFileReader<>(file.toFile(), new GeneratedDatumReader<>(UserVector.class))) {
            for (UserVector v : r) out.add(v);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /**
     * The newest {@code capacity} of a published vector's training movies with their ratings (NaN for a watch), as a
     * user state's history (oldest first): what {@link UserState#restoreHistory} takes. Empty when the vector carries
     * no ratings (written before {@code seenRatings} existed, or by a publisher that does not send them).
     */
    public static void restoreHistory(UserVector v, UserState state, int capacity) {
        List<Integer> seen = v.getSeenMovieIds();
        List<Float> ratings = v.getSeenRatings();
        if (ratings == null || ratings.size() != seen.size() || capacity <= 0) return;
        int n = Math.min(capacity, seen.size()), from = seen.size() - n;
        int[] movies = new int[n];
        float[] r = new float[n], completions = new float[n];
        for (int k = 0; k < n; k++) {
            movies[k] = seen.get(from + k);
            r[k] = ratings.get(from + k);
            completions[k] = Float.NaN;
        }
        state.restoreHistory(movies, r, completions);
    }

    /** The state a published user vector starts the user from, shaped for {@code model} (its seen-ring capacity). */
    public static UserState userState(UserVector v, RecommenderModel model) {
        float[] p = new float[v.getRatingVector().size()], u = new float[v.getRetrievalVector().size()];
        for (int f = 0; f < p.length; f++) p[f] = v.getRatingVector().get(f);
        for (int f = 0; f < u.length; f++) u[f] = v.getRetrievalVector().get(f);
        int[] seen = v.getSeenMovieIds().stream().mapToInt(Integer::intValue).toArray();
        UserState s = UserState.restore(p, v.getRatingBias(), u, v.getEventCount(), v.getRatingCount(), v.getRatingSum(),
                v.getLastEventTime(), seen, model.online().seenCapacity()).fittedTo(model);
        s.modelVersion(v.getModelVersion());
        return s;
    }

    private static void writeUsers(UserVectors users, RecommenderModel m, Path file) throws IOException {
        int d = m.dim(), rd = m.ratingDim();
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            StringBuilder head = new StringBuilder("userId,ratingBias");
            for (int f = 0; f < rd; f++) head.append(",p").append(f);
            for (int f = 0; f < d; f++) head.append(",u").append(f);
            w.write(head.append('\n').toString());
            for (int u = 0; u < users.count(); u++) {
                StringBuilder line = new StringBuilder().append(users.userIds()[u]).append(',').append(users.ratingBias()[u]);
                for (int f = 0; f < rd; f++) line.append(',').append(users.ratingVectors()[u * rd + f]);
                for (int f = 0; f < d; f++) line.append(',').append(users.retrievalVectors()[u * d + f]);
                w.write(line.append('\n').toString());
            }
        }
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
}
