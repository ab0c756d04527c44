package io.streamrec.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.avro.RatingEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/** Keeps the worked example and the fingerprint table in docs/wire-format.md true. */
class WireFormatExampleTest {

    /** RatingEvent{userId=42, movieId=1193, rating=4.5, eventTime=1700000000000, eventId=null}, as in the doc. */
    static final String EXAMPLE_HEX = "c3 01 a0 a6 e7 bd 29 ba 9c cd 54 d2 12 00 00 90 40 80 a0 ab fe f9 62 00";

    /** The same event as a v1 producer writes it (no eventId field): still read, with eventId null. */
    static final String EXAMPLE_V1_HEX = "c3 01 92 d1 4e b4 a1 ff d7 4d 54 d2 12 00 00 90 40 80 a0 ab fe f9 62";

    static final String CANONICAL_FORM = "{\"name\":\"io.streamrec.avro.RatingEvent\",\"type\":\"record\","
            + "\"fields\":[{\"name\":\"userId\",\"type\":\"long\"},{\"name\":\"movieId\",\"type\":\"int\"},"
            + "{\"name\":\"rating\",\"type\":\"float\"},{\"name\":\"eventTime\",\"type\":\"long\"},"
            + "{\"name\":\"eventId\",\"type\":[\"null\",\"string\"]}]}";

    @Test
    void workedExampleBytes() {
        byte[] value = RecordSerdes.ratingEvent().serialize("ratings", Samples.rating());
        assertEquals(EXAMPLE_HEX, HexFormat.ofDelimiter(" ").formatHex(value));
        assertEquals(Samples.rating(), RecordSerdes.ratingEvent().deserialize("ratings",
                HexFormat.ofDelimiter(" ").parseHex(EXAMPLE_HEX)));
        assertEquals("42", new String(Keys.userKey(42), StandardCharsets.US_ASCII));
        assertEquals(CANONICAL_FORM, SchemaNormalization.toParsingForm(RatingEvent.getClassSchema()));
    }

    @Test
    void theV1ExampleIsStillReadWithoutAnEventId() {
        RatingEvent e = RecordSerdes.ratingEvent().deserialize("ratings", HexFormat.ofDelimiter(" ").parseHex(EXAMPLE_V1_HEX));
        assertEquals(Samples.rating(), e);
        assertEquals(null, e.getEventId());
        RatingEvent withId = RatingEvent.newBuilder(Samples.rating()).setEventId("r-42-1").build();
        assertEquals(withId, RecordSerdes.ratingEvent().deserialize("ratings",
                RecordSerdes.ratingEvent().serialize("ratings", withId)));
    }

    /** The fingerprint is CRC-64-AVRO as the spec describes it, re-implemented here as a producer would. */
    @Test
    void fingerprintIsTheSpecsCrc64OfTheCanonicalForm() {
        for (Schema s : SchemaHistory.currentSchemas()) {
            byte[] canonical = SchemaNormalization.toParsingForm(s).getBytes(StandardCharsets.UTF_8);
            assertEquals(SchemaHistory.fingerprint(s), crc64Avro(canonical), s.getName());
        }
    }

    @Test
    void docShowsTheExampleAndCurrentFingerprints() throws IOException {
        Path doc = SchemaCompatibilityTest.moduleDir().getParent().resolve("docs/wire-format.md");
        assertTrue(Files.isRegularFile(doc), "missing " + doc);
        String text = Files.readString(doc);
        assertTrue(text.contains(EXAMPLE_HEX), "docs/wire-format.md must show the worked example " + EXAMPLE_HEX);
        assertTrue(text.contains(CANONICAL_FORM), "docs/wire-format.md must show the canonical form");
        for (Schema s : SchemaHistory.currentSchemas()) {
            String row = "| " + s.getName() + " | `" + SchemaHistory.fingerprintHex(SchemaHistory.fingerprint(s))
                    + "` |";
            assertTrue(text.contains(row), "docs/wire-format.md fingerprint table needs the row: " + row);
        }
    }

    /** From the Avro specification ("Schema Fingerprints"), bit for bit. */
    static long crc64Avro(byte[] data) {
        final long empty = 0xc15d213aa4d7a795L;
        long[] table = new long[256];
        for (int i = 0; i < 256; i++) {
            long fp = i;
            for (int j = 0; j < 8; j++) {
                fp = (fp >>> 1) ^ (empty & -(fp & 1L));
            }
            table[i] = fp;
        }
        long fp = empty;
        for (byte b : data) {
            fp = (fp >>> 8) ^ table[(int) (fp ^ b) & 0xff];
        }
        return fp;
    }
}
