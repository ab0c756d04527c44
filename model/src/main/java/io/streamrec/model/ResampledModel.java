package io.streamrec.model;

import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.model.ItemIndex;
import io.streamrec.core.model.RecommenderModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A trained model grown to any number of movies, for load tests of catalogues larger than any trained one here: the
 * trained items first, as trained, then copies of randomly drawn trained items (biases, popularity, genres and year
 * kept) whose rating and retrieval vectors get Gaussian noise of a quarter of each dimension's spread across the
 * trained items, so the catalogue keeps the trained vectors' geometry (how much vectors weigh against biases) that
 * {@link GeneratedModel}'s random catalogue lacks. The trained ranking network and online settings are kept. Movie ids
 * are 1..movies. The recommendations mean nothing beyond the trained items; serving cost is that of a trained model of
 * this size.
 */
public final class ResampledModel {
    /** Noise added to each resampled vector, as a share of each dimension's standard deviation over trained items. */
    public static final float NOISE_SD_SHARE = 0.25f;

    private ResampledModel() {}

    /** Trained model {@code m} grown to {@code movies} items, in memory. */
    public static RecommenderModel model(RecommenderModel m, int movies, long seed) {
        int d = m.dim(), rd = m.ratingDim();
        int[] trained = m.trainedAtLoad();
        int t = trained.length;
        if (t == 0) throw new IllegalArgumentException("the model has no trained item to resample");
        if (movies < t) throw new IllegalArgumentException("movies (" + movies + ") must be at least the model's " + t + " trained items");
        float[] retrievalSd = spread(m.retrievalVectors(), d, trained), ratingSd = spread(m.ratingVectors(), rd, trained);
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] ids = new int[movies];
        MovieMeta[] meta = new MovieMeta[movies];
        // multiplyExact: a catalogue whose matrix outgrows one Java array fails here, not with a negative size
        float[] q = new float[Math.multiplyExact(movies, rd)], bq = new float[movies];
        float[] v = new float[Math.multiplyExact(movies, d)], bv = new float[movies];
        boolean[] flags = new boolean[movies];
        long[] popularity = new long[movies];
        for (int i = 0; i < movies; i++) {
            int from = sourceOf(i, trained, rnd);
            float noise = noiseShare(i, trained);
            copyWithNoise(m.ratingVectors(), from, rd, q, i, ratingSd, noise, rnd);
            copyWithNoise(m.retrievalVectors(), from, d, v, i, retrievalSd, noise, rnd);
            ids[i] = i + 1;
            MovieMeta src = m.movie(from);
            meta[i] = new MovieMeta(i + 1, "movie " + (i + 1), src.genres(), src.year());
            bq[i] = m.ratingBias(from);
            bv[i] = m.retrievalBias(from);
            popularity[i] = m.popularity(from);
            flags[i] = true;
        }
        return new RecommenderModel(m.version() + "-x" + movies, d, rd, m.globalMean(), ItemIndex.of(ids), meta, q, bq, v, bv,
                flags, popularity, m.online());
    }

    /**
     * Writes the trained model in {@code source} grown to {@code movies} items as a model directory {@link ModelDirectory#read}
     * loads, with the source's ranking network (its ONNX file) and ranker weight.
     */
    public static void write(Path source, Path dir, int movies, long seed) {
        ModelDirectory.Loaded loaded = ModelDirectory.read(source);
        RecommenderModel grown = model(loaded.model(), movies, seed);
        int[] layers = loaded.manifest().rankerLayers();
        int[] hidden = Arrays.copyOfRange(layers, 1, layers.length - 1);
        // the directory is written with a placeholder network of the same shape, then given the trained one's ONNX
        // file: the network is only ever read back as ONNX, and its inputs (the feature spec) are the source's
        ModelDirectory.write(dir, new ModelContents(grown, GeneratedModel.ranker(grown.dim(), hidden, seed),
                loaded.rankerWeight(), UserVectors.none(), Map.of("resampledFrom", source.toString()),
                Map.of("name", "resampled", "generatedBy", ResampledModel.class.getSimpleName())));
        try {
            Files.write(dir.resolve(ModelDirectory.RANKER), loaded.onnx());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ranker to " + dir, e);
        }
    }

    /** Each dimension's standard deviation over the {@code trained} items of a row-major items × d matrix. */
    public static float[] spread(float[] vectors, int d, int[] trained) {
        float[] sd = new float[d];
        for (int f = 0; f < d; f++) {
            double s = 0, s2 = 0;
            for (int i : trained) {
                double x = vectors[i * d + f];
                s += x;
                s2 += x * x;
            }
            double mean = s / trained.length;
            sd[f] = (float) Math.sqrt(Math.max(0, s2 / trained.length - mean * mean));
        }
        return sd;
    }

    /** The trained item slot i of a grown catalogue copies: the i-th trained item, past them a drawn one. */
    public static int sourceOf(int i, int[] trained, SplittableRandom rnd) {
        return i < trained.length ? trained[i] : trained[rnd.nextInt(trained.length)];
    }

    /** The noise of slot i's copy, as a share of each dimension's spread: none for the trained items themselves. */
    public static float noiseShare(int i, int[] trained) {
        return i < trained.length ? 0f : NOISE_SD_SHARE;
    }

    /**
     * Row {@code slot} of {@code to} (d wide) = row {@code item} of {@code from} plus Gaussian noise of {@code share}
     * × {@code sd} per dimension; share 0 copies without drawing.
     */
    public static void copyWithNoise(float[] from, int item, int d, float[] to, int slot, float[] sd, float share,
                                     SplittableRandom rnd) {
        for (int f = 0; f < d; f++) {
            float x = from[item * d + f];
            to[slot * d + f] = share == 0f ? x : x + (float) rnd.nextGaussian() * share * sd[f];
        }
    }
}
