package io.streamrec.tools.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How far the demo's replay got, kept next to the broker's data so a restarted demo continues with new events instead
 * of replaying ones the users' state already holds (their movies would be "seen" and never hit). Tied to the data
 * source: other data starts from the first event.
 */
final class ReplayPosition {
    private final Path file;
    private final String source;

    ReplayPosition(Path file, String source) {
        this.file = file;
        this.source = source;
    }

    /** The saved position for this source, or 0. */
    int read() {
        try {
            if (!Files.exists(file)) return 0;
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.size() == 2 && lines.get(0).equals(source) ? Integer.parseInt(lines.get(1).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0; // unreadable: start from the beginning
        }
    }

    void write(long position) {
        try {
            Files.writeString(file, source + "\n" + position + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not save the replay position to " + file + ": " + e);
        }
    }
}
