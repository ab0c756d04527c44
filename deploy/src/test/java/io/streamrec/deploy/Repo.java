package io.streamrec.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository this module checks (the parent of the module directory). */
final class Repo {
    static final Path ROOT = root();

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative).normalize();
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        }
    }

    /** The Kafka version the build pins (root pom.xml), handed over by surefire. */
    static String kafkaVersion() {
        String v = System.getProperty("kafka.version");
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property kafka.version is not set (run through Maven)");
        }
        return v;
    }

    private static Path root() {
        String configured = System.getProperty("streamrec.root");
        Path root = (configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent()).normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("k8s"))) {
            throw new IllegalStateException("not the streamrec repository root: " + root);
        }
        return root;
    }
}
