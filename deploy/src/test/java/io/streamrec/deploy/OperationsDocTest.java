package io.streamrec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.app.config.AppConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md matches the manifests: its "Settings at a glance" table against every rendering of k8s/, and
 * every {@code key=value} the page quotes in backticks against that table.
 */
class OperationsDocTest {
    static final String DOC = "docs/operations.md";
    private static final List<String> COLUMNS = List.of("k8s/base", "k8s/overlays/dev", "k8s/overlays/prod");
    private static final Pattern QUOTED = Pattern.compile("`([a-z.]+)=([^`\\s]+)`");

    /** Setting name (without backticks) to its cells, in the order of {@link #COLUMNS}. */
    static Map<String, List<String>> table() {
        String doc = Repo.read(DOC);
        int start = doc.indexOf("\n## Settings at a glance\n");
        assertTrue(start >= 0, DOC + " has no section \"Settings at a glance\"");
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : doc.substring(start).lines().toList()) {
            if (!line.startsWith("| ") || line.startsWith("| setting") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            List<String> values = new ArrayList<>();
            for (int i = 1; i < cells.length; i++) values.add(cells[i].trim());
            rows.put(cells[0].trim().replace("`", ""), values);
        }
        assertTrue(rows.size() >= 10, "the table lists the settings: " + rows.keySet());
        return rows;
    }

    @Test
    void theSettingsTableMatchesEveryRendering() {
        table().forEach((setting, cells) -> {
            assertEquals(COLUMNS.size(), cells.size(), setting);
            for (int i = 0; i < COLUMNS.size(); i++) {
                Rendered r = KubernetesManifestsTest.rendered(COLUMNS.get(i));
                assertEquals(cells.get(i), actual(setting, r), DOC + ": " + setting + " in " + r);
            }
        });
    }

    @Test
    void everyQuotedKeyValueAgreesWithTheTable() {
        Map<String, List<String>> table = table();
        Matcher m = QUOTED.matcher(Repo.read(DOC));
        int checked = 0;
        while (m.find()) {
            List<String> cells = table.get(m.group(1));
            if (cells == null) {
                continue;
            }
            String value = m.group(2);
            assertTrue(cells.stream().anyMatch(c -> c.equals(value) || c.startsWith("default (" + value + ")")),
                    DOC + " quotes " + m.group() + " but the manifests say " + cells);
            checked++;
        }
        assertTrue(checked >= 4, "the page quotes its settings (" + checked + ")");
    }

    /** The value of a row of the table in one rendering, written as the table writes it. */
    private static String actual(String setting, Rendered r) {
        return switch (setting) {
            case "terminationGracePeriodSeconds" -> String.valueOf(
                    Resources.at(r.app(), "spec.template.spec.terminationGracePeriodSeconds").orElse("none"));
            case "preStop pause (s)" -> {
                List<Object> cmd = Resources.list(r.appContainer(), "lifecycle.preStop.exec.command");
                yield String.valueOf(cmd.get(cmd.size() - 1)).replace("sleep ", "");
            }
            case "autoscaler min–max pods" -> Rendered.minReplicas(r.autoscaler()) + "–" + Rendered.maxReplicas(r.autoscaler());
            case "input partitions" -> r.name().equals("k8s/base") ? "n/a" : String.valueOf(KubernetesManifestsTest
                    .declaredTopics(r).get(r.appConfig("streamrec-0").ratingsTopic()).partitions());
            default -> configValue(setting, r.appConfig("streamrec-0"));
        };
    }

    private static String configValue(String key, AppConfig config) {
        String v = config.passthrough().get(key);
        if (v == null) v = config.values().get(key);
        if (v != null) return v;
        Object kafkaDefault = org.apache.kafka.streams.StreamsConfig.configDef().defaultValues().get(key);
        return kafkaDefault == null || kafkaDefault instanceof List<?> l && l.isEmpty() ? "none" : "default (" + kafkaDefault + ")";
    }
}
