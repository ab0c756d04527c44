package io.streamrec.schemas;

import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A {@link DatumReader} for a generated class with custom coders that reads through the class's own
 * {@code customDecode}, for Avro container files ({@code DataFileReader}) and {@link AvroSerde}. Avro's
 * {@code SpecificDatumReader} takes its "fast reader" instead, which never uses the generated decoder and builds lambdas
 * per field: C2 time at the app's start, when the cores are short (see {@link AvroSerde}). A writer schema other than
 * the class's resolves through Avro's {@link ResolvingDecoder}, as it would there. One instance per thread.
 *
 * @param <T> the generated record class
 */
public final class GeneratedDatumReader<T extends SpecificRecordBase> implements DatumReader<T> {
    private final SpecificData model;
    private final Schema readerSchema;
    private Schema writerSchema;
    private ResolvingDecoder resolver;

    /** Reads values written with the class's own schema until {@link #setSchema} says otherwise. */
    public GeneratedDatumReader(Class<T> type) {
        if (!hasGeneratedCoders(type)) {
            throw new IllegalArgumentException(type.getName() + " has no generated custom coders");
        }
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.writerSchema = readerSchema;
    }

    /** Whether {@code type} is a generated record class with its own {@code customEncode} and {@code customDecode}. */
    static boolean hasGeneratedCoders(Class<?> type) {
        if (!SpecificRecordBase.class.isAssignableFrom(type)) {
            return false;
        }
        try {
            return type.getMethod("customEncode", Encoder.class).getDeclaringClass() != SpecificRecordBase.class
                    && type.getMethod("customDecode", ResolvingDecoder.class).getDeclaringClass() != SpecificRecordBase.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The writer's schema (a container file's, or one of a serde's known versions). */
    @Override
    public void setSchema(Schema writer) {
        if (!Objects.equals(writer, writerSchema)) {
            this.writerSchema = writer;
            this.resolver = null;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T read(T reuse, Decoder in) throws IOException {
        if (resolver == null) {
            resolver = DecoderFactory.get().resolvingDecoder(writerSchema, readerSchema, null);
        }
        resolver.configure(in);
        T record = reuse != null ? reuse : (T) model.newRecord(null, readerSchema);
        record.customDecode(resolver);
        resolver.drain();
        return record;
    }
}
