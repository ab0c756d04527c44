package io.streamrec.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.Test;

/**
 * The compatibility rule of the wire format: the current schema of every record must read every released
 * version in {@code schemas/history} (backward compatibility: new fields need defaults). Plus: every field is
 * documented, and the classpath copy of the history is the same as {@code schemas/history}.
 */
class SchemaCompatibilityTest {

    private static final Pattern HISTORY_FILE = Pattern.compile("([A-Za-z0-9_]+)\\.v([0-9]+)\\.avsc");

    static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        Path dir = basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("src/main/avro"))) {
            fail("cannot find the schemas module (src/main/avro) from " + dir);
        }
        return dir;
    }

    /** Current schemas by simple name, parsed from {@code src/main/avro}. */
    static Map<String, Schema> currentSchemas() throws IOException {
        Map<String, Schema> current = new TreeMap<>();
        try (Stream<Path> files = Files.list(moduleDir().resolve("src/main/avro"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".avsc")).sorted().collect(Collectors.toList())) {
                Schema s = parse(p);
                assertEquals(p.getFileName().toString(), s.getName() + ".avsc", "file name must be the record name");
                current.put(s.getName(), s);
            }
        }
        assertFalse(current.isEmpty());
        return current;
    }

    /** Historical schemas by simple name, oldest first, parsed from {@code schemas/history}. */
    static Map<String, List<Schema>> historicalSchemas() throws IOException {
        Map<String, TreeMap<Integer, Schema>> byName = new TreeMap<>();
        try (Stream<Path> files = Files.list(moduleDir().resolve("history"))) {
            for (Path p : files.sorted().collect(Collectors.toList())) {
                Matcher m = HISTORY_FILE.matcher(p.getFileName().toString());
                assertTrue(m.matches(), "history files are named <Name>.v<N>.avsc: " + p);
                Schema s = parse(p);
                assertEquals(m.group(1), s.getName(), p + " must hold a version of " + m.group(1));
                byName.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), s);
            }
        }
        Map<String, List<Schema>> out = new TreeMap<>();
        byName.forEach((name, versions) -> {
            // SchemaHistory loads v1, v2, ... up to the first gap: a gap would hide the later versions
            assertEquals(versions.size(), versions.lastKey(), name + ": versions must be numbered 1..n, no gaps: "
                    + versions.keySet());
            out.put(name, new ArrayList<>(versions.values()));
        });
        return out;
    }

    @Test
    void currentSchemasReadEveryHistoricalVersion() throws IOException {
        Map<String, Schema> current = currentSchemas();
        Map<String, List<Schema>> history = historicalSchemas();
        int checked = 0;
        for (Map.Entry<String, List<Schema>> e : history.entrySet()) {
            Schema reader = current.get(e.getKey());
            assertNotNull(reader, "schemas/history has " + e.getKey() + " but src/main/avro does not");
            int v = 1;
            for (Schema writer : e.getValue()) {
                assertBackwardCompatible(reader, writer, e.getKey() + ".v" + v++);
                checked++;
            }
        }
        assertTrue(checked >= current.size(), "every released record type has at least one historical version");
        for (String name : current.keySet()) {
            assertTrue(history.containsKey(name), name + " has no released version in schemas/history: add "
                    + name + ".v1.avsc (a copy of the current schema) when it is first released");
        }
    }

    /** The check above can fail: a new required field without default cannot read the released version. */
    @Test
    void aNewRequiredFieldWithoutDefaultIsDetected() throws IOException {
        Schema broken;
        try (InputStream in = getClass().getResourceAsStream("RatingEvent.incompatible-test.avsc")) {
            broken = new Schema.Parser().parse(in);
        }
        Schema released = historicalSchemas().get("RatingEvent").get(0);
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(broken, released);
        assertEquals(SchemaCompatibilityType.INCOMPATIBLE, result.getType());
        assertEquals(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE,
                result.getResult().getIncompatibilities().get(0).getType());
        AssertionError error = assertThrows(AssertionError.class,
                () -> assertBackwardCompatible(broken, released, "RatingEvent.v1"));
        assertTrue(error.getMessage().contains("sessionId"), error.getMessage());

        // ... and giving the field a default makes it compatible again
        Schema fixed = new Schema.Parser().parse(broken.toString().replace(
                "\"name\":\"sessionId\",\"type\":\"string\"", "\"name\":\"sessionId\",\"type\":\"string\",\"default\":\"\""));
        assertBackwardCompatible(fixed, released, "RatingEvent.v1");
    }

    @Test
    void everyRecordAndFieldHasADoc() throws IOException {
        List<Schema> all = new ArrayList<>(currentSchemas().values());
        historicalSchemas().values().forEach(all::addAll);
        List<String> missing = new ArrayList<>();
        for (Schema s : all) {
            collectMissingDocs(s, missing, new IdentityHashMap<>());
        }
        assertTrue(missing.isEmpty(), "missing or empty doc: " + missing);
    }

    /** The generated classes are built from exactly these files. */
    @Test
    void generatedClassesMatchTheAvscFiles() throws IOException {
        Map<String, Schema> current = currentSchemas();
        assertEquals(current.size(), SchemaHistory.currentSchemas().size(),
                "every .avsc must be listed in SchemaHistory.currentSchemas (and get a serde in RecordSerdes)");
        for (Schema compiled : SchemaHistory.currentSchemas()) {
            Schema file = current.get(compiled.getName());
            assertNotNull(file, compiled.getFullName());
            // the plugin marks strings as java.lang.String (stringType=String); otherwise the same, docs included
            String compiledJson = compiled.toString()
                    .replace("{\"type\":\"string\",\"avro.java.string\":\"String\"}", "\"string\"");
            assertEquals(file.toString(), compiledJson, compiled.getFullName());
            assertEquals(SchemaHistory.fingerprint(file), SchemaHistory.fingerprint(compiled));
        }
    }

    /** src/main/resources/io/streamrec/schemas/history is a copy of schemas/history (the serdes read the copy). */
    @Test
    void classpathHistoryIsACopyOfSchemasHistory() throws IOException {
        Path history = moduleDir().resolve("history");
        List<String> names;
        try (Stream<Path> files = Files.list(history)) {
            names = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        for (String name : names) {
            try (InputStream in = SchemaHistory.class.getResourceAsStream(SchemaHistory.RESOURCE_DIR + name)) {
                assertNotNull(in, "copy schemas/history/" + name + " to src/main/resources"
                        + SchemaHistory.RESOURCE_DIR);
                assertArrayEquals(Files.readAllBytes(history.resolve(name)), in.readAllBytes(),
                        "src/main/resources" + SchemaHistory.RESOURCE_DIR + name + " differs from schemas/history/"
                                + name);
            }
        }
        Path copy = moduleDir().resolve("src/main/resources" + SchemaHistory.RESOURCE_DIR);
        try (Stream<Path> files = Files.list(copy)) {
            assertEquals(names, files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
                    "the classpath copy has files schemas/history does not");
        }
        Map<String, List<Schema>> fromFiles = historicalSchemas();
        for (Schema current : SchemaHistory.currentSchemas()) {
            List<Schema> loaded = SchemaHistory.historicalVersions(current.getFullName());
            List<Schema> expected = fromFiles.getOrDefault(current.getName(), List.of());
            assertEquals(expected.size(), loaded.size(), current.getName());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).toString(), loaded.get(i).toString());
            }
        }
    }

    static void assertBackwardCompatible(Schema reader, Schema writer, String writerName) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            String why = result.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                    .collect(Collectors.joining("; "));
            fail("the current " + reader.getName() + " schema cannot read records written with " + writerName
                    + " (new fields need defaults; never remove a field without a default, never change a type"
                    + " except by Avro promotion): " + why);
        }
    }

    private static void collectMissingDocs(Schema s, List<String> missing, Map<Schema, Boolean> seen) {
        if (seen.put(s, Boolean.TRUE) != null) {
            return;
        }
        switch (s.getType()) {
            case RECORD:
                if (isBlank(s.getDoc())) {
                    missing.add(s.getFullName());
                }
                for (Schema.Field f : s.getFields()) {
                    if (isBlank(f.doc())) {
                        missing.add(s.getFullName() + "." + f.name());
                    }
                    collectMissingDocs(f.schema(), missing, seen);
                }
                break;
            case ARRAY:
                collectMissingDocs(s.getElementType(), missing, seen);
                break;
            case MAP:
                collectMissingDocs(s.getValueType(), missing, seen);
                break;
            case UNION:
                s.getTypes().forEach(t -> collectMissingDocs(t, missing, seen));
                break;
            case ENUM:
            case FIXED:
                if (isBlank(s.getDoc())) {
                    missing.add(s.getFullName());
                }
                break;
            default:
                break;
        }
    }

    private static boolean isBlank(String doc) {
        return doc == null || doc.isBlank();
    }

    private static Schema parse(Path p) throws IOException {
        try {
            return new Schema.Parser().parse(p.toFile());
        } catch (RuntimeException e) {
            throw new AssertionError("cannot parse " + p + ": " + e.getMessage(), e);
        }
    }
}
