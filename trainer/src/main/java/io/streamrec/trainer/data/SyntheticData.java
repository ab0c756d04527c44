package io.streamrec.trainer.data;

import io.streamrec.core.features.MovieMeta;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MovieLens-shaped data with a known generating model, for tests and for checking that a learner
 * finds structure that is really there.
 *
 * <p>The model: each genre has a latent vector; a movie's latent vector is the mean of its genres'
 * vectors plus noise, and a user's is their genre tastes mixed the same way plus noise. Affinity =
 * latent dot product + how much the user likes the movie's genres, standardised. A user picks movies
 * without replacement with probability ∝ popularity (Zipf) × exp(affinity), so popularity is a strong
 * baseline that personalisation can still beat. A rating is μ + b_u + b_i + affinity + noise on
 * half stars; a watch has a completion ratio that rises with affinity.
 */
public final class SyntheticData {
    /** The 18 MovieLens genres (ml-100k's list without "unknown"), with rough catalogue shares. */
    static final List<String> GENRES = List.of("Action", "Adventure", "Animation", "Children", "Comedy",
            "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
            "Romance", "Sci-Fi", "Thriller", "War", "Western");
    private static final double[] GENRE_SHARE = {9, 6, 3, 4, 20, 6, 3, 25, 4, 0.5, 5, 2, 3, 8, 5, 10, 2, 1};

    private static final long START_MILLIS = 1_640_995_200_000L; // 2022-01-01T00:00Z
    private static final long SPAN_MILLIS = 2L * 365 * 24 * 3600 * 1000; // about two years
    private static final double ZIPF_EXPONENT = 1.2;
    private static final double AFFINITY_IN_CHOICE = 1.5;   // weight of taste against popularity
    private static final double AFFINITY_IN_RATING = 0.6;   // stars per standard deviation of affinity
    private static final double TARGET_MEAN_RATING = 3.5;
    private static final double RATING_NOISE = 0.5;

    private SyntheticData() {
    }

    public static Dataset generate(SyntheticConfig cfg) {
        return new Generator(cfg).run();
    }

    /** Holds the hidden model while generating; discarded afterwards. */
    private static final class Generator {
        final SyntheticConfig cfg;
        final SplittableRandom rng;
        final int d;
        final int nMovies;
        final double[][] genreVec;
        final double[][] movieVec;
        final int[][] movieGenres;
        final double[] logPop;
        final double[] movieBias;
        final double[] popWeight;
        double[][] userVec;
        double[][] userTaste;
        double affMean;
        double affStd = 1;
        double scoreSum;
        long scoreCount;
        // per-user scratch, reused
        final double[] aff;
        final double[] keys;
        final double[] scratch;

        Generator(SyntheticConfig cfg) {
            this.cfg = cfg;
            this.rng = new SplittableRandom(cfg.seed());
            this.d = cfg.latentDim();
            this.nMovies = cfg.movies();
            this.genreVec = new double[GENRES.size()][];
            for (int g = 0; g < genreVec.length; g++) {
                genreVec[g] = gaussianVector(1.0);
            }
            this.movieVec = new double[nMovies][];
            this.movieGenres = new int[nMovies][];
            this.logPop = new double[nMovies];
            this.movieBias = new double[nMovies];
            this.popWeight = new double[nMovies];
            this.aff = new double[nMovies];
            this.keys = new double[nMovies];
            this.scratch = new double[nMovies];
        }

        Dataset run() {
            List<MovieMeta> catalogue = makeMovies();
            int nUsers = cfg.users();
            userVec = new double[nUsers][];
            userTaste = new double[nUsers][];
            for (int u = 0; u < nUsers; u++) {
                userTaste[u] = tasteWeights();
                userVec[u] = mixGenres(userTaste[u]);
            }
            calibrateAffinity();

            // Pass 1: who watches what, and when; a rating holds its noiseless score for now.
            Interactions.Builder b = Interactions.builder((int) (nUsers * cfg.meanEventsPerUser() * 1.1));
            for (int u = 0; u < nUsers; u++) {
                addUserEvents(b, u);
            }
            Interactions events = toStars(b.build());
            String name = String.format("synthetic-%du-%dm-seed%d", nUsers, nMovies, cfg.seed());
            LoadSummary summary = new LoadSummary("synthetic", List.of(), 0, events.size(), 0, 0);
            return new Dataset(name, catalogue, events, summary);
        }

