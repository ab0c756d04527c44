package io.streamrec.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Record keys: the id as a UTF-8 (ASCII) decimal string in canonical form, the user id for events and
 * recommendations, the movie id for movies and item vectors. Canonical means digits only, no sign, no leading
 * zero (except {@code "0"} itself), no spaces: Kafka partitions by the key bytes, so {@code "007"} and
 * {@code "7"} would land on different partitions and split one user's state. Non-canonical keys are rejected.
 *
 * <p>The parse methods throw {@link IllegalArgumentException} with a message starting {@code "key: "}, e.g.
 * {@code key: not a decimal user id: "abc"}.
 */
public final class Keys {

    private static final int MAX_SHOWN = 40;

    private Keys() {}

    /** The key of a user's events and recommendations. */
    public static byte[] userKey(long userId) {
        if (userId < 0) {
            throw new IllegalArgumentException("key: user id must be >= 0, got " + userId);
        }
        return Long.toString(userId).getBytes(StandardCharsets.US_ASCII);
    }

    /** The key of a movie and its item vector. */
    public static byte[] movieKey(int movieId) {
        if (movieId < 0) {
            throw new IllegalArgumentException("key: movie id must be >= 0, got " + movieId);
        }
        return Integer.toString(movieId).getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a user key. */
    public static long parseUserId(byte[] key) {
        return parse(key, "user", Long.MAX_VALUE);
    }

    /** Parses a movie key. */
    public static int parseMovieId(byte[] key) {
        return (int) parse(key, "movie", Integer.MAX_VALUE);
    }

    /** Parses a user key given as a string. */
    public static long parseUserId(String key) {
        return parseUserId(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a movie key given as a string. */
    public static int parseMovieId(String key) {
        return parseMovieId(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Serde for user keys. Unlike the parse methods it maps a {@code null} key to {@code null} both ways (Kafka's
     * convention); a non-canonical key throws {@link IllegalArgumentException}.
     */
    public static Serde<Long> userIdSerde() {
        return UserIdSerde.SERDE;
    }

    /** Serde for movie keys; {@code null} stays {@code null}, like {@link #userIdSerde()}. */
    public static Serde<Integer> movieIdSerde() {
        return MovieIdSerde.SERDE;
    }

    private static long parse(byte[] key, String kind, long max) {
        if (key == null) {
            throw new IllegalArgumentException("key: missing (null) " + kind + " id");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("key: not a decimal " + kind + " id: empty key");
        }
        if (key[0] == '-' && key.length > 1 && allDigits(key, 1)) {
            throw new IllegalArgumentException("key: not a decimal " + kind + " id (negative): " + show(key));
        }
        if (!allDigits(key, 0)) {
            throw new IllegalArgumentException("key: not a decimal " + kind + " id: " + show(key));
        }
        if (key[0] == '0' && key.length > 1) {
            throw new IllegalArgumentException("key: not a decimal " + kind + " id (leading zero, keys must be"
                    + " canonical): " + show(key));
        }
        long value = 0;
        for (byte b : key) {
            int digit = b - '0';
            if (value > (max - digit) / 10) {
                throw new IllegalArgumentException("key: not a decimal " + kind + " id (out of range, max " + max
                        + "): " + show(key));
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static boolean allDigits(byte[] key, int from) {
        for (int i = from; i < key.length; i++) {
            if (key[i] < '0' || key[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** The key quoted, printable ASCII as is, anything else as {@code \xNN}, cut after 40 bytes. */
    static String show(byte[] key) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(MAX_SHOWN, key.length);
        for (int i = 0; i < n; i++) {
            int b = key[i] & 0xff;
            if (b == '"' || b == '\\') {
                sb.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02X", b));
            }
        }
        sb.append('"');
        if (key.length > n) {
            sb.append("... (").append(key.length).append(" bytes)");
        }
        return sb.toString();
    }

    private static final class UserIdSerde {
        static final Serde<Long> SERDE = Serdes.serdeFrom(
                (Serializer<Long>) (topic, id) -> id == null ? null : userKey(id),
                (Deserializer<Long>) (topic, bytes) -> bytes == null ? null : parseUserId(bytes));
    }

    private static final class MovieIdSerde {
        static final Serde<Integer> SERDE = Serdes.serdeFrom(
                (Serializer<Integer>) (topic, id) -> id == null ? null : movieKey(id),
                (Deserializer<Integer>) (topic, bytes) -> bytes == null ? null : parseMovieId(bytes));
    }
}
