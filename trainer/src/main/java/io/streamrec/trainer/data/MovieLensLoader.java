package io.streamrec.trainer.data;

import io.streamrec.core.features.MovieMeta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads a MovieLens download as a {@link Dataset}. The layout (ml-100k, ml-1m, ml-latest/ml-25m)
 * is recognised from the files in the directory. Timestamps become epoch millis; ratings outside
 * [0.5, 5] are dropped and counted; events for movies missing from the catalogue are kept and the
 * catalogue gets a placeholder for them, so it always covers every event.
 */
public final class MovieLensLoader {
    /** Title of a placeholder catalogue entry for a movie that only appears in the ratings. */
    public static final String UNKNOWN_TITLE = "unknown title";

    private MovieLensLoader() {
    }

    /** Loads the MovieLens download in {@code dir}. */
    public static Dataset load(Path dir) {
        Layout layout = detect(dir);
        MoviesFileReader.Result catalogue = MoviesFileReader.read(dir.resolve(layout.moviesFile), layout);
        Interactions.Builder b = Interactions.builder(sizeHint(dir.resolve(layout.ratingsFile)));
        RatingsReader.Stats stats = RatingsReader.read(dir.resolve(layout.ratingsFile), layout, b);
        Interactions events = b.build();

        List<MovieMeta> movies = new ArrayList<>(catalogue.movies());
        int unknown = countUnknown(events, ids(movies));
        addPlaceholders(movies, events);
        LoadSummary summary = new LoadSummary(layout.label, List.of(layout.ratingsFile, layout.moviesFile),
                stats.lines + catalogue.linesRead(), stats.accepted, stats.outOfRange, unknown);
        return new Dataset(name(dir), sorted(movies), events, summary);
    }

    /**
     * Loads an explicit train/test pair such as ml-100k's {@code u1.base}/{@code u1.test}. Each file's
     * format is recognised from its name or separator. The catalogue is read from u.item, movies.dat
     * or movies.csv next to the train file when there is one; otherwise it holds placeholders for
     * the movies seen. Both datasets share one catalogue covering the movies of both files.
     *
     * @return {train, test}
     */
    public static Dataset[] loadTrainTest(Path trainFile, Path testFile) {
        Layout trainLayout = Layout.ofRatingsFile(trainFile, RatingsReader.firstLine(trainFile));
        Layout testLayout = Layout.ofRatingsFile(testFile, RatingsReader.firstLine(testFile));

        Path dir = trainFile.toAbsolutePath().getParent();
        Path catalogueFile = null;
        Layout catalogueLayout = null;
        List<Layout> preference = new ArrayList<>(List.of(trainLayout));
        preference.addAll(List.of(Layout.values()));
        for (Layout l : preference) {
            if (Files.isRegularFile(dir.resolve(l.moviesFile))) {
                catalogueFile = dir.resolve(l.moviesFile);
                catalogueLayout = l;
                break;
            }
        }
        MoviesFileReader.Result catalogue = catalogueFile == null
                ? new MoviesFileReader.Result(List.of(), 0)
                : MoviesFileReader.read(catalogueFile, catalogueLayout);

        Interactions.Builder trainB = Interactions.builder(sizeHint(trainFile));
        RatingsReader.Stats trainStats = RatingsReader.read(trainFile, trainLayout, trainB);
        Interactions.Builder testB = Interactions.builder(sizeHint(testFile));
        RatingsReader.Stats testStats = RatingsReader.read(testFile, testLayout, testB);
        Interactions train = trainB.build();
        Interactions test = testB.build();

        List<MovieMeta> movies = new ArrayList<>(catalogue.movies());
        BitSet known = ids(movies);
        int trainUnknown = countUnknown(train, known);
        int testUnknown = countUnknown(test, known);
        addPlaceholders(movies, train);
        addPlaceholders(movies, test);
        movies = sorted(movies);

        List<String> catalogueNames = catalogueFile == null ? List.of() : List.of(catalogueFile.getFileName().toString());
        return new Dataset[] {
                dataset(trainFile, trainLayout, movies, train, trainStats, trainUnknown, catalogueNames, catalogue.linesRead()),
                dataset(testFile, testLayout, movies, test, testStats, testUnknown, catalogueNames, catalogue.linesRead())
        };
    }