        /** One user's events, in time order. User ids and movie ids start at 1, as in MovieLens. */
        private void addUserEvents(Interactions.Builder b, int u) {
            double userBias = 0.4 * rng.nextGaussian();
            for (int i = 0; i < nMovies; i++) {
                aff[i] = affinity(userVec[u], userTaste[u], i);
                // Exponential race: the n smallest E/w are a weighted sample without replacement,
                // in the order sequential draws would give (cheaper than n cumulative redraws).
                keys[i] = rng.nextExponential() / (popWeight[i] * Math.exp(AFFINITY_IN_CHOICE * aff[i]));
            }
            int n = eventCount();
            int[] chosen = smallest(keys, scratch, n);
            long[] times = userTimes(n);
            for (int k = 0; k < n; k++) {
                int i = chosen[k];
                if (rng.nextDouble() < cfg.watchFraction()) {
                    double c = sigmoid(1.2 * aff[i] + 0.3) + 0.15 * rng.nextGaussian();
                    b.addWatch(u + 1, i + 1, (float) (c > 0.95 ? 1.0 : Math.max(0, c)), times[k]);
                } else {
                    double score = userBias + movieBias[i] + AFFINITY_IN_RATING * aff[i];
                    scoreSum += score;
                    scoreCount++;
                    b.addRating(u + 1, i + 1, (float) score, times[k]);
                }
            }
        }

        /** Pass 2: centre the scores on the target mean, add noise, round to half stars in [0.5, 5]. */
        private Interactions toStars(Interactions draft) {
            double mu = scoreCount == 0 ? 0 : TARGET_MEAN_RATING - scoreSum / scoreCount;
            Interactions.Builder out = Interactions.builder(draft.size());
            for (int e = 0; e < draft.size(); e++) {
                float rating = Float.NaN;
                if (draft.kind(e) == EventKind.RATING) {
                    double noisy = mu + draft.rating(e) + RATING_NOISE * rng.nextGaussian();
                    rating = (float) Math.min(5.0, Math.max(0.5, Math.round(noisy * 2) / 2.0));
                }
                out.add(draft.userId(e), draft.movieId(e), draft.kind(e), rating, draft.completion(e),
                        draft.timestamp(e), draft.line(e));
            }
            return out.build();
        }

        private List<MovieMeta> makeMovies() {
            int[] rank = permutation(nMovies); // popularity rank, unrelated to the id
            List<MovieMeta> movies = new ArrayList<>(nMovies);
            double popMean = 0;
            for (int i = 0; i < nMovies; i++) {
                logPop[i] = -Math.log(rank[i] + 1.0);
                popWeight[i] = Math.exp(ZIPF_EXPONENT * logPop[i]); // Zipf: 1 / rank^s
                popMean += logPop[i] / nMovies;
            }
            for (int i = 0; i < nMovies; i++) {
                int count = 1 + (rng.nextDouble() < 0.45 ? 0 : rng.nextDouble() < 0.65 ? 1 : 2);
                movieGenres[i] = distinctGenres(count);
                double[] weights = new double[GENRES.size()];
                for (int g : movieGenres[i]) {
                    weights[g] = 1.0 / count;
                }
                movieVec[i] = mixGenres(weights);
                // Popular movies are rated a little higher, as in MovieLens.
                movieBias[i] = 0.3 * rng.nextGaussian() + 0.05 * (logPop[i] - popMean);
                int year = 2025 - (int) (76 * Math.pow(rng.nextDouble(), 2.0)); // skewed to recent years
                List<String> names = new ArrayList<>(count);
                for (int g : movieGenres[i]) {
                    names.add(GENRES.get(g));
                }
                movies.add(new MovieMeta(i + 1, "Synthetic Movie " + (i + 1), names, Math.max(1950, year)));
            }
            return movies;
        }

        /** Raw affinity: latent match plus liking for the movie's genres, then standardised. */
        private double affinity(double[] userVec, double[] taste, int i) {
            double dot = 0;
            double[] q = movieVec[i];
            for (int k = 0; k < d; k++) {
                dot += userVec[k] * q[k];
            }
            double genreLike = 0;
            for (int g : movieGenres[i]) {
                genreLike += taste[g];
            }
            double raw = dot / Math.sqrt(d) + 3.0 * genreLike;
            return (raw - affMean) / affStd;
        }

