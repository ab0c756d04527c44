package io.streamrec.app.dlq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void headersForAValidationFailure() {
        Headers h = DeadLetters.headers("watches", 7, 99L, 1_700_000_000_000L, DlqReasons.FUTURE_TIMESTAMP,
                "eventTime 1800000000000 is 100000000000 ms ahead of the clock (max 86400000)");
        List<String> names = new ArrayList<>();
        for (Header header : h) {
            names.add(header.key());
        }
        assertEquals(DeadLetters.HEADER_NAMES, names);
        assertEquals("future-timestamp", DeadLetters.header(h, "dlq.reason"));
        assertEquals("eventTime 1800000000000 is 100000000000 ms ahead of the clock (max 86400000)",
                DeadLetters.header(h, "dlq.detail"));
        assertEquals("watches", DeadLetters.header(h, "dlq.topic"));
        assertEquals("7", DeadLetters.header(h, "dlq.partition"));
        assertEquals("99", DeadLetters.header(h, "dlq.offset"));
        assertEquals("1700000000000", DeadLetters.header(h, "dlq.timestamp"));
    }

    @Test
    void everyDocumentedReasonIsAccepted() {
        for (String reason : DlqReasons.ALL) {
            assertEquals(reason, DeadLetters.header(DeadLetters.headers("t", 0, 0, 0, reason, null), "dlq.reason"));
        }
    }

    @Test
    void unknownReasonIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeadLetters.headers("t", 0, 0, 0, "bad-rating", "x"));
        assertTrue(e.getMessage().contains("bad-rating"), e.getMessage());
    }

    @Test
    void unknownSourceTopicIsLeftOutAndNullDetailIsEmpty() {
        Headers h = DeadLetters.headers(null, -1, -1, -1, DlqReasons.NULL_KEY, null);
        assertNull(h.lastHeader(DeadLetters.TOPIC));
        assertEquals("", DeadLetters.header(h, DeadLetters.DETAIL));
        assertEquals("-1", DeadLetters.header(h, DeadLetters.OFFSET));
    }

    @Test
    void longDetailIsCut() {
        String detail = "é".repeat(5000);
        String stored = DeadLetters.header(DeadLetters.headers("t", 0, 0, 0, DlqReasons.BAD_ID, detail),
                DeadLetters.DETAIL);
        assertEquals(DeadLetters.MAX_DETAIL_CHARS, stored.length());
        assertTrue(stored.endsWith("..."));
    }

    @Test
    void reasonAndDetailOfExceptions() {
        WireFormatException unknown = new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA,
                "0102030405060708");
        assertEquals(DlqReasons.UNKNOWN_SCHEMA, DeadLetters.reasonOf(unknown));
        StreamsException wrapped = new StreamsException("wrapped", unknown);
        assertEquals(DlqReasons.UNKNOWN_SCHEMA, DeadLetters.reasonOf(wrapped));
        assertEquals("unknown schema fingerprint: 0102030405060708", DeadLetters.detailOf(wrapped));

        assertEquals(DlqReasons.DESERIALIZATION, DeadLetters.reasonOf(
                new WireFormatException(WireFormatException.Reason.TRAILING_BYTES, "2 bytes")));
        assertEquals(DlqReasons.KEY_MISMATCH, DeadLetters.reasonOf(new IllegalArgumentException("key: x")));
        assertEquals(DlqReasons.DESERIALIZATION, DeadLetters.reasonOf(new IllegalArgumentException("other")));
        assertEquals(DlqReasons.DESERIALIZATION, DeadLetters.reasonOf(new RuntimeException()));
        assertEquals(RuntimeException.class.getName(), DeadLetters.detailOf(new RuntimeException()));
    }

    @Test
    void aRecordTooLargeForTheDeadLetterTopicIsCutWithItsOriginalSizes() {
        byte[] key = "42".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var headers = DeadLetters.headers("ratings", 0, 7, 1L, DlqReasons.DESERIALIZATION, "bad marker");
        byte[][] small = DeadLetters.fit(key, new byte[100], headers, 10_000);
        assertEquals(100, small[1].length, "fits: unchanged");
        assertNull(DeadLetters.header(headers, DeadLetters.ORIGINAL_SIZE));

        byte[] value = new byte[20_000];
        java.util.Arrays.fill(value, (byte) 7);
        byte[][] cut = DeadLetters.fit(key, value, headers, 10_000);
        assertEquals("20000", DeadLetters.header(headers, DeadLetters.ORIGINAL_SIZE));
        assertArrayEquals(key, cut[0], "the key is kept when cutting the value is enough");
        assertTrue(cut[1].length > 9_000 && cut[1].length < 10_000, "cut to the room left: " + cut[1].length);
        assertEquals(7, cut[1][cut[1].length - 1], "a prefix of the original");
        int total = cut[0].length + cut[1].length;
        for (var h : headers) total += h.key().length() + h.value().length;
        assertTrue(total <= 10_000, "with its headers within the limit: " + total);

        var h2 = DeadLetters.headers("ratings", 0, 8, 1L, DlqReasons.DESERIALIZATION, "huge key");
        byte[][] both = DeadLetters.fit(new byte[50_000], new byte[50_000], h2, 10_000);
        assertEquals(0, both[1].length);
        assertTrue(both[0].length < 10_000);
        assertEquals("50000", DeadLetters.header(h2, DeadLetters.ORIGINAL_SIZE));
        assertEquals("50000", DeadLetters.header(h2, DeadLetters.ORIGINAL_KEY_SIZE));
    }
}
