package io.streamrec.trainer.data;

import io.streamrec.core.events.RatingScale;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Streams a MovieLens ratings file into an {@link Interactions.Builder}, one line at a time. */
final class RatingsReader {

    /** Counts for the {@link LoadSummary}. */
    static final class Stats {
        long lines;
        int accepted;
        int outOfRange;
    }

    private RatingsReader() {
    }

    /** First line of a file, "" if empty: enough to recognise a separator. */
    static String firstLine(Path path) {
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.ISO_8859_1)) {
            String line = r.readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    static Stats read(Path path, Layout layout, Interactions.Builder out) {
        String file = path.getFileName().toString();
        Stats stats = new Stats();
        // Ratings files are plain ASCII; latin-1 decoding is the cheapest and never fails.
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = r.readLine()) != null) {
                stats.lines++;
                if (stats.lines == 1 && isHeader(line, layout)) {
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                Fields f = Fields.split(file, stats.lines, line, layout.separator,
                        "userId", "movieId", "rating", "timestamp");
                int user = f.id(0);
                int movie = f.id(1);
                float rating = f.number(2);
                long seconds = f.int64(3);
                if (!RatingScale.contains(rating)) {
                    stats.outOfRange++; // a bad value in otherwise good data: skip it, but say so
                    continue;
                }
                if (Math.abs(seconds) > Long.MAX_VALUE / 1000) {
                    throw f.error(3, "out of range for unix seconds: " + seconds);
                }
                out.addRating(user, movie, rating, seconds * 1000L);
                stats.accepted++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        return stats;
    }

    /** The CSV header is skipped when present; a split file written without one still loads. */
    private static boolean isHeader(String line, Layout layout) {
        // A UTF-8 byte-order mark, as latin-1 sees it.
        String l = line.startsWith("\u00EF\u00BB\u00BF") ? line.substring(3) : line;
        return layout.ratingsHeader != null && l.strip().equalsIgnoreCase(layout.ratingsHeader);
    }
}
