package io.streamrec.trainer.data;

import io.streamrec.core.features.MovieMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MovieLensLoaderTest {
    @TempDir
    Path dir;

    // ---- ml-100k ----------------------------------------------------------------------------

    private void writeMl100k() throws IOException {
        write("u.item", StandardCharsets.ISO_8859_1,
                // unknown|Action|Adventure|Animation|Children's|Comedy|... : Animation, Children's, Comedy
                "1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0",
                "242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/title-exact?Kolya%20(1996)|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0",
                // Crime, Film-Noir, Mystery, Thriller
                "302|L.A. Confidential (1997)|01-Jan-1997||http://x|0|0|0|0|0|0|1|0|0|0|1|0|0|1|0|0|1|0|0",
                "267|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0",
                "1300|Misérables, Les (1995)|01-Jan-1995||http://x|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0"); // Drama
        write("u.data", StandardCharsets.US_ASCII,
                "196\t242\t3\t881250949",
                "186\t302\t5\t891717742",
                "22\t1300\t1\t878887116",
                "244\t51\t2\t880606923");
    }

    @Test
    void loadsMl100k() throws IOException {
        writeMl100k();

        Dataset ds = MovieLensLoader.load(dir);

        Interactions ev = ds.events();
        assertEquals(4, ev.size());
        assertEquals(196, ev.userId(0));
        assertEquals(242, ev.movieId(0));
        assertEquals(3f, ev.rating(0));
        assertEquals(881_250_949_000L, ev.timestamp(0));
        assertEquals(EventKind.RATING, ev.kind(0));
        assertTrue(Float.isNaN(ev.completion(0)));
        assertEquals(3, ev.line(3));

        Map<Integer, MovieMeta> movies = ds.movieById();
        assertEquals(new MovieMeta(1, "Toy Story", List.of("Animation", "Children", "Comedy"), 1995), movies.get(1));
        assertEquals(new MovieMeta(302, "L.A. Confidential", List.of("Crime", "Film-Noir", "Mystery", "Thriller"), 1997),
                movies.get(302));
        assertEquals(new MovieMeta(267, "unknown", List.of(), 0), movies.get(267), "the 'unknown' flag is no genre");
        assertEquals("Misérables, Les", movies.get(1300).title(), "u.item is latin-1");
        assertEquals(List.of("Drama"), movies.get(1300).genres());
        // movie 51 is rated but not in u.item: kept, counted, and given a placeholder
        assertEquals(new MovieMeta(51, MovieLensLoader.UNKNOWN_TITLE, List.of(), 0), movies.get(51));
        assertEquals(6, ds.movies().size());
        assertEquals(List.of(1, 51, 242, 267, 302, 1300), ds.movies().stream().map(MovieMeta::movieId).toList());

        LoadSummary s = ds.summary();
        assertEquals("ml-100k", s.layout());
        assertEquals(List.of("u.data", "u.item"), s.files());
        assertEquals(9, s.linesRead());
        assertEquals(4, s.eventsAccepted());
        assertEquals(0, s.rejectedOutOfRange());
        assertEquals(1, s.unknownMovies());
        assertEquals(dir.getFileName().toString(), ds.name());
        assertTrue(s.toString().contains("ml-100k"), s.toString());
    }

    @Test
    void loadTrainTestReadsTheCatalogueNextToTheTrainFile() throws IOException {
        writeMl100k();
        write("u1.base", StandardCharsets.US_ASCII, "1\t1\t5\t874965758", "1\t242\t3\t876893171", "2\t302\t4\t888550871");
        write("u1.test", StandardCharsets.US_ASCII, "1\t302\t3\t878542960", "2\t999\t2\t888551000");

        Dataset[] pair = MovieLensLoader.loadTrainTest(dir.resolve("u1.base"), dir.resolve("u1.test"));

        Dataset train = pair[0];
        Dataset test = pair[1];
        assertEquals("u1.base", train.name());
        assertEquals("u1.test", test.name());
        assertEquals(3, train.events().size());
        assertEquals(2, test.events().size());
        assertEquals(874_965_758_000L, train.events().timestamp(0));
        assertEquals(999, test.events().movieId(1));
        assertEquals(train.movies(), test.movies(), "one shared catalogue");
        assertEquals("Toy Story", train.movieById().get(1).title());
        assertEquals(MovieLensLoader.UNKNOWN_TITLE, train.movieById().get(999).title(), "covers test movies too");
        assertEquals(0, train.summary().unknownMovies());
        assertEquals(1, test.summary().unknownMovies());
        assertEquals(List.of("u1.base", "u.item"), train.summary().files());
    }

    @Test
    void loadTrainTestWithoutCatalogueBuildsOneFromIds() throws IOException {
        write("train.csv", StandardCharsets.UTF_8, "userId,movieId,rating,timestamp", "1,10,4.0,100", "2,20,3.5,200");
        write("test.csv", StandardCharsets.UTF_8, "1,30,2.0,300"); // no header: also accepted

        Dataset[] pair = MovieLensLoader.loadTrainTest(dir.resolve("train.csv"), dir.resolve("test.csv"));

        assertEquals(List.of(10, 20, 30), pair[0].movies().stream().map(MovieMeta::movieId).toList());
        assertEquals(2, pair[0].summary().unknownMovies());
        assertEquals(1, pair[1].summary().unknownMovies());
        assertEquals(3.5f, pair[0].events().rating(1));
        assertEquals(300_000L, pair[1].events().timestamp(0));
        assertEquals("ml-latest", pair[1].summary().layout());
    }

    // ---- ml-1m ------------------------------------------------------------------------------

    @Test
    void loadsMl1m() throws IOException {
        write("movies.dat", StandardCharsets.ISO_8859_1,
                "1::Toy Story (1995)::Animation|Children's|Comedy",
                "1193::One Flew Over the Cuckoo's Nest (1975)::Drama",
                "3::Misérables, Les (1995)::Drama|Musical");
        write("ratings.dat", StandardCharsets.US_ASCII,
                "1::1193::5::978300760",
                "1::1::3::978302109",
                "2::3::4::978298413");

        Dataset ds = MovieLensLoader.load(dir);

        assertEquals("ml-1m", ds.summary().layout());
        Interactions ev = ds.events();
        assertEquals(3, ev.size());
        assertEquals(1, ev.userId(0));
        assertEquals(1193, ev.movieId(0));
        assertEquals(5f, ev.rating(0));
        assertEquals(978_300_760_000L, ev.timestamp(0));
        Map<Integer, MovieMeta> movies = ds.movieById();
        assertEquals(new MovieMeta(1, "Toy Story", List.of("Animation", "Children", "Comedy"), 1995), movies.get(1));
        assertEquals(new MovieMeta(1193, "One Flew Over the Cuckoo's Nest", List.of("Drama"), 1975), movies.get(1193));
        assertEquals("Misérables, Les", movies.get(3).title());
        assertEquals(0, ds.summary().unknownMovies());
    }

    // ---- ml-latest (CSV) --------------------------------------------------------------------

    private void writeMlLatest(String... ratingLines) throws IOException {
        write("movies.csv", StandardCharsets.UTF_8,
                "movieId,title,genres",
                "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy",
                "5,Father of the Bride Part II (1995)  ,Comedy",
                "6,\"Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)\",Comedy|Romance",
                "11,\"American President, The (1995)\",Comedy|Drama|Romance",
                "7789,\"11'09\"\"01 - September 11 (2002)\",Drama",
                "40697,Babylon 5,Sci-Fi",
                "170705,Band of Brothers (2001–2001),Action|Drama|War",
                "182727,Cosmos,(no genres listed)");
        String[] lines = new String[ratingLines.length + 1];
        lines[0] = "userId,movieId,rating,timestamp";
        System.arraycopy(ratingLines, 0, lines, 1, ratingLines.length);
        write("ratings.csv", StandardCharsets.US_ASCII, lines);
    }

    @Test
    void loadsMlLatestCsvWithQuotedTitles() throws IOException {
        writeMlLatest("1,1,4.0,964982703", "1,11,4.5,964982224", "2,7789,0.5,1445714835", "2,6,5.0,1445714836");

        Dataset ds = MovieLensLoader.load(dir);

        assertEquals("ml-latest", ds.summary().layout());
        Interactions ev = ds.events();
        assertEquals(4, ev.size());
        assertEquals(11, ev.movieId(1));
        assertEquals(4.5f, ev.rating(1));
        assertEquals(964_982_224_000L, ev.timestamp(1));
        assertEquals(0.5f, ev.rating(2));
        assertEquals(2, ev.userId(3));

        Map<Integer, MovieMeta> movies = ds.movieById();
        assertEquals(8, movies.size());
        assertEquals(new MovieMeta(1, "Toy Story", List.of("Adventure", "Animation", "Children", "Comedy", "Fantasy"), 1995),
                movies.get(1));
        assertEquals(new MovieMeta(11, "American President, The", List.of("Comedy", "Drama", "Romance"), 1995),
                movies.get(11), "a quoted title with a comma");
        assertEquals(new MovieMeta(7789, "11'09\"01 - September 11", List.of("Drama"), 2002),
                movies.get(7789), "an escaped quote");
        assertEquals("Amélie (Fabuleux destin d'Amélie Poulain, Le)", movies.get(6).title(), "UTF-8");
        assertEquals(2001, movies.get(6).year());
        assertEquals(new MovieMeta(5, "Father of the Bride Part II", List.of("Comedy"), 1995), movies.get(5),
                "trailing spaces after the year");
        assertEquals(new MovieMeta(40697, "Babylon 5", List.of("Sci-Fi"), 0), movies.get(40697), "no year");
        assertEquals(2001, movies.get(170705).year(), "a year range");
        assertEquals(new MovieMeta(182727, "Cosmos", List.of(), 0), movies.get(182727), "(no genres listed)");
        assertEquals(14, ds.summary().linesRead());
    }

    @Test
    void outOfRangeRatingsAreCountedAndExcluded() throws IOException {
        writeMlLatest("1,1,4.0,964982703", "1,5,7.0,964982704", "1,6,0.0,964982705", "1,11,5.0,964982706",
                "2,99,3.0,964982707");

        Dataset ds = MovieLensLoader.load(dir);

        assertEquals(3, ds.events().size());
        assertEquals(List.of(1, 11, 99), java.util.stream.IntStream.range(0, 3).map(ds.events()::movieId).boxed().toList());
        assertEquals(2, ds.summary().rejectedOutOfRange());
        assertEquals(3, ds.summary().eventsAccepted());
        assertEquals(1, ds.summary().unknownMovies());
        assertTrue(ds.summary().toString().contains("2 out-of-range"), ds.summary().toString());
    }

    // ---- errors -----------------------------------------------------------------------------

    @Test
    void malformedRatingNamesFileLineAndField() throws IOException {
        writeMlLatest("1,1,4.0,964982703", "1,5,abc,964982704");

        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));

        assertEquals("ratings.csv line 3: field 'rating': not a number: \"abc\"", e.getMessage());
        assertEquals("ratings.csv", e.file());
        assertEquals(3, e.line());
        assertEquals("rating", e.field());
    }

    @Test
    void missingFieldIsReported() throws IOException {
        writeMl100k();
        write("u.data", StandardCharsets.US_ASCII, "196\t242\t3\t881250949", "186\t302\t5");

        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));

        assertTrue(e.getMessage().startsWith("u.data line 2: field 'timestamp': missing"), e.getMessage());
    }

    @Test
    void badIdAndBadCatalogueLinesAreReported() throws IOException {
        writeMlLatest("1,x1,4.0,964982703");
        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));
        assertEquals("ratings.csv line 2: field 'movieId': not an integer: \"x1\"", e.getMessage());

        write("movies.csv", StandardCharsets.UTF_8, "movieId,title,genres", "1,\"Toy Story (1995),Comedy");
        e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));
        assertTrue(e.getMessage().startsWith("movies.csv line 2: unterminated quoted field"), e.getMessage());

        write("movies.csv", StandardCharsets.UTF_8, "id,name", "1,Toy Story (1995),Comedy");
        e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));
        assertTrue(e.getMessage().startsWith("movies.csv line 1: field 'header'"), e.getMessage());
    }

    @Test
    void badGenreFlagIsReported() throws IOException {
        writeMl100k();
        write("u.item", StandardCharsets.ISO_8859_1, "1|Toy Story (1995)|01-Jan-1995||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|x");

        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));

        assertEquals("u.item line 1: field 'genre Western': expected 0 or 1, found \"x\"", e.getMessage());
    }

    @Test
    void unknownLayoutListsTheKnownOnes() throws IOException {
        write("notes.txt", StandardCharsets.UTF_8, "hello");
        write("ratings.csv", StandardCharsets.UTF_8, "userId,movieId,rating,timestamp");

        DataFormatException e = assertThrows(DataFormatException.class, () -> MovieLensLoader.load(dir));

        String msg = e.getMessage();
        for (String expected : List.of("ml-100k", "u.data", "u.item", "ml-1m", "ratings.dat", "movies.dat",
                "ml-latest", "ratings.csv", "movies.csv", "ml-25m", "Found ratings.csv but not movies.csv", "notes.txt")) {
            assertTrue(msg.contains(expected), "missing '" + expected + "' in: " + msg);
        }
        assertEquals(0, e.line());
        assertEquals(null, e.field());
    }

    @Test
    void missingDirectoryIsReported() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> MovieLensLoader.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    private void write(String name, Charset charset, String... lines) throws IOException {
        Files.write(dir.resolve(name), List.of(lines), charset);
    }
}
