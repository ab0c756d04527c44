package io.streamrec.trainer.data;

import io.streamrec.core.features.MovieMeta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a MovieLens catalogue file (u.item, movies.dat, movies.csv) into {@link MovieMeta}s. */
final class MoviesFileReader {
    /** u.item's 19 genre flags, in file order; "unknown" means no genre. */
    static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation",
            "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror",
            "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");

    /** A trailing "(1995)", also a series range "(2006-2007)" or "(2006–)", with trailing spaces. */
    private static final Pattern TITLE_YEAR =
            Pattern.compile("^(.*?)\\s*\\((\\d{4})(?:\\s*[-\u2013]\\s*(?:\\d{4})?)?\\)\\s*$");

    record Result(List<MovieMeta> movies, long linesRead) {
    }

    private MoviesFileReader() {
    }

    static Result read(Path path, Layout layout) {
        String file = path.getFileName().toString();
        String text = decode(path);
        Map<Integer, MovieMeta> byId = new LinkedHashMap<>();
        long lineNo = 0;
        for (String line : (Iterable<String>) text.lines()::iterator) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1); // byte-order mark
            }
            if (line.isBlank()) {
                continue;
            }
            if (layout == Layout.ML_LATEST && lineNo == 1) {
                if (!line.strip().equalsIgnoreCase("movieId,title,genres")) {
                    throw new DataFormatException(file, 1, "header",
                            "expected \"movieId,title,genres\", found \"" + line + "\"");
                }
                continue;
            }
            MovieMeta m = switch (layout) {
                case ML_100K -> parseUItem(Fields.split(file, lineNo, line, "|", U_ITEM_FIELDS));
                case ML_1M -> parseTitleGenres(Fields.split(file, lineNo, line, "::", "movieId", "title", "genres"));
                case ML_LATEST -> parseTitleGenres(
                        Fields.of(file, lineNo, Csv.splitLine(file, lineNo, line), "movieId", "title", "genres"));
            };
            byId.putIfAbsent(m.movieId(), m); // ids are unique in MovieLens; keep the first if not
        }
        return new Result(new ArrayList<>(byId.values()), lineNo);
    }

    private static final String[] U_ITEM_FIELDS = uItemFields();

    private static String[] uItemFields() {
        List<String> names = new ArrayList<>(List.of("movieId", "title", "release date", "video release date", "IMDb URL"));
        for (String g : ML100K_GENRES) {
            names.add("genre " + g);
        }
        return names.toArray(new String[0]);
    }

    private static MovieMeta parseUItem(Fields f) {
        int id = f.id(0);
        List<String> genres = new ArrayList<>(3);
        for (int g = 0; g < ML100K_GENRES.size(); g++) {
            String flag = f.text(5 + g).strip();
            if (!flag.equals("0") && !flag.equals("1")) {
                throw f.error(5 + g, "expected 0 or 1, found \"" + flag + "\"");
            }
            String genre = genre(ML100K_GENRES.get(g));
            if (flag.equals("1") && genre != null) {
                genres.add(genre);
            }
        }
        MovieMeta m = withYear(id, f.text(1), genres);
        if (m.year() == 0) { // "unknown" titles have no year; the release date "01-Jan-1995" may
            String date = f.text(2).strip();
            if (date.length() >= 4 && date.substring(date.length() - 4).chars().allMatch(Character::isDigit)) {
                return new MovieMeta(id, m.title(), genres, Integer.parseInt(date.substring(date.length() - 4)));
            }
        }
        return m;
    }

    private static MovieMeta parseTitleGenres(Fields f) {
        int id = f.id(0);
        List<String> genres = new ArrayList<>(4);
        for (String g : f.text(2).split("\\|")) {
            String genre = genre(g);
            if (genre != null) {
                genres.add(genre);
            }
        }
        return withYear(id, f.text(1), genres);
    }

    /** "Toy Story (1995)" -> title "Toy Story", year 1995; no trailing year -> year 0. */
    static MovieMeta withYear(int id, String rawTitle, List<String> genres) {
        Matcher m = TITLE_YEAR.matcher(rawTitle);
        if (m.matches() && !m.group(1).isBlank()) {
            return new MovieMeta(id, m.group(1), genres, Integer.parseInt(m.group(2)));
        }
        return new MovieMeta(id, rawTitle.strip(), genres, 0);
    }

    /** One spelling across layouts: "Children's" (older files) is "Children"; no-genre markers are dropped. */
    static String genre(String raw) {
        String g = raw.strip();
        return switch (g) {
            case "", "unknown", "(no genres listed)" -> null;
            case "Children's" -> "Children";
            default -> g;
        };
    }

    /** ml-100k and ml-1m catalogues are latin-1, ml-latest is UTF-8: try UTF-8 strictly, else latin-1. */
    private static String decode(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
