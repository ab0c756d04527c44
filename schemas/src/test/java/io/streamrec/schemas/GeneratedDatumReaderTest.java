package io.streamrec.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.schemas.Samples.Sample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Container files (as the model directory's) read through the generated decoders, as Avro's own reader reads them. */
class GeneratedDatumReaderTest {

    static List<Sample<?>> samples() {
        return Samples.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T extends SpecificRecord> void readsAContainerFileWrittenByAvrosSpecificWriter(Sample<T> sample) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Schema schema = sample.record().getSchema();
        try (DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<T>(schema))) {
            w.create(schema, file);
            w.append(sample.record());
            w.append(sample.record());
        }
        assertEquals(List.of(sample.record(), sample.record()), readAll(file.toByteArray(), sample.serde().type()));
    }

    /** A file of an older released version: the fields it has come through, the rest take their defaults. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void readsAContainerFileOfAHistoricalVersion(Sample<?> sample) throws IOException {
        Schema current = sample.record().getSchema();
        for (Schema old : SchemaHistory.historicalVersions(current.getFullName())) {
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(old))) {
                w.create(old, file);
                w.append((GenericRecord) AvroSerdeTest.toGeneric(sample.record(), old));
            }
            SpecificRecord read = readAll(file.toByteArray(), sample.serde().type()).get(0);
            for (Schema.Field f : old.getFields()) {
                int pos = current.getField(f.name()).pos();
                assertEquals(sample.record().get(pos), read.get(pos), f.name());
            }
        }
    }

    @Test
    void onlyGeneratedClassesWithCustomCodersQualify() {
        assertTrue(GeneratedDatumReader.hasGeneratedCoders(io.streamrec.avro.Recommendations.class));
        assertFalse(GeneratedDatumReader.hasGeneratedCoders(SpecificRecordBase.class));
        assertFalse(GeneratedDatumReader.hasGeneratedCoders(String.class));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<SpecificRecord> readAll(byte[] file, Class<?> type) throws IOException {
        List<SpecificRecord> out = new ArrayList<>();
        try (DataFileStream<SpecificRecord> r = new DataFileStream<>(new ByteArrayInputStream(file),
                new GeneratedDatumReader(type.asSubclass(SpecificRecordBase.class)))) {
            for (SpecificRecord rec : r) {
                out.add(rec);
            }
        }
        return out;
    }
}
