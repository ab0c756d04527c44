package io.streamrec.app.dlq;

import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * How a record on the dead-letter topic is tagged: the original key and value bytes, unchanged, plus these headers
 * (values are UTF-8 strings; numbers in decimal), as documented in {@code docs/wire-format.md}:
 *
 * <table>
 *   <caption>Dead-letter headers</caption>
 *   <tr><th>Header</th><th>Value</th></tr>
 *   <tr><td>{@value #REASON}</td><td>reason code, one of {@link DlqReasons#ALL}</td></tr>
 *   <tr><td>{@value #DETAIL}</td><td>human-readable detail (at most {@value #MAX_DETAIL_CHARS} characters)</td></tr>
 *   <tr><td>{@value #TOPIC}</td><td>source topic</td></tr>
 *   <tr><td>{@value #PARTITION}</td><td>source partition</td></tr>
 *   <tr><td>{@value #OFFSET}</td><td>source offset</td></tr>
 *   <tr><td>{@value #TIMESTAMP}</td><td>source record timestamp, ms since the epoch</td></tr>
 * </table>
 *
 * <p>Used by {@link DeadLetterDeserializationHandler} for records that cannot be read, and by the topology for
 * records that fail validation (null key, key mismatch, rating out of range, bad id, future timestamp).
 *
 * <p><b>Timestamps.</b> A dead letter must be written with the <em>current</em> time as its record timestamp, not
 * the source record's (which is kept in {@value #TIMESTAMP}): brokers reject records more than
 * {@code message.timestamp.after.max.ms} in the future (default 1 hour since Kafka 4.0), which is exactly what a
 * {@code future-timestamp} record may be, and a failed produce would stop the app. A record very far in the past
 * would also be deleted by retention at once. {@link #record} leaves the timestamp unset so the producer uses its
 * clock; a processor forwarding to a dead-letter sink should use {@code record.withTimestamp(now)}.
 */
public final class DeadLetters {

    /** Header: the reason code ({@link DlqReasons}). */
    public static final String REASON = "dlq.reason";
    /** Header: the human-readable detail, e.g. the exception message. */
    public static final String DETAIL = "dlq.detail";
    /** Header: the topic the record was read from. */
    public static final String TOPIC = "dlq.topic";
    /** Header: the partition the record was read from. */
    public static final String PARTITION = "dlq.partition";
    /** Header: the offset of the record in its source partition. */
    public static final String OFFSET = "dlq.offset";
    /** Header: the source record's timestamp (ms since the epoch). */
    public static final String TIMESTAMP = "dlq.timestamp";

    /** Header, only on a dead letter whose value was cut to fit: the original value's size in bytes. */
    public static final String ORIGINAL_SIZE = "dlq.original.size";
    /** Header, only on a dead letter whose key was cut to fit: the original key's size in bytes. */
    public static final String ORIGINAL_KEY_SIZE = "dlq.original.key.size";
    /** The default of {@code dlq.max.record.bytes}: under the producer's and the broker's default limits (1 MiB). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;
    /** Bytes allowed for a record's own framing and for a header's, besides its key and value (generous). */
    private static final int RECORD_OVERHEAD = 128;
    private static final int HEADER_OVERHEAD = 16;

    /** All header names, in the order they are added. */
    public static final List<String> HEADER_NAMES = List.of(REASON, DETAIL, TOPIC, PARTITION, OFFSET, TIMESTAMP);

    /** Details are cut to this many characters (headers travel with every dead letter). */
    public static final int MAX_DETAIL_CHARS = 1000;

    private static final String PREFIX = "dlq.";

    private DeadLetters() {}

    /**
     * The dead-letter headers for a record read from {@code sourceTopic}.
     *
     * @param sourceTopic the topic the record was read from ({@code null} if unknown: the header is left out)
     * @param reason one of {@link DlqReasons#ALL}
     * @param detail what was wrong ({@code null} becomes empty); cut to {@value #MAX_DETAIL_CHARS} characters
     * @throws IllegalArgumentException if {@code reason} is not a documented reason code
     */
    public static Headers headers(String sourceTopic, int partition, long offset, long timestamp, String reason,
                                  String detail) {
        RecordHeaders headers = new RecordHeaders();
        addTo(headers, sourceTopic, partition, offset, timestamp, reason, detail);
        return headers;
    }

    /**
     * The dead letter for a record read from Kafka: to {@code dlqTopic}, the source's key and value bytes unchanged,
     * the source's headers (except earlier {@code dlq.*} ones, if the record is itself a replayed dead letter)
     * followed by the dead-letter headers, partition chosen by the key, timestamp unset (the producer's clock; see
     * the class comment).
     */
    public static ProducerRecord<byte[], byte[]> record(String dlqTopic, ConsumerRecord<byte[], byte[]> source,
                                                        String reason, String detail) {
        return record(dlqTopic, source, reason, detail, DEFAULT_MAX_RECORD_BYTES);
    }

    /** As above, cut to {@code maxRecordBytes} ({@link #fit}). */
    public static ProducerRecord<byte[], byte[]> record(String dlqTopic, ConsumerRecord<byte[], byte[]> source,
                                                        String reason, String detail, int maxRecordBytes) {
        Objects.requireNonNull(dlqTopic, "dlqTopic");
        RecordHeaders headers = new RecordHeaders();
        if (source.headers() != null) {
            for (Header h : source.headers()) {
                if (!h.key().startsWith(PREFIX)) {
                    headers.add(h);
                }
            }
        }
        addTo(headers, source.topic(), source.partition(), source.offset(), source.timestamp(), reason, detail);
        byte[][] kv = fit(source.key(), source.value(), headers, maxRecordBytes);
        return new ProducerRecord<>(dlqTopic, null, null, kv[0], kv[1], headers);
    }

    /**
     * The reason code for an exception thrown while reading a record: {@link WireFormatException#dlqReason()} for a
     * value that is not a valid single-object record (also when wrapped), {@code key-mismatch} for a key the
     * {@code Keys} serdes reject as not a canonical decimal id, {@code deserialization} for anything else.
     */
    public static String reasonOf(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WireFormatException wfe) {
                return wfe.dlqReason();
            }
        }
        if (exception instanceof IllegalArgumentException && exception.getMessage() != null
                && exception.getMessage().startsWith("key: ")) {
            return DlqReasons.KEY_MISMATCH;
        }
        return DlqReasons.DESERIALIZATION;
    }

    /**
     * The detail for an exception: the message of the {@link WireFormatException} if there is one (it starts with
     * the phrase documented in {@code docs/wire-format.md}), else the exception's message, else its class name.
     */
    public static String detailOf(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WireFormatException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        if (exception == null) {
            return "";
        }
        String message = exception.getMessage();
        return message == null || message.isEmpty() ? exception.getClass().getName() : message;
    }

    /**
     * The key and value a dead letter is written with: the originals, unless together with {@code headers} they
     * would exceed {@code maxRecordBytes} (a record near the broker's size limit no longer fits once the
     * {@code dlq.*} headers are added, and a failed write would stop the stream thread on every restart). Then the
     * value is cut first, and the key only if that is not enough, each cut one adding {@link #ORIGINAL_SIZE} or
     * {@link #ORIGINAL_KEY_SIZE} to {@code headers}. Returns {@code {key, value}}; nulls stay null.
     */
    public static byte[][] fit(byte[] key, byte[] value, Headers headers, int maxRecordBytes) {
        int k = key == null ? 0 : key.length, v = value == null ? 0 : value.length;
        long reserved = RECORD_OVERHEAD + 2L * (ORIGINAL_KEY_SIZE.length() + 10 + HEADER_OVERHEAD);
        for (Header h : headers) {
            reserved += h.key().length() + (h.value() == null ? 0 : h.value().length) + HEADER_OVERHEAD;
        }
        long room = Math.max(0, maxRecordBytes - reserved);
        if (k + (long) v <= room) {
            return new byte[][] {key, value};
        }
        int keepValue = (int) Math.max(0, Math.min(v, room - k));
        int keepKey = (int) Math.min(k, room - keepValue);
        if (value != null && keepValue < v) {
            headers.add(ORIGINAL_SIZE, utf8(Integer.toString(v)));
            value = java.util.Arrays.copyOf(value, keepValue);
        }
        if (key != null && keepKey < k) {
            headers.add(ORIGINAL_KEY_SIZE, utf8(Integer.toString(k)));
            key = java.util.Arrays.copyOf(key, keepKey);
        }
        return new byte[][] {key, value};
    }

    /** The last value of header {@code name} as a UTF-8 string, or {@code null} if absent. */
    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void addTo(Headers headers, String sourceTopic, int partition, long offset, long timestamp,
                              String reason, String detail) {
        if (reason == null || !DlqReasons.ALL.contains(reason)) {
            throw new IllegalArgumentException("not a dead-letter reason code: " + reason + "; one of "
                    + DlqReasons.ALL);
        }
        headers.add(REASON, utf8(reason));
        headers.add(DETAIL, utf8(cut(detail == null ? "" : detail)));
        if (sourceTopic != null) {
            headers.add(TOPIC, utf8(sourceTopic));
        }
        headers.add(PARTITION, utf8(Integer.toString(partition)));
        headers.add(OFFSET, utf8(Long.toString(offset)));
        headers.add(TIMESTAMP, utf8(Long.toString(timestamp)));
    }

    private static String cut(String detail) {
        if (detail.length() <= MAX_DETAIL_CHARS) {
            return detail;
        }
        int end = MAX_DETAIL_CHARS - 3;
        if (Character.isHighSurrogate(detail.charAt(end - 1))) {
            end--;
        }
        return detail.substring(0, end) + "...";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
