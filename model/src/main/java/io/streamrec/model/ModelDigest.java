package io.streamrec.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The digest a published model version carries ({@code ModelVersion.digest}, docs/wire-format.md): {@code sha256:} and
 * the hex SHA-256 over the directory's regular files sorted by relative path, each as its relative path (UTF-8,
 * {@code /} separators), a 0 byte, its size (8 bytes, big-endian) and its bytes. Names and sizes are in it, so a renamed
 * or truncated file changes it too. Also where a published {@code location} is turned into a directory.
 */
public final class ModelDigest {
    public static final String PREFIX = "sha256:";

    private ModelDigest() {}

    public static String of(Path dir) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted((a, b) -> name(dir, a).compareTo(name(dir, b))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list model directory " + dir, e);
        }
        if (files.isEmpty()) throw new IllegalArgumentException("model directory " + dir + " holds no files");
        byte[] buffer = new byte[1 << 16];
        for (Path f : files) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), sha)) {
                sha.update(name(dir, f).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(ByteBuffer.allocate(8).putLong(Files.size(f)).array());
                while (in.read(buffer) >= 0) {
                    // DigestInputStream feeds sha
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        }
        return PREFIX + HexFormat.of().formatHex(sha.digest());
    }

    private static String name(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

    /**
     * The directory a published {@code location} names: a {@code file:} URI or an absolute path. Other schemes (object
     * stores) are not read by this build and are refused with a message saying so.
     */
    public static Path directory(String location) {
        if (location.startsWith("/")) return Path.of(location);
        URI uri = URI.create(location);
        if ("file".equals(uri.getScheme())) return Path.of(uri);
        throw new IllegalArgumentException("model location " + location + ": only file: URIs and absolute paths on storage"
                + " every instance mounts are supported (object-store URLs are not yet)");
    }

    /** The {@code location} to publish for a local directory: its absolute {@code file:} URI. */
    public static String location(Path dir) {
        return dir.toAbsolutePath().normalize().toUri().toString();
    }
}
