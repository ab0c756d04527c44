package io.streamrec.app.dlq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Response;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.junit.jupiter.api.Test;

class DeadLetterDeserializationHandlerTest {

    private static final byte[] KEY = "42".getBytes(StandardCharsets.US_ASCII);
    private static final long TIMESTAMP = 1_700_000_000_000L;

    private final DlqMetrics metrics = new DlqMetrics();

    private DeadLetterDeserializationHandler handler(String dlqTopic) {
        DeadLetterDeserializationHandler h = new DeadLetterDeserializationHandler();
        h.configure(dlqTopic == null ? Map.of(DeadLetterDeserializationHandler.METRICS_CONFIG, metrics)
                : Map.of(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG, dlqTopic,
                        DeadLetterDeserializationHandler.METRICS_CONFIG, metrics));
        return h;
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", "abc-123".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.REASON, "stale".getBytes(StandardCharsets.UTF_8)); // from an earlier dead-lettering
        return new ConsumerRecord<>("ratings", 3, 1234L, TIMESTAMP, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value.length, key, value, headers, Optional.empty());
    }

    /** What Kafka Streams does: deserialize, and on failure call the handler with the exception. */
    private static Response handleValue(DeadLetterDeserializationHandler h, ConsumerRecord<byte[], byte[]> r,
                                        boolean global) {
        Exception e = assertThrows(Exception.class, () -> RecordSerdes.ratingEvent().deserialize(r.topic(),
                r.value()));
        return h.handleError(global ? StubErrorHandlerContext.forGlobalStore(r) : StubErrorHandlerContext.forTask(r),
                r, e);
    }

    @Test
    void badValueGoesToTheDeadLetterTopicWithHeadersAndProcessingResumes() {
        byte[] value = "{\"userId\":42}".getBytes(StandardCharsets.UTF_8); // JSON, not Avro
        ConsumerRecord<byte[], byte[]> r = record(KEY, value);

        Response response = handleValue(handler(null), r, false);

        assertEquals(Result.RESUME, response.result());
        assertEquals(1, response.deadLetterQueueRecords().size());
        ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
        assertEquals(DlqReasons.TOPIC, dlq.topic());
        assertArrayEquals(KEY, dlq.key());
        assertArrayEquals(value, dlq.value());
        assertNull(dlq.partition(), "partitioned by key");
        assertNull(dlq.timestamp(), "the producer's clock, not the (possibly far-future) source time");

        assertEquals(DlqReasons.DESERIALIZATION, DeadLetters.header(dlq.headers(), DeadLetters.REASON));
        assertTrue(DeadLetters.header(dlq.headers(), DeadLetters.DETAIL).startsWith("bad marker"),
                DeadLetters.header(dlq.headers(), DeadLetters.DETAIL));
        assertEquals("ratings", DeadLetters.header(dlq.headers(), DeadLetters.TOPIC));
        assertEquals("3", DeadLetters.header(dlq.headers(), DeadLetters.PARTITION));
        assertEquals("1234", DeadLetters.header(dlq.headers(), DeadLetters.OFFSET));
        assertEquals(Long.toString(TIMESTAMP), DeadLetters.header(dlq.headers(), DeadLetters.TIMESTAMP));

        // The source's own headers are kept, earlier dlq.* headers replaced, ours in the documented order.
        List<String> names = new ArrayList<>();
        for (Header h : dlq.headers()) {
            names.add(h.key());
        }
        List<String> expected = new ArrayList<>(List.of("trace-id"));
        expected.addAll(DeadLetters.HEADER_NAMES);
        assertEquals(expected, names);

        assertEquals(1, metrics.count(DlqReasons.DESERIALIZATION));
        assertEquals(1, metrics.total());
    }

    @Test
    void unknownSchemaFingerprintIsItsOwnReason() {
        byte[] value = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x54, 0x02};
        Response response = handleValue(handler("bad-records"), record(KEY, value), false);

        ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
        assertEquals("bad-records", dlq.topic());
        assertEquals(DlqReasons.UNKNOWN_SCHEMA, DeadLetters.header(dlq.headers(), DeadLetters.REASON));
        assertEquals("unknown schema fingerprint", DeadLetters.header(dlq.headers(), DeadLetters.DETAIL)
                .substring(0, "unknown schema fingerprint".length()));
        assertEquals(1, metrics.count(DlqReasons.UNKNOWN_SCHEMA));
    }

    @Test
    void nonCanonicalKeyRejectedByTheKeySerdeIsAKeyMismatch() {
        byte[] key = "007".getBytes(StandardCharsets.US_ASCII);
        ConsumerRecord<byte[], byte[]> r = record(key, new byte[] {1});
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> Keys.userIdSerde().deserializer().deserialize("ratings", key));

        Response response = handler(null).handleError(StubErrorHandlerContext.forTask(r), r, e);

        ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
        assertEquals(DlqReasons.KEY_MISMATCH, DeadLetters.header(dlq.headers(), DeadLetters.REASON));
        assertTrue(DeadLetters.header(dlq.headers(), DeadLetters.DETAIL).startsWith("key: "));
        assertArrayEquals(key, dlq.key());
    }

    @Test
    void nullKeyAndOtherExceptionsAreDeserializationErrors() {
        ConsumerRecord<byte[], byte[]> r = record(null, new byte[] {1, 2});
        Response response = handler(null).handleError(StubErrorHandlerContext.forTask(r), r,
                new NullPointerException());
        ProducerRecord<byte[], byte[]> dlq = response.deadLetterQueueRecords().get(0);
        assertNull(dlq.key());
        assertEquals(DlqReasons.DESERIALIZATION, DeadLetters.header(dlq.headers(), DeadLetters.REASON));
        assertEquals(NullPointerException.class.getName(), DeadLetters.header(dlq.headers(), DeadLetters.DETAIL));
    }

    @Test
    void globalStoreRecordsAreCountedAndSkippedBecauseTheGlobalThreadCannotProduce() {
        Response response = handleValue(handler(null), record(KEY, new byte[] {0x7b}), true);
        assertEquals(Result.RESUME, response.result());
        assertTrue(response.deadLetterQueueRecords().isEmpty());
        assertEquals(1, metrics.count(DlqReasons.DESERIALIZATION));
    }

    @Test
    void configuration() {
        DeadLetterDeserializationHandler h = new DeadLetterDeserializationHandler();
        h.configure(Map.of());
        assertEquals(DlqReasons.TOPIC, h.dlqTopic());
        assertSame(DlqMetrics.shared(), h.metrics());

        h.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "kafka-dlq"));
        assertEquals("kafka-dlq", h.dlqTopic());
        h.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "kafka-dlq",
                DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG, "ours"));
        assertEquals("ours", h.dlqTopic());

        assertThrows(IllegalArgumentException.class,
                () -> h.configure(Map.of(DeadLetterDeserializationHandler.METRICS_CONFIG, "not metrics")));
    }
}
