package io.streamrec.schemas;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Single-object encoding through a generated class's own {@code customEncode}/{@code customDecode} (see
 * {@link AvroSerde} for why); reading through {@link GeneratedDatumReader}, so an older writer schema resolves as in
 * Avro's generic reader. Per-thread scratch (encoder, decoder, one reader per writer schema): a serde is shared by
 * every stream thread.
 */
final class GeneratedCoders<T extends SpecificRecord> {
    private final Class<T> type;
    private final Schema[] writerSchemas;
    /** {@code C3 01} and the current schema's fingerprint, little-endian. */
    private final byte[] header;
    private final ThreadLocal<Scratch> scratch;

    private GeneratedCoders(Class<T> type, byte[] header, Schema[] writerSchemas) {
        this.type = type;
        this.writerSchemas = writerSchemas;
        this.header = header;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(writerSchemas.length));
    }

    /** Coders for {@code type}, or null when it is not a generated class with custom coders. */
    static <T extends SpecificRecord> GeneratedCoders<T> of(Class<T> type, byte[] header, Schema[] writerSchemas) {
        return GeneratedDatumReader.hasGeneratedCoders(type) ? new GeneratedCoders<>(type, header, writerSchemas) : null;
    }

    byte[] encode(T record) throws IOException {
        Scratch s = scratch.get();
        s.out.reset();
        s.out.write(header, 0, header.length);
        // direct (unbuffered) into the unsynchronised buffer: nothing of a failed encode is left to leak into the next
        s.encoder = EncoderFactory.get().directBinaryEncoder(s.out, s.encoder);
        ((SpecificRecordBase) record).customEncode(s.encoder);
        return s.out.toByteArray();
    }

    /** Decodes the body of {@code data} (header already checked) written with writer schema {@code writerIndex}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    T decode(byte[] data, int writerIndex) throws IOException {
        Scratch s = scratch.get();
        s.decoder = DecoderFactory.get().binaryDecoder(data, AvroSerde.HEADER_LENGTH, data.length - AvroSerde.HEADER_LENGTH,
                s.decoder);
        GeneratedDatumReader reader = s.readers[writerIndex];
        if (reader == null) {
            reader = new GeneratedDatumReader(type.asSubclass(SpecificRecordBase.class));
            reader.setSchema(writerSchemas[writerIndex]);
            s.readers[writerIndex] = reader;
        }
        return (T) reader.read(null, s.decoder);
    }

    private static final class Scratch {
        final Bytes out = new Bytes();
        final GeneratedDatumReader<?>[] readers;
        BinaryEncoder encoder;
        BinaryDecoder decoder;

        Scratch(int writers) {
            this.readers = new GeneratedDatumReader<?>[writers];
        }
    }

    /**
     * A growable byte buffer; unlike {@link java.io.ByteArrayOutputStream}, not synchronised (the direct encoder writes
     * byte by byte). Kafka's equivalent is in an internal package, Avro's a list of buffers: hand-written, a dozen lines.
     */
    private static final class Bytes extends OutputStream {
        private byte[] buf = new byte[256];
        private int size;

        void reset() {
            size = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }
    }
}
