package io.streamrec.app.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bearer tokens the API accepts ({@code Authorization: Bearer <token>}), read once at start-up from a file: one
 * token per line, blank lines and lines starting with {@code #} ignored, surrounding spaces trimmed. A Kubernetes
 * Secret mounted as a volume is such a file. No file configured means no tokens: every request is allowed (then
 * {@code http.host} should keep the API on the loopback interface).
 *
 * <p>Comparison is constant-time: the presented token and every accepted one are hashed with SHA-256 (so length does
 * not leak either) and compared with {@link MessageDigest#isEqual}, against all tokens without stopping at a match.
 * Thread-safe (immutable).
 */
public final class ApiTokens {
    private static final String BEARER = "Bearer ";
    /** A token shorter than this is refused when the file is read: guessable. */
    static final int MIN_TOKEN_CHARS = 16;

    private final List<byte[]> hashes;

    private ApiTokens(List<byte[]> hashes) {
        this.hashes = List.copyOf(hashes);
    }

    /** No tokens: authentication is off. */
    public static ApiTokens none() {
        return new ApiTokens(List.of());
    }

    /** The given tokens. */
    public static ApiTokens of(List<String> tokens) {
        List<byte[]> hashes = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            if (t.length() < MIN_TOKEN_CHARS) {
                throw new IllegalArgumentException("an API token must have at least " + MIN_TOKEN_CHARS
                        + " characters (e.g. `openssl rand -hex 32`)");
            }
            hashes.add(sha256(t));
        }
        return new ApiTokens(hashes);
    }

    /**
     * The tokens in {@code file}; {@code null} means none configured.
     *
     * @throws IllegalArgumentException if the file cannot be read, has no token, or has a token that is too short
     *         (the message names the file, never a token)
     */
    public static ApiTokens read(Path file) {
        if (file == null) return none();
        List<String> tokens = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) tokens.add(t);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("http.tokens.file " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (tokens.isEmpty()) throw new IllegalArgumentException("http.tokens.file " + file + ": holds no token");
        try {
            return of(tokens);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("http.tokens.file " + file + ": " + e.getMessage());
        }
    }

    /** Whether any token is configured (then requests must present one). */
    public boolean enabled() {
        return !hashes.isEmpty();
    }

    /** Whether an {@code Authorization} header value carries an accepted bearer token; true when none is configured. */
    public boolean allows(String authorizationHeader) {
        if (hashes.isEmpty()) return true;
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = sha256(authorizationHeader.substring(BEARER.length()).strip());
        boolean match = false;
        for (byte[] h : hashes) match |= MessageDigest.isEqual(h, presented); // no early exit
        return match;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