    private static Dataset dataset(Path file, Layout layout, List<MovieMeta> movies, Interactions events,
                                   RatingsReader.Stats stats, int unknown, List<String> catalogueNames,
                                   long catalogueLines) {
        List<String> files = new ArrayList<>();
        files.add(file.getFileName().toString());
        files.addAll(catalogueNames);
        LoadSummary summary = new LoadSummary(layout.label, files, stats.lines + catalogueLines,
                stats.accepted, stats.outOfRange, unknown);
        return new Dataset(file.getFileName().toString(), movies, events, summary);
    }

    /** The layout of {@code dir}, or an error listing the layouts known and the files each needs. */
    static Layout detect(Path dir) {
        for (Layout l : List.of(Layout.ML_LATEST, Layout.ML_1M, Layout.ML_100K)) {
            if (l.presentIn(dir)) {
                return l;
            }
        }
        StringBuilder msg = new StringBuilder("no MovieLens layout recognised. Known layouts and the files each needs: ");
        msg.append(Stream.of(Layout.values()).map(Layout::describe).collect(Collectors.joining("; ")));
        msg.append(". ");
        for (Layout l : Layout.values()) { // the likeliest mistake: half of a layout
            boolean ratings = Files.isRegularFile(dir.resolve(l.ratingsFile));
            boolean movies = Files.isRegularFile(dir.resolve(l.moviesFile));
            if (ratings != movies) {
                msg.append("Found ").append(ratings ? l.ratingsFile : l.moviesFile).append(" but not ")
                        .append(ratings ? l.moviesFile : l.ratingsFile).append(". ");
            }
        }
        msg.append(Files.isDirectory(dir) ? "Files present: " + listing(dir) : "The directory does not exist.");
        throw new DataFormatException(dir.toString(), 0, null, msg.toString());
    }

    private static String listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            return names.size() <= 20 ? names.toString()
                    : names.subList(0, 20) + " and " + (names.size() - 20) + " more";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Events whose movie is not among {@code known} ids. */
    private static int countUnknown(Interactions events, BitSet known) {
        int n = 0;
        for (int i = 0; i < events.size(); i++) {
            if (!known.get(events.movieId(i))) {
                n++;
            }
        }
        return n;
    }

    /** Adds a placeholder entry for each movie in {@code events} that {@code movies} lacks. */
    private static void addPlaceholders(List<MovieMeta> movies, Interactions events) {
        BitSet known = ids(movies);
        for (int i = 0; i < events.size(); i++) {
            int id = events.movieId(i);
            if (!known.get(id)) {
                movies.add(new MovieMeta(id, UNKNOWN_TITLE, List.of(), 0));
                known.set(id);
            }
        }
    }

    private static BitSet ids(List<MovieMeta> movies) {
        BitSet ids = new BitSet();
        for (MovieMeta m : movies) {
            ids.set(m.movieId());
        }
        return ids;
    }

    private static List<MovieMeta> sorted(List<MovieMeta> movies) {
        List<MovieMeta> copy = new ArrayList<>(movies);
        copy.sort(Comparator.comparingInt(MovieMeta::movieId));
        return copy;
    }

    /** About 24 bytes per ratings line: sizes the arrays once instead of doubling up to 25M. */
    private static int sizeHint(Path ratingsFile) {
        try {
            return (int) Math.min(Integer.MAX_VALUE - 8, Files.size(ratingsFile) / 24 + 16);
        } catch (IOException e) {
            return 1024;
        }
    }

    private static String name(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }
}
