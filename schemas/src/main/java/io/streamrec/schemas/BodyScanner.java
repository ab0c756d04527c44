package io.streamrec.schemas;

import io.streamrec.schemas.WireFormatException.Reason;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Walks an Avro binary body against its writer schema without building anything, checking that every length,
 * count and union index fits inside the bytes actually present and that the body ends exactly at the end of the
 * value.
 *
 * <p>Why: Avro's Java decoder allocates a string, bytes or array of the length the data <em>claims</em> before
 * reading it, so a corrupt or hostile value claiming a 2 GB string would take the consuming application down
 * with an {@link OutOfMemoryError}, again on every restart (a poison pill). After this scan succeeds, every
 * allocation the real decoder makes is bounded by the size of the value. The scan is cheap: no allocation, one
 * pass over bytes already in cache.
 */
final class BodyScanner {

    private final byte[] buf;
    private final int limit;
    private final String typeName;
    private int pos;

    private BodyScanner(byte[] buf, int start, String typeName) {
        this.buf = buf;
        this.pos = start;
        this.limit = buf.length;
        this.typeName = typeName;
    }

    /**
     * Checks that {@code buf[start..]} is exactly one value of {@code writer}.
     *
     * @throws WireFormatException (truncated body, malformed body, trailing bytes) if not
     */
    static void check(byte[] buf, int start, Schema writer, String typeName) {
        BodyScanner s = new BodyScanner(buf, start, typeName);
        s.walk(writer);
        if (s.pos != s.limit) {
            throw new WireFormatException(Reason.TRAILING_BYTES, (s.limit - s.pos) + " byte(s) after the end of the "
                    + typeName + " body (body is " + (s.pos - start) + " bytes, value " + s.limit
                    + "); a value holds exactly one record");
        }
    }

    private void walk(Schema schema) {
        switch (schema.getType()) {
            case NULL:
                return;
            case BOOLEAN:
                need(1, "boolean");
                pos += 1;
                return;
            case INT:
                readInt("int");
                return;
            case LONG:
                readLong("long");
                return;
            case FLOAT:
                need(4, "float");
                pos += 4;
                return;
            case DOUBLE:
                need(8, "double");
                pos += 8;
                return;
            case STRING:
            case BYTES:
                skipLengthPrefixed(schema.getType() == Schema.Type.STRING ? "string" : "bytes");
                return;
            case FIXED:
                need(schema.getFixedSize(), "fixed " + schema.getFullName());
                pos += schema.getFixedSize();
                return;
            case ENUM: {
                int index = readInt("enum index");
                if (index < 0 || index >= schema.getEnumSymbols().size()) {
                    throw malformed("enum index " + index + " out of range for " + schema.getFullName()
                            + " (" + schema.getEnumSymbols().size() + " symbols)");
                }
                return;
            }
            case UNION: {
                List<Schema> branches = schema.getTypes();
                int index = readInt("union index");
                if (index < 0 || index >= branches.size()) {
                    throw malformed("union index " + index + " out of range (the union has " + branches.size()
                            + " branches) at offset " + (pos - 1));
                }
                walk(branches.get(index));
                return;
            }
            case RECORD: {
                List<Schema.Field> fields = schema.getFields();
                for (int i = 0, n = fields.size(); i < n; i++) {
                    walk(fields.get(i).schema());
                }
                return;
            }
            case ARRAY:
                walkBlocks(schema.getElementType(), false);
                return;
            case MAP:
                walkBlocks(schema.getValueType(), true);
                return;
            default:
                throw new IllegalStateException("unsupported schema type " + schema.getType());
        }
    }

    /** Array or map blocks: count, [byte size if count < 0], items; a zero count ends the collection. */
    private void walkBlocks(Schema itemSchema, boolean map) {
        String what = map ? "map" : "array";
        while (true) {
            long count = readLong(what + " block count");
            if (count == 0) {
                return;
            }
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw malformed(what + " block count out of range");
                }
                count = -count;
                long size = readLong(what + " block size");
                if (size < 0) {
                    throw malformed("negative " + what + " block size " + size);
                }
            }
            // Every item takes at least one byte for our schemas; more items than bytes left cannot be real
            // and would make the decoder pre-allocate a huge collection.
            if (count > limit - pos) {
                throw truncated(what + " block claims " + count + " items but only " + (limit - pos)
                        + " bytes remain");
            }
            for (long i = 0; i < count; i++) {
                if (map) {
                    skipLengthPrefixed("map key");
                }
                walk(itemSchema);
            }
        }
    }

    private void skipLengthPrefixed(String what) {
        long length = readLong(what + " length");
        if (length < 0) {
            throw malformed("negative " + what + " length " + length + " at offset " + pos);
        }
        need(length, what + " of " + length + " bytes");
        pos += (int) length;
    }

    private int readInt(String what) {
        long v = readVarLong(what, 5);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw malformed(what + " " + v + " does not fit an int");
        }
        return (int) v;
    }

    private long readLong(String what) {
        return readVarLong(what, 10);
    }

    /** Zig-zag varint, at most {@code maxBytes} bytes. */
    private long readVarLong(String what, int maxBytes) {
        int start = pos;
        long raw = 0;
        for (int shift = 0, i = 0; ; shift += 7, i++) {
            if (i == maxBytes) {
                throw malformed("invalid varint for " + what + " at offset " + start + " (longer than "
                        + maxBytes + " bytes)");
            }
            if (pos >= limit) {
                throw truncated("ended inside a varint (" + what + ") at offset " + pos);
            }
            int b = buf[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return (raw >>> 1) ^ -(raw & 1);
    }

    private void need(long n, String what) {
        if (n > limit - pos) {
            throw truncated("needs " + n + " more byte(s) for " + what + " at offset " + pos + ", only "
                    + (limit - pos) + " left");
        }
    }

    private WireFormatException truncated(String detail) {
        return new WireFormatException(Reason.TRUNCATED_BODY, typeName + " body " + detail + " (value is "
                + limit + " bytes)");
    }

    private WireFormatException malformed(String detail) {
        return new WireFormatException(Reason.MALFORMED_BODY, typeName + " body: " + detail);
    }
}
