package io.streamrec.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The MovieLens file layouts we read: the file names and how a ratings line is split. */
enum Layout {
    ML_100K("ml-100k", "u.data", "u.item", "\t", null),
    ML_1M("ml-1m", "ratings.dat", "movies.dat", "::", null),
    /** ml-latest, ml-latest-small, ml-20m, ml-25m, ml-32m share this CSV layout. */
    ML_LATEST("ml-latest", "ratings.csv", "movies.csv", ",", "userId,movieId,rating,timestamp");

    final String label;
    final String ratingsFile;
    final String moviesFile;
    final String separator;
    /** Header line of the ratings file, or null when the file has none. */
    final String ratingsHeader;

    Layout(String label, String ratingsFile, String moviesFile, String separator, String ratingsHeader) {
        this.label = label;
        this.ratingsFile = ratingsFile;
        this.moviesFile = moviesFile;
        this.separator = separator;
        this.ratingsHeader = ratingsHeader;
    }

    boolean presentIn(Path dir) {
        return Files.isRegularFile(dir.resolve(ratingsFile)) && Files.isRegularFile(dir.resolve(moviesFile));
    }

    /** "ml-100k (u.data + u.item)": used in the unknown-layout message. */
    String describe() {
        String also = this == ML_LATEST ? ", also ml-latest-small, ml-20m, ml-25m, ml-32m" : "";
        return label + also + " (" + ratingsFile + " + " + moviesFile + ")";
    }

    /**
     * The layout of a lone ratings file (a train or test split such as u1.base): by extension,
     * else by the separator in its first line.
     */
    static Layout ofRatingsFile(Path file, String firstLine) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return ML_LATEST;
        }
        if (name.endsWith(".dat") || firstLine.contains("::")) {
            return ML_1M;
        }
        if (firstLine.contains("\t")) {
            return ML_100K;
        }
        if (firstLine.contains(",")) {
            return ML_LATEST;
        }
        throw new DataFormatException(file.getFileName().toString(), 1, null,
                "cannot tell the format: expected a .csv or .dat file, or a line separated by tabs (ml-100k),"
                        + " '::' (ml-1m) or commas (ml-latest)");
    }
}
