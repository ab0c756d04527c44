package io.streamrec.app.dlq;

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
}
