package io.streamrec.schemas;

import io.streamrec.avro.ItemVector;
import io.streamrec.avro.ModelVersion;
import io.streamrec.avro.UserVector;
import io.streamrec.avro.Movie;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.WatchEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every schema a record on a topic may have been written with: the current schemas (compiled into
 * {@code io.streamrec.avro}) and the released historical versions kept in {@code schemas/history/<Name>.vN.avsc}.
 *
 * <p>The historical files are read from the classpath, {@code /io/streamrec/schemas/history/<Name>.v1.avsc},
 * {@code .v2.avsc}, ... until the first missing number (a copy of {@code schemas/history}, kept in sync by
 * {@code SchemaCompatibilityTest}).
 */
public final class SchemaHistory {

    /** Classpath folder holding the historical {@code <Name>.vN.avsc} files. */
    public static final String RESOURCE_DIR = "/io/streamrec/schemas/history/";

    private static final List<Schema> CURRENT = List.of(
            RatingEvent.getClassSchema(),
            WatchEvent.getClassSchema(),
            Movie.getClassSchema(),
            ItemVector.getClassSchema(),
            Recommendations.getClassSchema(),
            UserVector.getClassSchema(),
            ModelVersion.getClassSchema());

    /** Full name -> historical versions, oldest first. */
    private static final Map<String, List<Schema>> HISTORY = loadHistory();

    private SchemaHistory() {}

    /** The current schema of every record type on a topic. */
    public static List<Schema> currentSchemas() {
        return CURRENT;
    }

    /**
     * The released historical versions of the record type with this full name (e.g.
     * {@code io.streamrec.avro.RatingEvent}), oldest first; empty for an unknown name.
     */
    public static List<Schema> historicalVersions(String fullName) {
        return HISTORY.getOrDefault(fullName, List.of());
    }

    /**
     * Every schema a value of this record type may have been written with: the given current schema first, then
     * the historical versions, without duplicates (by fingerprint).
     */
    public static List<Schema> writerSchemas(Schema current) {
        Map<Long, Schema> byFingerprint = new LinkedHashMap<>();
        byFingerprint.put(fingerprint(current), current);
        for (Schema old : historicalVersions(current.getFullName())) {
            byFingerprint.putIfAbsent(fingerprint(old), old);
        }
        return List.copyOf(byFingerprint.values());
    }

    /** The known schema (current or historical, of any record type) with this fingerprint. */
    public static Optional<Schema> findAny(long fingerprint) {
        for (Schema s : CURRENT) {
            for (Schema w : writerSchemas(s)) {
                if (fingerprint(w) == fingerprint) {
                    return Optional.of(w);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The CRC-64-AVRO fingerprint of the schema's parsing canonical form, as a Java {@code long}. On the wire it
     * is written little-endian (see {@link #fingerprintHex(long)}).
     */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /**
     * The fingerprint as 16 lowercase hex digits in wire order (little-endian: the byte at offset 2 of a value
     * first), the form other Avro libraries print (e.g. fastavro's {@code fingerprint(..., "CRC-64-AVRO")}).
     */
    public static String fingerprintHex(long fingerprint) {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            int b = (int) (fingerprint >>> (8 * i)) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    private static Map<String, List<Schema>> loadHistory() {
        Map<String, List<Schema>> history = new LinkedHashMap<>();
        for (Schema current : CURRENT) {
            List<Schema> versions = new ArrayList<>();
            for (int v = 1; ; v++) {
                String resource = RESOURCE_DIR + current.getName() + ".v" + v + ".avsc";
                Schema old = readResource(resource);
                if (old == null) {
                    break;
                }
                if (!old.getFullName().equals(current.getFullName())) {
                    throw new IllegalStateException(resource + " defines " + old.getFullName()
                            + ", expected a version of " + current.getFullName());
                }
                versions.add(old);
            }
            history.put(current.getFullName(), Collections.unmodifiableList(versions));
        }
        return Collections.unmodifiableMap(history);
    }

    private static Schema readResource(String resource) {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            // A fresh parser per file: every file defines its own (possibly nested) named types.
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + resource, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot parse schema " + resource + ": " + e.getMessage(), e);
        }
    }
}
