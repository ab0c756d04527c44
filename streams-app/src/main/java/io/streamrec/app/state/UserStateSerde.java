package io.streamrec.app.state;

import io.streamrec.core.model.Float16;
import io.streamrec.core.model.UserState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state-store format of a {@link UserState}: a compact, hand-written binary layout.
 *
 * <p><b>Why hand-written.</b> This is the hot path: the user's state is read from RocksDB and written back (and to
 * the changelog) on every single event. A generic format would cost more than the maths it wraps: Avro's
 * generic/reflect datum readers walk the schema per field, box every float into a {@code Float} inside a
 * {@code List}, and allocate decoders and intermediate objects per record. Here the whole state is a few bulk
 * {@link ByteBuffer} copies into exactly one {@code byte[]} (write) or the {@code float[]}s of the new state (read).
 * The state never leaves the app (store and changelog only), so other languages need not read it; the version byte
 * lets a later release change the layout and still read old stores.
 *
 * <p><b>Layout, version 6</b> (big-endian, as {@link ByteBuffer} writes by default):
 *
 * <table>
 *   <caption>UserState v6</caption>
 *   <tr><th>Bytes</th><th>Field</th></tr>
 *   <tr><td>1</td><td>version, {@code 0x06}</td></tr>
 *   <tr><td>4</td><td>int {@code r}, rating vector length</td></tr>
 *   <tr><td>2·r</td><td>rating vector as IEEE half floats ({@link Float16})</td></tr>
 *   <tr><td>4</td><td>float rating bias</td></tr>
 *   <tr><td>4</td><td>int {@code d}, retrieval vector length</td></tr>
 *   <tr><td>2·d</td><td>retrieval vector as IEEE half floats</td></tr>
 *   <tr><td>8</td><td>long event count</td></tr>
 *   <tr><td>8</td><td>long rating count</td></tr>
 *   <tr><td>8</td><td>double rating sum</td></tr>
 *   <tr><td>8</td><td>long last event time (ms)</td></tr>
 *   <tr><td>4</td><td>int seen-ring capacity</td></tr>
 *   <tr><td>4</td><td>int {@code n}, seen movie ids stored</td></tr>
 *   <tr><td>4·n</td><td>int[] seen movie ids, oldest first</td></tr>
 *   <tr><td>4</td><td>int {@code m}, remembered event ids</td></tr>
 *   <tr><td>8·m</td><td>long[] hashes of the user's latest event ids, oldest first ({@code EventRules.eventIdHash})</td></tr>
 *   <tr><td>4</td><td>int {@code v}, bytes of the model version</td></tr>
 *   <tr><td>v</td><td>UTF-8 version of the model the vectors were fitted against ("" unknown)</td></tr>
 *   <tr><td>4</td><td>int {@code h}, remembered events</td></tr>
 *   <tr><td>4·h</td><td>int[] their movie ids, oldest first</td></tr>
 *   <tr><td>4·h</td><td>float[] their ratings (NaN for a watch)</td></tr>
 *   <tr><td>4·h</td><td>float[] their completions (NaN for a rating)</td></tr>
 *   <tr><td>4</td><td>int {@code t}, movies of the last list sent</td></tr>
 *   <tr><td>4·t</td><td>int[] their ids, best first</td></tr>
 *   <tr><td>4</td><td>int {@code l}, bytes of the model version that made the list; −1 for a list kept without
 *       scores (ids only, at most 10: one read from version 5), and then nothing follows</td></tr>
 *   <tr><td>l</td><td>UTF-8 model version of the list</td></tr>
 *   <tr><td>4·t</td><td>float[] the movies' scores</td></tr>
 *   <tr><td>8</td><td>long when the list was made (epoch ms)</td></tr>
 *   <tr><td>8</td><td>long the event count it was made from</td></tr>
 * </table>
 *
 * <p><b>Why the whole list.</b> The query API serves a user's list from this state, so each event writes one record
 * to one store and its changelog instead of a second record to a store of lists (docs/benchmarks.md, twelfth pass).
 *
 * <p><b>Why half floats.</b> The vectors were 1,280 of the ~1.5 KB written to the store and its changelog per event with
 * the trained model (rating d = 256, retrieval d = 64); as halves they are 640. Their precision (11 significant bits,
 * relative error ≤ 2⁻¹¹) was measured not to change the streaming protocol's RMSE or HR@10 (docs/benchmarks.md); the
 * protocol rounds its states the same way after each event ({@link UserState#roundVectorsToStored()}), so the app and
 * the protocol still serve identical lists. The bias and counters stay exact.
 *
 * <p>Still read: version 5, the same up to the last list's ids (at most 10, no scores: not servable, the query API
 * then reads the list store older releases wrote), version 4, as 5 with float (4-byte) vectors, version 3, without the model version, history and last list (read as "" and none: the vectors are
 * then kept under whatever model is served, there being no history to re-fit them from), version 2, also without
 * the event ids (read as none), and version 1, which also had one length for both vectors (no second int before
 * the retrieval vector).
 *
 * <p>Total {@value #FIXED_BYTES} + 2·r + 2·d + 4·n + 8·m + v + 12·h + 4·t bytes, + l + 4·t + 16 with a servable list ({@link #serializedSize(UserState)}). {@code null} stays
 * {@code null} both ways. Bytes that are not such a record (unknown version, truncated, trailing bytes, negative
 * or inconsistent lengths) throw a {@link SerializationException} saying which. Thread-safe (its only state is a cache of the last
 * model version seen); the serde, serializer and deserializer are this one object.
 */
public final class UserStateSerde implements Serde<UserState>, Serializer<UserState>, Deserializer<UserState> {

    /** The format version written; this, 5, 4, 3, 2 and 1 are read. */
    public static final byte VERSION = 6;
    private static final byte VERSION_5 = 5;
    private static final byte VERSION_4 = 4;
    private static final byte VERSION_3 = 3;
    private static final byte VERSION_2 = 2;
    private static final byte VERSION_1 = 1;

    /** Bytes that do not depend on the dimensions or the number of seen and event ids. */
    public static final int FIXED_BYTES = 1 + 4 + 4 + 4 + 8 + 8 + 8 + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 4;

    /** More remembered events, or a longer model version, than this are taken as corruption. */
    private static final int MAX_HISTORY = 1 << 16, MAX_VERSION_BYTES = 1 << 12, MAX_LIST = 1 << 16;

    /** More remembered event ids than this are taken as corruption. */
    private static final int MAX_EVENT_IDS = 1 << 16;

    /** Vectors longer than this are taken as corruption rather than allocated. */
    private static final int MAX_DIM = 1 << 16;

    @Override
    public Serializer<UserState> serializer() {
        return this;
    }

    @Override
    public Deserializer<UserState> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure (overrides the defaults inherited from Serde, Serializer and Deserializer)
    }

    @Override
    public void close() {
        // nothing to release: stateless, shared by all threads
    }

    /** The exact number of bytes {@link #serialize} writes for {@code state}. */
    public static int serializedSize(UserState state) {
        return FIXED_BYTES + 2 * state.ratingDim() + 2 * state.retrievalDim() + 4 * state.seenSize()
                + 8 * state.eventIdCount() + utf8Length(state.modelVersion()) + 12 * state.historyCount()
                + 4 * state.lastListSize()
                + (state.hasServableList() ? utf8Length(state.lastListModelVersion()) + 4 * state.lastListSize() + 16 : 0);
    }

    /** UTF-8 length of {@code s} without encoding it. */
    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    @Override
    public byte[] serialize(String topic, UserState state) {
        if (state == null) {
            return null;
        }
        byte[] out = new byte[serializedSize(state)];
        ByteBuffer buf = ByteBuffer.wrap(out);
        buf.put(VERSION);
        putHalves(buf, state.ratingVector());
        buf.putFloat(state.ratingBias());
        putHalves(buf, state.retrievalVector());
        buf.putLong(state.eventCount());
        buf.putLong(state.ratingCount());
        buf.putDouble(state.ratingSum());
        buf.putLong(state.lastEventTime());
        buf.putInt(state.seenCapacity());
        int n = state.seenSize();
        buf.putInt(n);
        for (int k = 0; k < n; k++) {
            buf.putInt(state.seen(k));
        }
        int m = state.eventIdCount();
        buf.putInt(m);
        for (int k = 0; k < m; k++) {
            buf.putLong(state.eventId(k));
        }
        byte[] version = versionBytes(state.modelVersion());
        buf.putInt(version.length);
        buf.put(version);
        int h = state.historyCount();
        buf.putInt(h);
        for (int k = 0; k < h; k++) buf.putInt(state.historyMovie(k));
        for (int k = 0; k < h; k++) buf.putFloat(state.historyRating(k));
        for (int k = 0; k < h; k++) buf.putFloat(state.historyCompletion(k));
        int t = state.lastListSize();
        buf.putInt(t);
        for (int r = 0; r < t; r++) buf.putInt(state.lastListMovie(r));
        if (!state.hasServableList()) {
            buf.putInt(-1);
            return out;
        }
        byte[] listVersion = versionBytes(state.lastListModelVersion());
        buf.putInt(listVersion.length);
        buf.put(listVersion);
        for (int r = 0; r < t; r++) buf.putFloat(state.lastListScore(r));
        buf.putLong(state.lastListGeneratedAt());
        buf.putLong(state.lastListEventCount());
        return out;
    }

    @Override
    public UserState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0) {
            throw new SerializationException("UserState: empty value");
        }
        byte version = data[0];
        if (version != VERSION && version != VERSION_5 && version != VERSION_4 && version != VERSION_3 && version != VERSION_2 && version != VERSION_1) {
            throw new SerializationException("UserState: unknown format version " + (data[0] & 0xff)
                    + " (this build reads version " + VERSION + " and older); the store was written by a newer release or"
                    + " is not a UserState store");
        }
        ByteBuffer buf = ByteBuffer.wrap(data);
        buf.get();
        try {
            boolean halves = version >= VERSION_5;
            int bytesPerValue = halves ? 2 : 4;
            int ratingDim = dimension(buf, "rating", bytesPerValue);
            float[] ratingVector = halves ? getHalves(buf, ratingDim) : getVector(buf, ratingDim);
            float ratingBias = buf.getFloat();
            int retrievalDim = version == VERSION_1 ? ratingVector.length : dimension(buf, "retrieval", bytesPerValue);
            float[] retrievalVector = halves ? getHalves(buf, retrievalDim) : getVector(buf, retrievalDim);
            long eventCount = buf.getLong();
            long ratingCount = buf.getLong();
            double ratingSum = buf.getDouble();
            long lastEventTime = buf.getLong();
            int capacity = buf.getInt();
            int n = buf.getInt();
            if (capacity < 0 || n < 0 || n > capacity) {
                throw new SerializationException("UserState: bad seen ring: " + n + " ids for capacity " + capacity);
            }
            boolean withEventIds = version >= VERSION_3;
            if (withEventIds ? buf.remaining() < 4L * n + 4 : buf.remaining() != 4L * n) {
                throw new SerializationException("UserState: " + buf.remaining() + " bytes left for " + n
                        + " seen ids (" + 4L * n + (withEventIds ? " and the event ids" : "") + " expected)");
            }
            int[] seen = new int[n];
            buf.asIntBuffer().get(seen);
            buf.position(buf.position() + 4 * n);
            long[] eventIds = NO_EVENT_IDS;
            if (withEventIds) {
                int m = buf.getInt();
                boolean last = version == VERSION_3;
                if (m < 0 || m > MAX_EVENT_IDS || (last ? buf.remaining() != 8L * m : buf.remaining() < 8L * m + 12)) {
                    throw new SerializationException("UserState: " + buf.remaining() + " bytes left for " + m
                            + " event ids" + (last ? "" : " and the model version, history and last list"));
                }
                eventIds = new long[m];
                buf.asLongBuffer().get(eventIds);
                buf.position(buf.position() + 8 * m);
            }
            UserState state = UserState.restore(ratingVector, ratingBias, retrievalVector, eventCount, ratingCount,
                    ratingSum, lastEventTime, seen, capacity, eventIds);
            if (version >= VERSION_4) readLifecycle(buf, state, version == VERSION);
            return state;
        } catch (BufferUnderflowException e) {
            throw new SerializationException("UserState: truncated value of " + data.length + " bytes", e);
        }
    }

    private static final long[] NO_EVENT_IDS = new long[0];

    /** Versions 4 to 6's tail: model version, history, last list (whole from 6); exactly to the end of the value. */
    private void readLifecycle(ByteBuffer buf, UserState state, boolean wholeList) {
        int v = buf.getInt();
        if (v < 0 || v > MAX_VERSION_BYTES || buf.remaining() < v + 8L) {
            throw new SerializationException("UserState: bad model version length " + v + " (" + buf.remaining() + " bytes left)");
        }
        String modelVersion = versionString(buf.array(), buf.arrayOffset() + buf.position(), v);
        buf.position(buf.position() + v);
        int h = buf.getInt();
        if (h < 0 || h > MAX_HISTORY || buf.remaining() < 12L * h + 4) {
            throw new SerializationException("UserState: " + buf.remaining() + " bytes left for " + h + " remembered events");
        }
        int[] movies = new int[h];
        float[] ratings = new float[h], completions = new float[h];
        buf.asIntBuffer().get(movies);
        buf.position(buf.position() + 4 * h);
        buf.asFloatBuffer().get(ratings);
        buf.position(buf.position() + 4 * h);
        buf.asFloatBuffer().get(completions);
        buf.position(buf.position() + 4 * h);
        int t = buf.getInt();
        if (t < 0 || t > (wholeList ? MAX_LIST : UserState.LAST_LIST_MAX)
                || (wholeList ? buf.remaining() < 4L * t + 4 : buf.remaining() != 4L * t)) {
            throw new SerializationException("UserState: " + buf.remaining() + " bytes left for a last list of " + t);
        }
        int[] list = new int[t];
        buf.asIntBuffer().get(list);
        buf.position(buf.position() + 4 * t);
        state.modelVersion(modelVersion);
        state.restoreHistory(movies, ratings, completions);
        int l = wholeList ? buf.getInt() : -1;
        if (l == -1) {
            if (t > UserState.LAST_LIST_MAX || buf.hasRemaining()) {
                throw new SerializationException("UserState: " + buf.remaining() + " bytes left after a last list without"
                        + " scores of " + t + " ids (at most " + UserState.LAST_LIST_MAX + ", nothing after them)");
            }
            state.lastList(list, t);
            return;
        }
        if (l < 0 || l > MAX_VERSION_BYTES || buf.remaining() != l + 4L * t + 16) {
            throw new SerializationException("UserState: " + buf.remaining() + " bytes left for a last list's model version of "
                    + l + " bytes, " + t + " scores and two stamps");
        }
        String listVersion = versionString(buf.array(), buf.arrayOffset() + buf.position(), l);
        buf.position(buf.position() + l);
        float[] scores = new float[t];
        buf.asFloatBuffer().get(scores);
        buf.position(buf.position() + 4 * t);
        state.restoreLastList(list, scores, t, listVersion, buf.getLong(), buf.getLong());
    }

    private static void putHalves(ByteBuffer buf, float[] v) {
        buf.putInt(v.length);
        for (float x : v) buf.putShort(Float16.fromFloat(x));
    }

    private static float[] getHalves(ByteBuffer buf, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) v[i] = Float16.toFloat(buf.getShort());
        return v;
    }

    /**
     * The last model version read or written, as UTF-8 and as a String: every state of a served model carries the
     * same version, so reads and writes reuse these instead of decoding and encoding it per event. Immutable and
     * published through a volatile field: any thread may replace it, and a reader sees a consistent pair.
     */
    private record CachedVersion(byte[] utf8, String string) {}

    private volatile CachedVersion lastVersion = new CachedVersion(new byte[0], "");

    private byte[] versionBytes(String version) {
        CachedVersion c = lastVersion;
        if (c.string.equals(version)) return c.utf8;
        byte[] utf8 = version.getBytes(StandardCharsets.UTF_8);
        lastVersion = new CachedVersion(utf8, version);
        return utf8;
    }

    private String versionString(byte[] data, int offset, int length) {
        CachedVersion c = lastVersion;
        if (java.util.Arrays.equals(c.utf8, 0, c.utf8.length, data, offset, offset + length)) return c.string;
        String s = new String(data, offset, length, StandardCharsets.UTF_8);
        lastVersion = new CachedVersion(java.util.Arrays.copyOfRange(data, offset, offset + length), s);
        return s;
    }

    private static int dimension(ByteBuffer buf, String which, int bytesPerValue) {
        int dim = buf.getInt();
        if (dim < 0 || dim > MAX_DIM) {
            throw new SerializationException("UserState: bad " + which + " dimension " + dim);
        }
        if (buf.remaining() < (long) bytesPerValue * dim) {
            throw new SerializationException("UserState: truncated: " + buf.remaining() + " bytes left for a "
                    + which + " vector of dimension " + dim);
        }
        return dim;
    }

    private static float[] getVector(ByteBuffer buf, int dim) {
        float[] v = new float[dim];
        buf.asFloatBuffer().get(v);
        buf.position(buf.position() + 4 * dim);
        return v;
    }
}
