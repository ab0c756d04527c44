package io.streamrec.app.items;

import io.streamrec.avro.ItemVector;
import io.streamrec.schemas.AvroSerde;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.schemas.WireFormatException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Writes and reads {@code ItemVector} values (the {@code item-vectors} topic, and the item owner's store) straight
 * from and into {@code float[]} rows, in the same single-object encoding {@link RecordSerdes#itemVector()} produces,
 * byte for byte. Hand-written over Avro's own {@link BinaryEncoder}/{@link BinaryDecoder} because it runs once per
 * event on the item side: the generated class holds its vectors as {@code List<Float>}, a boxed object per
 * component (256 + 32 per record by default). Values written with another (historical) writer schema are read
 * through {@link RecordSerdes#itemVector()}, which resolves them. One instance per thread (it reuses buffers).
 */
public final class ItemVectorCodec {
    private static final AvroSerde<ItemVector> SERDE = RecordSerdes.itemVector();
    private static final byte[] HEADER = SERDE.header();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    /** One decoded item vector; its arrays are reused by every {@link #read}. */
    public static final class Buffer {
        public int movieId;
        public float[] vector = new float[0];
        public int vectorLength;
        public float bias;
        public float[] retrievalVector = new float[0];
        public int retrievalLength;
        public float retrievalBias;
        public long popularity;
        /** The model version, UTF-8, reused by every read (no String per record). */
        final org.apache.avro.util.Utf8 version = new org.apache.avro.util.Utf8();

        /** Whether the vector belongs to the model version whose UTF-8 bytes are {@code utf8}. */
        public boolean isVersion(byte[] utf8) {
            return Arrays.equals(version.getBytes(), 0, version.getByteLength(), utf8, 0, utf8.length);
        }

        public String modelVersion() {
            return version.toString();
        }

        float[] ensure(float[] a, int n) {
            return a.length >= n ? a : new float[n];
        }
    }

    /** The encoded value of one movie's vectors (rating row q[qOff..+rd), retrieval row v[vOff..+d)). */
    public byte[] write(int movieId, float[] q, int qOff, int rd, float bias, float[] v, int vOff, int d, float retrievalBias,
                        long popularity, String modelVersion) {
        out.reset();
        out.write(HEADER, 0, HEADER.length);
        try {
            encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
            encoder.writeInt(movieId);
            floats(q, qOff, rd);
            encoder.writeFloat(bias);
            floats(v, vOff, d);
            encoder.writeFloat(retrievalBias);
            encoder.writeLong(popularity);
            encoder.writeString(modelVersion);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    private void floats(float[] a, int off, int n) throws IOException {
        encoder.writeArrayStart();
        encoder.setItemCount(n);
        for (int i = 0; i < n; i++) {
            encoder.startItem();
            encoder.writeFloat(a[off + i]);
        }
        encoder.writeArrayEnd();
    }

    /** Decodes {@code bytes} into {@code into}; throws {@link WireFormatException} for bytes that are no ItemVector. */
    public Buffer read(byte[] bytes, Buffer into) {
        if (bytes == null || bytes.length < HEADER.length || !Arrays.equals(bytes, 0, 2, HEADER, 0, 2)) {
            throw new WireFormatException(WireFormatException.Reason.BAD_MARKER, "not an ItemVector in single-object encoding");
        }
        // Another writer schema than the current one: the serde resolves it.
        if (!Arrays.equals(bytes, 0, HEADER.length, HEADER, 0, HEADER.length)) return copy(SERDE.deserialize(null, bytes), into);
        try {
            decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER.length, bytes.length - HEADER.length,
                    decoder);
            into.movieId = decoder.readInt();
            into.vectorLength = readFloats(into, true);
            into.bias = decoder.readFloat();
            into.retrievalLength = readFloats(into, false);
            into.retrievalBias = decoder.readFloat();
            into.popularity = decoder.readLong();
            decoder.readString(into.version);
            return into;
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED_BODY, "ItemVector: " + e.getMessage(), e);
        }
    }

    private int readFloats(Buffer b, boolean rating) throws IOException {
        int n = 0;
        for (long block = decoder.readArrayStart(); block != 0; block = decoder.arrayNext()) {
            if (block < 0 || n + block > 1 << 20) throw new IOException("array block of " + block + " items");
            float[] a = rating ? b.vector : b.retrievalVector;
            a = b.ensure(a, n + (int) block);
            if (rating) b.vector = a; else b.retrievalVector = a;
            for (long i = 0; i < block; i++) a[n++] = decoder.readFloat();
        }
        return n;
    }

    private static Buffer copy(ItemVector v, Buffer into) {
        into.movieId = v.getMovieId();
        into.vector = into.ensure(into.vector, v.getVector().size());
        into.vectorLength = fill(v.getVector(), into.vector);
        into.bias = v.getBias();
        into.retrievalVector = into.ensure(into.retrievalVector, v.getRetrievalVector().size());
        into.retrievalLength = fill(v.getRetrievalVector(), into.retrievalVector);
        into.retrievalBias = v.getRetrievalBias();
        into.popularity = v.getPopularity();
        into.version.set(v.getModelVersion());
        return into;
    }

    private static int fill(List<Float> from, float[] to) {
        for (int i = 0; i < from.size(); i++) to[i] = from.get(i);
        return from.size();
    }
}