        /** Measures raw affinity over random pairs so that the standardised one has mean 0, sd 1. */
        private void calibrateAffinity() {
            int samples = 20_000;
            double sum = 0;
            double sumSq = 0;
            for (int s = 0; s < samples; s++) {
                int u = rng.nextInt(userVec.length);
                double a = affinity(userVec[u], userTaste[u], rng.nextInt(nMovies));
                sum += a;
                sumSq += a * a;
            }
            affMean = sum / samples;
            affStd = Math.sqrt(Math.max(1e-9, sumSq / samples - affMean * affMean));
        }

        /** Spiky genre tastes: most users care about a few genres, weighted by how common they are. */
        private double[] tasteWeights() {
            double[] w = new double[GENRES.size()];
            double sum = 0;
            for (int g = 0; g < w.length; g++) {
                double e = -Math.log(uniformOpen());
                w[g] = GENRE_SHARE[g] * e * e;
                sum += w[g];
            }
            for (int g = 0; g < w.length; g++) {
                w[g] /= sum;
            }
            return w;
        }

        /** Genre vectors weighted, plus individual noise. */
        private double[] mixGenres(double[] weights) {
            double[] v = gaussianVector(0.5);
            for (int g = 0; g < weights.length; g++) {
                if (weights[g] != 0) {
                    for (int k = 0; k < d; k++) {
                        v[k] += weights[g] * genreVec[g][k];
                    }
                }
            }
            return v;
        }

        private int[] distinctGenres(int count) {
            int[] out = new int[count];
            double total = Arrays.stream(GENRE_SHARE).sum();
            for (int c = 0; c < count; c++) {
                int g;
                do {
                    double x = rng.nextDouble() * total;
                    g = 0;
                    while (g < GENRE_SHARE.length - 1 && (x -= GENRE_SHARE[g]) >= 0) {
                        g++;
                    }
                } while (contains(out, c, g));
                out[c] = g;
            }
            Arrays.sort(out);
            return out;
        }

        /** Heavy-tailed (log-normal) with the configured mean, at least 5, at most half the catalogue. */
        private int eventCount() {
            double sigma = 0.9;
            double x = cfg.meanEventsPerUser() * Math.exp(sigma * rng.nextGaussian() - sigma * sigma / 2);
            return (int) Math.max(5, Math.min(nMovies / 2, Math.round(x)));
        }

        /** n increasing second-resolution times: each user joins at a different point of the two years. */
        private long[] userTimes(int n) {
            double start = rng.nextDouble() * 0.8 * SPAN_MILLIS;
            double length = (SPAN_MILLIS - start) * (0.05 + 0.95 * rng.nextDouble());
            long[] t = new long[n];
            for (int k = 0; k < n; k++) {
                t[k] = START_MILLIS + (long) ((start + rng.nextDouble() * length) / 1000) * 1000;
            }
            Arrays.sort(t);
            return t;
        }

        private int[] permutation(int n) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = p[i];
                p[i] = p[j];
                p[j] = tmp;
            }
            return p;
        }

        private double[] gaussianVector(double sd) {
            double[] v = new double[d];
            for (int k = 0; k < d; k++) {
                v[k] = sd * rng.nextGaussian();
            }
            return v;
        }

        private double uniformOpen() {
            double x;
            do {
                x = rng.nextDouble();
            } while (x == 0);
            return x;
        }
    }

    private static boolean contains(int[] a, int len, int v) {
        for (int i = 0; i < len; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Indices of the n smallest keys, smallest first; {@code scratch} is overwritten. */
    static int[] smallest(double[] keys, double[] scratch, int n) {
        System.arraycopy(keys, 0, scratch, 0, keys.length);
        double threshold = select(scratch, n - 1);
        // Non-negative floats order like their bit patterns, so (bits, index) packs into one sortable long.
        long[] packed = new long[n];
        int m = 0;
        for (int i = 0; i < keys.length && m < n; i++) {
            if (keys[i] <= threshold) {
                packed[m++] = ((long) Float.floatToIntBits((float) keys[i]) << 32) | i;
            }
        }
        Arrays.sort(packed, 0, m);
        int[] out = new int[m];
        for (int k = 0; k < m; k++) {
            out[k] = (int) packed[k];
        }
        return out;
    }

    /** The k-th smallest value (0-based) by quickselect; reorders {@code a}. */
    private static double select(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }
}
