package io.streamrec.schemas;

import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that is not a well-formed Avro single-object encoding of a known version of the expected
 * schema. Thrown by {@link AvroSerde#deserialize(String, byte[])}; never thrown for {@code null} values.
 *
 * <p>The {@linkplain #getMessage() message} starts with a short phrase naming what was wrong ("bad marker",
 * "truncated header", "unknown schema fingerprint", "truncated body", "malformed body", "trailing bytes")
 * followed by details, so it can be put as-is into a dead-letter header. {@link #reason()} gives the same
 * classification as an enum and {@link #dlqReason()} the dead-letter reason code documented in
 * {@code docs/wire-format.md}.
 */
public class WireFormatException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** What was wrong with the bytes. */
    public enum Reason {
        /** The value does not start with the single-object marker {@code C3 01}. */
        BAD_MARKER("bad marker", DlqReasons.DESERIALIZATION),
        /** Fewer than 10 bytes: the marker is there but the 8-byte schema fingerprint is cut off. */
        TRUNCATED_HEADER("truncated header", DlqReasons.DESERIALIZATION),
        /** The fingerprint is not that of any known (current or historical) version of the expected schema. */
        UNKNOWN_SCHEMA("unknown schema fingerprint", DlqReasons.UNKNOWN_SCHEMA),
        /** The Avro body ends before the writer schema says it should. */
        TRUNCATED_BODY("truncated body", DlqReasons.DESERIALIZATION),
        /** The Avro body is not valid for the writer schema (bad union index, negative length, bad varint...). */
        MALFORMED_BODY("malformed body", DlqReasons.DESERIALIZATION),
        /** Bytes are left over after the Avro body; a value holds exactly one record. */
        TRAILING_BYTES("trailing bytes", DlqReasons.DESERIALIZATION);

        private final String phrase;
        private final String dlqReason;

        Reason(String phrase, String dlqReason) {
            this.phrase = phrase;
            this.dlqReason = dlqReason;
        }

        /** The phrase the exception message starts with, e.g. {@code "bad marker"}. */
        public String phrase() {
            return phrase;
        }

        /** The dead-letter reason code: {@code "unknown-schema"} or {@code "deserialization"}. */
        public String dlqReason() {
            return dlqReason;
        }
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String detail) {
        this(reason, detail, null);
    }

    public WireFormatException(Reason reason, String detail, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason").phrase() + ": " + detail, cause);
        this.reason = reason;
    }

    /** What was wrong. */
    public Reason reason() {
        return reason;
    }

    /**
     * The dead-letter reason code for this failure: {@code "unknown-schema"} for an unknown fingerprint,
     * {@code "deserialization"} for everything else.
     */
    public String dlqReason() {
        return reason.dlqReason();
    }
}
