package io.streamrec.app.items;

import io.streamrec.core.learn.ItemFeedback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The value of the app's internal {@code <application.id>-item-feedback} topic (key: the movie id, as on every
 * movie-keyed topic): what one event teaches its movie ({@link ItemFeedback}), sent by the user's task to the task
 * that owns the movie's vectors. Internal to one deployment (both ends are this class), so a fixed big-endian
 * layout written with a {@link ByteBuffer} rather than an Avro schema; the leading format byte lets a later layout
 * be told apart:
 * <pre>
 *   byte 1 | long userId | long eventCount (the user's count after the event) | short n, n UTF-8 bytes: model version
 *   | float ratingError (NaN: no rating) | int ratingDim, ratingDim floats p_u
 *   | float retrievalGradient | int dim, dim floats u
 * </pre>
 * The user id and event count make each message traceable to its event (tests check one message per event).
 */
public final class ItemFeedbackCodec {
    static final byte FORMAT = 1;

    private ItemFeedbackCodec() {}

    public static byte[] write(ItemFeedback fb, long userId, long eventCount, byte[] modelVersionUtf8) {
        float[] p = fb.userRatingVector(), u = fb.userRetrievalVector();
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 2 + modelVersionUtf8.length + 4 + 4 + 4 * p.length + 4 + 4 + 4 * u.length);
        b.put(FORMAT).putLong(userId).putLong(eventCount).putShort((short) modelVersionUtf8.length).put(modelVersionUtf8);
        b.putFloat(fb.ratingError()).putInt(p.length);
        for (float x : p) b.putFloat(x);
        b.putFloat(fb.retrievalGradient()).putInt(u.length);
        for (float x : u) b.putFloat(x);
        return b.array();
    }

    /** The header of a message: who sent it, on which model. */
    public record Origin(long userId, long eventCount, String modelVersion) {}

    /**
     * Reads a message into {@code into} (whose dimensions must match the message's) for movie {@code movieId} at
     * dense index {@code item}; throws {@link IllegalArgumentException} when the bytes are not such a message or its
     * dimensions differ from the buffer's (feedback made for another model). Allocates nothing.
     */
    public static void read(byte[] bytes, int movieId, int item, ItemFeedback into) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.get() != FORMAT) throw new IllegalArgumentException("unknown item-feedback format " + bytes[0]);
            b.position(17);
            b.position(19 + b.getShort());
            float err = b.getFloat();
            readFloats(b, into.userRatingVector());
            float g = b.getFloat();
            readFloats(b, into.userRetrievalVector());
            into.restore(movieId, item, err, g);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed item-feedback message: " + e.getMessage(), e);
        }
    }

    /** Who sent a message, on which model (for tracing and tests). */
    public static Origin origin(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.get() != FORMAT) throw new IllegalArgumentException("unknown item-feedback format " + bytes[0]);
        long userId = b.getLong(), eventCount = b.getLong();
        byte[] v = new byte[b.getShort()];
        b.get(v);
        return new Origin(userId, eventCount, new String(v, StandardCharsets.UTF_8));
    }

    /** Whether a message was made on the model version whose UTF-8 bytes are {@code versionUtf8}; allocates nothing. */
    public static boolean madeOn(byte[] bytes, byte[] versionUtf8) {
        if (bytes == null || bytes.length < 19 || bytes[0] != FORMAT) throw new IllegalArgumentException("not an item-feedback message");
        int n = ((bytes[17] & 0xff) << 8) | (bytes[18] & 0xff);
        if (19 + n > bytes.length) throw new IllegalArgumentException("truncated item-feedback message");
        return java.util.Arrays.equals(bytes, 19, 19 + n, versionUtf8, 0, versionUtf8.length);
    }

    private static void readFloats(ByteBuffer b, float[] into) {
        int n = b.getInt();
        if (n != into.length) throw new IllegalArgumentException("vector of " + n + " components, the model's has " + into.length);
        for (int i = 0; i < n; i++) into[i] = b.getFloat();
    }
}
