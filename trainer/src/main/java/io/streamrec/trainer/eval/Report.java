package io.streamrec.trainer.eval;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Result tables printed for people and kept as a map for the JSON report. */
public final class Report {
    private final Map<String, Object> sections = new LinkedHashMap<>();

    public void add(String section, List<Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.model());
            m.putAll(r.metrics());
            out.add(m);
        }
        sections.put(section, out);
    }

    public void put(String key, Object value) {
        sections.put(key, value);
    }

    public Map<String, Object> asMap() {
        return sections;
    }

    public static void print(PrintStream out, String title, List<Row> rows) {
        out.println();
        out.println(title);
        if (rows.isEmpty()) return;
        List<String> metrics = new ArrayList<>(rows.get(0).metrics().keySet());
        int w = rows.stream().mapToInt(r -> r.model().length()).max().orElse(10) + 2;
        StringBuilder head = new StringBuilder(String.format("  %-" + w + "s", "model"));
        for (String m : metrics) head.append(String.format("%12s", m));
        out.println(head);
        for (Row r : rows) {
            StringBuilder line = new StringBuilder(String.format("  %-" + w + "s", r.model()));
            for (String m : metrics) {
                double v = r.metrics().getOrDefault(m, Double.NaN);
                line.append(v == Math.rint(v) && Math.abs(v) >= 10 ? String.format("%12.0f", v) : String.format("%12.4f", v));
            }
            out.println(line);
        }
    }
}
