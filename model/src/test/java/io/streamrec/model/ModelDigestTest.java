package io.streamrec.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelDigestTest {
    @TempDir
    Path dir;

    @Test
    void sameFilesSameDigestAndAnyChangeChangesIt() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.txt"), "beta");
        String d = ModelDigest.of(dir);
        assertTrue(d.matches("sha256:[0-9a-f]{64}"), d);
        assertEquals(d, ModelDigest.of(dir));

        Files.writeString(dir.resolve("sub/b.txt"), "betb");
        String changed = ModelDigest.of(dir);
        assertNotEquals(d, changed);
        Files.move(dir.resolve("sub/b.txt"), dir.resolve("sub/c.txt"));
        assertNotEquals(changed, ModelDigest.of(dir), "a rename changes the digest");
    }

    @Test
    void knownValueForOneFile() throws Exception {
        Files.writeString(dir.resolve("x"), "hi");
        // sha256 of "x" 0x00 0x0000000000000002 "hi", computed with: printf 'x\0\0\0\0\0\0\0\0\2hi' | sha256sum
        assertEquals("sha256:ad0657ba6c9dd11b6b01977e660090ca1c45a349e1df78434e0bba85bffa420a", ModelDigest.of(dir));
    }

    @Test
    void locations() {
        assertEquals(dir.toAbsolutePath(), ModelDigest.directory(ModelDigest.location(dir)));
        assertEquals(Path.of("/models/v2"), ModelDigest.directory("/models/v2"));
        var e = assertThrows(IllegalArgumentException.class, () -> ModelDigest.directory("s3://bucket/v2"));
        assertTrue(e.getMessage().contains("object-store"), e.getMessage());
    }
}
