package io.streamrec.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.streamrec.avro.Movie;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.WatchEvent;
import io.streamrec.schemas.Samples.Sample;
import io.streamrec.schemas.WireFormatException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    static List<Sample<?>> samples() {
        return Samples.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T extends SpecificRecord> void roundTrips(Sample<T> sample) {
        byte[] bytes = sample.bytes();
        assertEquals(sample.record(), sample.serde().deserialize("test", bytes));
        // through the Kafka interfaces too, headers and ByteBuffer variants included
        assertEquals(sample.record(), sample.serde().deserializer().deserialize("t", new RecordHeaders(), bytes));
        assertEquals(sample.record(),
                sample.serde().deserializer().deserialize("t", new RecordHeaders(), ByteBuffer.wrap(bytes)));
        assertArrayEquals(bytes, sample.serde().serializer().serialize("t", new RecordHeaders(), sample.record()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void valueIsMarkerThenFingerprintThenAvroBinary(Sample<?> sample) throws IOException {
        byte[] bytes = sample.bytes();
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        long fp = SchemaHistory.fingerprint(sample.record().getSchema());
        assertEquals(fp, sample.serde().fingerprint());
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) (fp >>> (8 * i)), bytes[2 + i], "fingerprint byte " + i + " (little-endian)");
        }
        // the body is plain Avro binary, as any Avro library writes it
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(body, null);
        new org.apache.avro.specific.SpecificDatumWriter<Object>(sample.record().getSchema())
                .write(sample.record(), enc);
        enc.flush();
        assertArrayEquals(body.toByteArray(), Arrays.copyOfRange(bytes, 10, bytes.length));
    }

    /** Ours are generated with custom coders, so the serde skips Avro's generic datum writer and reader. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void generatedClassesGoThroughTheirOwnCoders(Sample<?> sample) {
        assertTrue(sample.serde().usesGeneratedCoders(), sample.toString());
    }

    @Test
    void nullStaysNull() {
        assertNull(RecordSerdes.ratingEvent().serialize("ratings", null));
        assertNull(RecordSerdes.ratingEvent().deserialize("ratings", null));
    }

    @Test
    void recordSerdesAreSharedInstances() {
        assertSame(RecordSerdes.movie(), RecordSerdes.movie());
        assertSame(RecordSerdes.movie(), RecordSerdes.movie().serializer());
        assertSame(RecordSerdes.movie(), RecordSerdes.movie().deserializer());
        assertEquals(Movie.class, RecordSerdes.movie().type());
    }

    /** A record written by a v1 producer (generic, from schemas/history) decodes with the current reader. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void historicalWriterDecodesWithCurrentReader(Sample<?> sample) throws IOException {
        Schema current = sample.record().getSchema();
        List<Schema> history = SchemaHistory.historicalVersions(current.getFullName());
        assertTrue(!history.isEmpty(), "no history for " + current.getFullName());
        for (Schema old : history) {
            GenericRecord v1 = (GenericRecord) toGeneric(sample.record(), old);
            byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(v1).array();
            SpecificRecord decoded = sample.serde().deserialize("test", bytes);
            // every field the old version has must come through; fields it lacks take their defaults
            for (Schema.Field f : old.getFields()) {
                assertEquals(sample.record().get(current.getField(f.name()).pos()),
                        decoded.get(current.getField(f.name()).pos()), f.name());
            }
        }
    }

    /** A writer that differs from the reader (a field fewer, a field more) resolves: defaults fill in. */
    @Test
    void olderWriterWithDifferentFieldsResolves() throws IOException {
        Schema older = testSchema("WatchEvent.older-test.avsc");
        GenericRecord old = new GenericData.Record(older);
        old.put("userId", 9L);
        old.put("movieId", 10);
        old.put("secondsWatched", 11);
        old.put("eventTime", 12L);
        old.put("device", "tv");
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old).array();

        AvroSerde<WatchEvent> serde = new AvroSerde<>(WatchEvent.class, List.of(older));
        WatchEvent e = serde.deserialize("watches", bytes);
        assertEquals(9L, e.getUserId());
        assertEquals(10, e.getMovieId());
        assertEquals(11, e.getSecondsWatched());
        assertNull(e.getMovieLengthSeconds(), "missing field takes its default");
        assertEquals(12L, e.getEventTime());

        // the shared serde has never heard of that version: unknown schema, with the fingerprint in the message
        WireFormatException ex = assertThrows(WireFormatException.class,
                () -> RecordSerdes.watchEvent().deserialize("watches", bytes));
        assertEquals(Reason.UNKNOWN_SCHEMA, ex.reason());
        assertTrue(ex.getMessage().contains(SchemaHistory.fingerprintHex(SchemaHistory.fingerprint(older))),
                ex.getMessage());
        assertTrue(ex.getMessage().contains("not a released version"), ex.getMessage());
    }

    @Test
    void extraWriterTheReaderCannotReadIsRefusedAtConstruction() throws IOException {
        // a writer of another record type
        Schema watch = WatchEvent.getClassSchema();
        assertThrows(IllegalArgumentException.class, () -> new AvroSerde<>(RatingEvent.class, List.of(watch)));
        // A writer whose field type the reader cannot promote: movieId as string.
        Schema badType = new Schema.Parser().parse(RatingEvent.getClassSchema().toString()
                .replace("{\"name\":\"movieId\",\"type\":\"int\"", "{\"name\":\"movieId\",\"type\":\"string\""));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new AvroSerde<>(RatingEvent.class, List.of(badType)));
        assertTrue(ex.getMessage().contains("cannot read"), ex.getMessage());
    }

    // ---------------------------------------------------------------- bad bytes

    @Test
    void badMarker() {
        byte[] json = "{\"userId\":42,\"movieId\":1,\"rating\":4.0}".getBytes();
        WireFormatException ex = assertWireError(Reason.BAD_MARKER, json);
        assertTrue(ex.getMessage().startsWith("bad marker: expected C3 01"), ex.getMessage());
        assertTrue(ex.getMessage().contains("7B 22 75"), ex.getMessage());
        assertTrue(ex.getMessage().contains("looks like JSON"), ex.getMessage());
        assertEquals("deserialization", ex.dlqReason());

        byte[] wrongSecond = Samples.all().get(0).bytes();
        wrongSecond[1] = 0x02;
        assertWireError(Reason.BAD_MARKER, wrongSecond);
        assertWireError(Reason.BAD_MARKER, new byte[0]);
        assertWireError(Reason.BAD_MARKER, new byte[] {0x01});
        // a Kafka-clients LongSerializer value, a classic mistake
        assertWireError(Reason.BAD_MARKER, new byte[] {0, 0, 0, 0, 0, 0, 0, 42});
    }

    @Test
    void truncatedHeader() {
        byte[] full = RecordSerdes.ratingEvent().serialize("ratings", Samples.rating());
        for (int len = 1; len < AvroSerde.HEADER_LENGTH; len++) {
            WireFormatException ex = assertWireError(Reason.TRUNCATED_HEADER, Arrays.copyOf(full, len));
            assertTrue(ex.getMessage().startsWith("truncated header: "), ex.getMessage());
        }
    }

    @Test
    void unknownFingerprint() {
        byte[] bytes = RecordSerdes.ratingEvent().serialize("ratings", Samples.rating());
        bytes[2] ^= 0x55;
        WireFormatException ex = assertWireError(Reason.UNKNOWN_SCHEMA, bytes);
        String hex = SchemaHistory.fingerprintHex(AvroSerde.readFingerprint(bytes));
        assertTrue(ex.getMessage().startsWith("unknown schema fingerprint: " + hex), ex.getMessage());
        assertEquals("unknown-schema", ex.dlqReason());
    }

    @Test
    void recordOfAnotherTypeIsAnUnknownSchemaNamingTheType() {
        byte[] watch = RecordSerdes.watchEvent().serialize("watches", Samples.watch());
        WireFormatException ex = assertWireError(Reason.UNKNOWN_SCHEMA, watch);
        assertTrue(ex.getMessage().contains("io.streamrec.avro.WatchEvent"), ex.getMessage());
        assertTrue(ex.getMessage().contains("wrong topic"), ex.getMessage());
    }

    /** Every strict prefix of every sample that keeps the header is a truncated body, never anything else. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void truncatedBody(Sample<?> sample) {
        byte[] full = sample.bytes();
        for (int len = AvroSerde.HEADER_LENGTH; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            WireFormatException ex = assertThrows(WireFormatException.class,
                    () -> sample.serde().deserialize("t", cut), "prefix of " + len + " bytes");
            assertEquals(Reason.TRUNCATED_BODY, ex.reason(), ex.getMessage());
            assertTrue(ex.getMessage().startsWith("truncated body: "), ex.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void trailingBytes(Sample<?> sample) {
        byte[] full = sample.bytes();
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        WireFormatException ex = assertThrows(WireFormatException.class,
                () -> sample.serde().deserialize("t", longer));
        assertEquals(Reason.TRAILING_BYTES, ex.reason());
        assertTrue(ex.getMessage().startsWith("trailing bytes: 3 byte(s)"), ex.getMessage());
    }

    /**
     * A length or count far beyond the value's size fails fast as a truncated body instead of making Avro
     * allocate it (a 2 GB string would be an OutOfMemoryError: a poison pill for the stream thread).
     */
    @Test
    void hugeClaimedLengthsDoNotAllocate() {
        AvroSerde<Movie> serde = RecordSerdes.movie();
        // Movie body: movieId (int), title (string), genres (array), year (union)
        byte[] title = withBody(serde, varint(1), varint(Integer.MAX_VALUE - 16L), new byte[] {'a', 'b'});
        assertEquals(Reason.TRUNCATED_BODY, wireError(serde, title).reason());

        byte[] genres = withBody(serde, varint(1), varint(0), varint(Integer.MAX_VALUE - 16L), new byte[] {2, 'x'});
        WireFormatException ex = wireError(serde, genres);
        assertEquals(Reason.TRUNCATED_BODY, ex.reason());
        assertTrue(ex.getMessage().contains("claims"), ex.getMessage());

        // negative block count with a byte size: the form Avro skips wholesale; the count is still checked
        byte[] negBlock = withBody(serde, varint(1), varint(0), varint(-(Integer.MAX_VALUE - 16L)), varint(2),
                new byte[] {2, 'x'}, varint(0), varint(0));
        assertEquals(Reason.TRUNCATED_BODY, wireError(serde, negBlock).reason());
    }

    @Test
    void malformedBody() {
        AvroSerde<Movie> serde = RecordSerdes.movie();
        byte[] negativeLength = withBody(serde, varint(1), varint(-3), new byte[] {'a', 'b', 'c'}, varint(0),
                varint(0));
        assertEquals(Reason.MALFORMED_BODY, wireError(serde, negativeLength).reason());

        byte[] badUnion = withBody(serde, varint(1), varint(1), new byte[] {'a'}, varint(0), varint(5));
        WireFormatException ex = wireError(serde, badUnion);
        assertEquals(Reason.MALFORMED_BODY, ex.reason());
        assertTrue(ex.getMessage().contains("union index 5"), ex.getMessage());

        byte[] endlessVarint = withBody(serde, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, 0x01}, varint(0), varint(0), varint(0));
        assertEquals(Reason.MALFORMED_BODY, wireError(serde, endlessVarint).reason());

        // a well-formed body decodes (sanity check of the hand-made bytes above)
        byte[] ok = withBody(serde, varint(1), varint(1), new byte[] {'a'}, varint(0), varint(1), varint(1999));
        Movie m = serde.deserialize("movies", ok);
        assertEquals("a", m.getTitle());
        assertEquals(1999, m.getYear());
    }

    /** Random bytes never escape as anything but a WireFormatException (Confluent's poison-bytes test). */
    @Test
    void randomGarbage() {
        Random random = new Random(42);
        List<Sample<?>> samples = Samples.all();
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            Sample<?> sample = samples.get(random.nextInt(samples.size()));
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            if (i % 2 == 1 && garbage.length >= AvroSerde.HEADER_LENGTH) {
                // half of them behind a valid header: the body decoder gets garbage
                System.arraycopy(sample.bytes(), 0, garbage, 0, AvroSerde.HEADER_LENGTH);
            } else if (garbage.length > 0) {
                if (garbage[0] == (byte) 0xC3) {
                    garbage[0] = 0; // keep these off the marker: they must all be "bad marker"
                }
            }
            try {
                sample.serde().deserialize("t", garbage);
                decoded++; // random bytes can happen to be a valid body
            } catch (WireFormatException expected) {
                assertTrue(expected.getMessage().startsWith(expected.reason().phrase() + ": "));
                if (i % 2 == 0) {
                    assertEquals(Reason.BAD_MARKER, expected.reason(), expected.getMessage());
                }
            } catch (RuntimeException | Error other) {
                fail("garbage " + Arrays.toString(garbage) + " for " + sample + " threw " + other, other);
            }
        }
        assertTrue(decoded < 2_000, "implausibly many garbage values decoded: " + decoded);
    }

    @Test
    void serializingAnIncompleteRecordIsASerializationException() {
        Movie noTitle = new Movie(); // title is required and null here
        noTitle.setMovieId(3);
        SerializationException ex = assertThrows(SerializationException.class,
                () -> RecordSerdes.movie().serialize("movies", noTitle));
        assertTrue(ex.getMessage().contains("Movie") && ex.getMessage().contains("movies"), ex.getMessage());
    }

    /** A failed encode leaves nothing behind in the thread's scratch: the next value on the thread is whole. */
    @Test
    @SuppressWarnings("unchecked")
    void aFailedSerializeDoesNotSpoilTheNext() {
        Movie noTitle = new Movie();
        noTitle.setMovieId(3);
        noTitle.setGenres(List.of("Drama", "Comedy"));
        Sample<Movie> movie = Samples.all().stream().filter(s -> s.record() instanceof Movie).map(s -> (Sample<Movie>) s)
                .findFirst().orElseThrow();
        byte[] expected = movie.bytes();
        assertThrows(SerializationException.class, () -> RecordSerdes.movie().serialize("movies", noTitle));
        assertArrayEquals(expected, RecordSerdes.movie().serialize("movies", movie.record()));
        assertEquals(movie.record(), RecordSerdes.movie().deserialize("movies", expected));
    }

    @Test
    void sharedAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        for (Sample<?> s : Samples.all()) {
                            roundTripOnce(s);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static <T extends SpecificRecord> void roundTripOnce(Sample<T> s) {
        T back = s.serde().deserialize("t", s.serde().serialize("t", s.record()));
        if (!s.record().equals(back)) {
            throw new AssertionError("round trip changed " + s);
        }
    }

    private static WireFormatException assertWireError(Reason reason, byte[] bytes) {
        WireFormatException ex = wireError(RecordSerdes.ratingEvent(), bytes);
        assertEquals(reason, ex.reason(), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(reason.phrase() + ": "), ex.getMessage());
        return ex;
    }

    private static WireFormatException wireError(AvroSerde<?> serde, byte[] bytes) {
        return assertThrows(WireFormatException.class, () -> serde.deserialize("t", bytes));
    }

    private static byte[] withBody(AvroSerde<?> serde, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(AvroSerde.MARKER_0);
        out.write(AvroSerde.MARKER_1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (serde.fingerprint() >>> (8 * i)));
        }
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Avro zig-zag varint. */
    static byte[] varint(long v) {
        long z = (v << 1) ^ (v >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
        return out.toByteArray();
    }

    static Schema testSchema(String resource) throws IOException {
        try (InputStream in = AvroSerdeTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new Schema.Parser().parse(in);
        }
    }

    /** Copies a specific record into a generic one of {@code schema}, field by field, by name. */
    static Object toGeneric(Object value, Schema schema) {
        switch (schema.getType()) {
            case RECORD: {
                IndexedRecord from = (IndexedRecord) value;
                GenericData.Record to = new GenericData.Record(schema);
                for (Schema.Field f : schema.getFields()) {
                    Schema.Field src = from.getSchema().getField(f.name());
                    to.put(f.name(), src == null ? GenericData.get().getDefaultValue(f)
                            : toGeneric(from.get(src.pos()), f.schema()));
                }
                return to;
            }
            case ARRAY: {
                List<Object> out = new ArrayList<>();
                for (Object o : (List<?>) value) {
                    out.add(toGeneric(o, schema.getElementType()));
                }
                return out;
            }
            case UNION:
                return value == null ? null
                        : toGeneric(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
            default:
                return value;
        }
    }
}
