package io.streamrec.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} must be what {@link AppConfig#documentation()} renders. After changing a setting,
 * regenerate it with
 * {@code mvn -pl streams-app test -Dtest=ConfigurationDocTest -Dstreamrec.docs.update=true}.
 */
class ConfigurationDocTest {

    @Test
    void docsConfigurationMdIsUpToDate() throws IOException {
        Path doc = docsDir().resolve("configuration.md");
        String expected = AppConfig.documentation();
        if (Boolean.getBoolean("streamrec.docs.update")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(doc), doc + " is missing; run with -Dstreamrec.docs.update=true to create it");
        assertEquals(expected, Files.readString(doc, StandardCharsets.UTF_8),
                doc + " is out of date; regenerate it: mvn -pl streams-app test -Dtest=ConfigurationDocTest"
                        + " -Dstreamrec.docs.update=true");
    }

    @Test
    void documentationListsEveryKeyAndDefault() {
        String md = AppConfig.documentation();
        for (ConfigDef.ConfigKey k : AppConfig.configDef().configKeys().values()) {
            String row = "| `" + k.name + "` | " + k.type.name().toLowerCase(Locale.ROOT) + " | `"
                    + ConfigDef.convertToString(k.defaultValue, k.type) + "` | " + k.validator + " | ";
            assertTrue(md.contains(row), row);
        }
    }

    /** The project's {@code docs} directory, found from the working directory (the module or the root). */
    private static Path docsDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/wire-format.md"))) {
                return p.resolve("docs");
            }
        }
        throw new IllegalStateException("no docs/wire-format.md above " + Path.of("").toAbsolutePath());
    }
}
