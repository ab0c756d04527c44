package io.streamrec.core.coldstart;

import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.features.MovieMeta;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the catalogue says about a movie, as the input row of {@link MovieFeatureMap}: the genres multi-hot (in
 * {@link FeatureSpec#GENRES} order), "no known genre", the release year centred and scaled ((year − 1995) / 20) and its
 * square (taste moves non-linearly with age), "year unknown", and a constant 1 (the intercept). That is everything a
 * {@link MovieMeta} carries besides the title.
 */
public final class MovieFeatures {
    public static final List<String> NAMES;

    static {
        List<String> names = new ArrayList<>();
        for (String g : FeatureSpec.GENRES) names.add("genre:" + g);
        names.addAll(List.of("no_genre", "year", "year_squared", "year_unknown", "intercept"));
        NAMES = Collections.unmodifiableList(names);
    }

    public static final int SIZE = NAMES.size();
    /** Index of the constant-1 feature (not regularised by the fit). */
    public static final int INTERCEPT = SIZE - 1;

    private MovieFeatures() {}

    /** Writes the movie's {@link #SIZE} features at {@code out[off..]}. */
    public static void encode(MovieMeta movie, double[] out, int off) {
        int genres = FeatureSpec.GENRES.size();
        for (int f = 0; f < SIZE; f++) out[off + f] = 0;
        boolean any = false;
        for (String genre : movie.genres()) {
            int g = FeatureSpec.GENRES.indexOf(genre);
            if (g >= 0) {
                out[off + g] = 1;
                any = true;
            }
        }
        out[off + genres] = any ? 0 : 1;
        if (movie.yearKnown()) {
            double y = (movie.year() - 1995) / 20.0;
            out[off + genres + 1] = y;
            out[off + genres + 2] = y * y;
        } else {
            out[off + genres + 3] = 1;
        }
        out[off + INTERCEPT] = 1;
    }
}
