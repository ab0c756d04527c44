package io.streamrec.trainer.data;

import java.util.List;

/**
 * What a load did, for the log and the evaluation report: which layout and files, how many lines
 * were read, how many events were kept, and what was set aside.
 *
 * @param rejectedOutOfRange ratings outside [0.5, 5] — dropped, not in the events
 * @param unknownMovies      events whose movie is not in the catalogue file — kept, and the
 *                           catalogue was given a placeholder entry for each such movie
 */
public record LoadSummary(String layout, List<String> files, long linesRead, int eventsAccepted,
                          int rejectedOutOfRange, int unknownMovies) {
    public LoadSummary {
        files = List.copyOf(files);
    }

    /** One line for the console. */
    @Override
    public String toString() {
        String source = files.isEmpty() ? layout : layout + " " + String.join(" + ", files);
        return String.format("%s: %,d lines read, %,d events, %,d out-of-range ratings rejected,"
                        + " %,d events for movies missing from the catalogue",
                source, linesRead, eventsAccepted, rejectedOutOfRange, unknownMovies);
    }
}
