package io.streamrec.schemas;

import io.streamrec.schemas.WireFormatException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro record class, in Avro single-object encoding (no schema registry):
 *
 * <pre>
 *   C3 01 | 8-byte CRC-64-AVRO fingerprint of the writer schema (little-endian) | Avro binary body
 * </pre>
 *
 * <p>Values are written with the current (compiled-in) schema. They are read with the current schema as the
 * reader schema and any known writer schema: the current one, every released historical version
 * ({@link SchemaHistory}), and any extra writer schemas given to the constructor. Bytes that are not such a
 * value throw {@link WireFormatException} saying why; {@code null} stays {@code null} both ways (tombstones).
 *
 * <p>Instances are immutable and thread-safe; one may be shared by all stream threads. {@link #serializer()} and
 * {@link #deserializer()} return this same object. See {@code docs/wire-format.md}.
 *
 * <p>A generated class with custom coders (all of ours) is written and read by its own generated
 * {@code customEncode}/{@code customDecode}, not through Avro's generic datum writer and reader: those dispatch on the
 * schema at run time (and the reader's "fast reader" builds lambdas per field), and C2 spent ~3 s of a cold start's
 * first 8 s under load compiling them, when two cores have no CPU to spare (docs/benchmarks.md, twenty-second pass).
 * The bytes are the same: the single-object header, then the Avro binary body.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    /** {@code C3 01}, the single-object encoding marker. */
    static final byte MARKER_0 = (byte) 0xC3;
    static final byte MARKER_1 = (byte) 0x01;
    /** Marker plus fingerprint. */
    public static final int HEADER_LENGTH = 10;

    private final Class<T> type;
    private final Schema readerSchema;
    private final String typeName;
    private final long fingerprint;
    /** Known writer schemas and their fingerprints, parallel arrays; tiny, so a linear scan beats a map. */
    private final long[] writerFingerprints;
    private final Schema[] writerSchemas;
    /** {@code C3 01} and the current schema's fingerprint, as every value this serde writes begins. */
    private final byte[] header;
    /** The class's generated coders, or null for a class without them (then the message encoder and decoder below). */
    private final GeneratedCoders<T> coders;
    /** Avro's message encoder and decoder, only for a class without generated coders (null otherwise). */
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    /** A serde that reads the current schema and every historical version of {@code type}. */
    public AvroSerde(Class<T> type) {
        this(type, List.of());
    }

    /**
     * A serde that additionally accepts values written with {@code extraWriterSchemas} (other versions of the
     * same record, e.g. one a producer has not released into {@code schemas/history} yet).
     *
     * @throws IllegalArgumentException if an extra schema is of another record type or cannot be read by the
     *     current schema
     */
    public AvroSerde(Class<T> type, Collection<Schema> extraWriterSchemas) {
        this.type = Objects.requireNonNull(type, "type");
        SpecificData model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        if (readerSchema == null || readerSchema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(type.getName() + " is not a generated Avro record class");
        }
        this.typeName = readerSchema.getName();
        this.fingerprint = SchemaHistory.fingerprint(readerSchema);

        List<Schema> writers = new ArrayList<>(SchemaHistory.writerSchemas(readerSchema));
        for (Schema extra : extraWriterSchemas) {
            if (!extra.getFullName().equals(readerSchema.getFullName())) {
                throw new IllegalArgumentException("extra writer schema " + extra.getFullName()
                        + " is not a version of " + readerSchema.getFullName());
            }
            long fp = SchemaHistory.fingerprint(extra);
            if (writers.stream().noneMatch(w -> SchemaHistory.fingerprint(w) == fp)) {
                writers.add(extra);
            }
        }
        SchemaStore.Cache store = new SchemaStore.Cache();
        this.writerFingerprints = new long[writers.size()];
        this.writerSchemas = new Schema[writers.size()];
        for (int i = 0; i < writers.size(); i++) {
            Schema w = writers.get(i);
            SchemaCompatibility.SchemaPairCompatibility compat =
                    SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, w);
            if (compat.getType() != SchemaCompatibilityType.COMPATIBLE) {
                throw new IllegalArgumentException("the current " + typeName + " schema cannot read writer schema "
                        + SchemaHistory.fingerprintHex(SchemaHistory.fingerprint(w)) + ": "
                        + compat.getResult().getIncompatibilities());
            }
            store.addSchema(w);
            writerFingerprints[i] = SchemaHistory.fingerprint(w);
            writerSchemas[i] = w;
        }
        this.header = new byte[HEADER_LENGTH];
        header[0] = MARKER_0;
        header[1] = MARKER_1;
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        this.coders = GeneratedCoders.of(type, header, writerSchemas);
        // shouldCopy=false: encode() returns a view of a thread-local buffer, which serialize() copies once.
        this.encoder = coders != null ? null : new BinaryMessageEncoder<>(model, readerSchema, false);
        this.decoder = coders != null ? null : new BinaryMessageDecoder<>(model, readerSchema, store);
    }

    /** The generated record class. */
    public Class<T> type() {
        return type;
    }

    /** The current schema: the one values are written with and read into. */
    public Schema schema() {
        return readerSchema;
    }

    /** Fingerprint of the current schema, as written in bytes 2..9 of every value this serde produces. */
    public long fingerprint() {
        return fingerprint;
    }

    /** The 10 bytes every value this serde writes begins with ({@code C3 01}, the fingerprint); a copy. */
    public byte[] header() {
        return header.clone();
    }

    /** Whether values go through the generated class's own coders (every class generated by this build). */
    boolean usesGeneratedCoders() {
        return coders != null;
    }

    /** Every writer schema this serde can read, the current one first. */
    public List<Schema> knownWriterSchemas() {
        return List.of(writerSchemas);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            if (coders != null) {
                return coders.encode(data);
            }
            ByteBuffer buffer = encoder.encode(data);
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot serialize " + typeName + (topic == null ? "" : " for topic "
                    + topic) + ": " + e, e);
        }
    }

    /**
     * Decodes a value.
     *
     * @return the record, or {@code null} for a {@code null} value
     * @throws WireFormatException if the bytes are not a single-object encoded record of a known version of this
     *     serde's schema
     */
    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        checkMarker(data);
        int writerIndex = writerIndex(data);
        BodyScanner.check(data, HEADER_LENGTH, writerSchemas[writerIndex], typeName);
        try {
            return coders != null ? coders.decode(data, writerIndex) : decoder.decode(data);
        } catch (IOException | RuntimeException e) {
            // The scan above accepted the framing, so this is a value the schema forbids (e.g. a bad enum symbol).
            throw new WireFormatException(Reason.MALFORMED_BODY, typeName + " body written with schema "
                    + SchemaHistory.fingerprintHex(readFingerprint(data)) + " does not decode: " + e, e);
        }
    }

    private void checkMarker(byte[] data) {
        if (data.length >= 2 && data[0] == MARKER_0 && data[1] == MARKER_1) {
            if (data.length < HEADER_LENGTH) {
                throw new WireFormatException(Reason.TRUNCATED_HEADER, data.length + " bytes, but a single-object"
                        + " encoded " + typeName + " starts with 10 (C3 01 and the 8-byte schema fingerprint)");
            }
            return;
        }
        if (data.length == 1 && data[0] == MARKER_0) {
            throw new WireFormatException(Reason.TRUNCATED_HEADER, "1 byte (C3), but a single-object encoded "
                    + typeName + " starts with 10 (C3 01 and the 8-byte schema fingerprint)");
        }
        String got = data.length == 0 ? "an empty value" : "a value starting " + hexPrefix(data, 16);
        String hint = data.length > 0 && (data[0] == '{' || data[0] == '[') ? " (looks like JSON text)" : "";
        throw new WireFormatException(Reason.BAD_MARKER, "expected C3 01 (Avro single-object encoding of "
                + typeName + "), got " + got + hint + ", " + data.length + " bytes in all");
    }

    private int writerIndex(byte[] data) {
        long fp = readFingerprint(data);
        for (int i = 0; i < writerFingerprints.length; i++) {
            if (writerFingerprints[i] == fp) {
                return i;
            }
        }
        String other = SchemaHistory.findAny(fp)
                .map(s -> "; it is a schema of " + s.getFullName() + ", not " + readerSchema.getFullName()
                        + " (wrong topic?)")
                .orElse("; not a released version of " + readerSchema.getFullName()
                        + " (schemas/history): was the writer schema changed without being released?");
        throw new WireFormatException(Reason.UNKNOWN_SCHEMA, SchemaHistory.fingerprintHex(fp)
                + " (bytes 2-9, hex as on the wire)" + other);
    }

    /** Bytes 2..9, little-endian. */
    static long readFingerprint(byte[] data) {
        long fp = 0;
        for (int i = 9; i >= 2; i--) {
            fp = (fp << 8) | (data[i] & 0xffL);
        }
        return fp;
    }

    private static String hexPrefix(byte[] data, int max) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(max, data.length);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", data[i] & 0xff));
        }
        if (data.length > n) {
            sb.append(" ...");
        }
        return sb.toString();
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    /** Nothing to configure: the serde is the same for keys and values and needs no registry. */
    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "AvroSerde[" + readerSchema.getFullName() + ", " + writerSchemas.length + " known writer schema(s)]";
    }
}
