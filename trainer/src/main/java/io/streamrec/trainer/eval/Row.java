package io.streamrec.trainer.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/** One line of a result table: a model's name and its metrics in print order. */
public record Row(String model, Map<String, Double> metrics) {
    public static Row of(String model, Object... nameValue) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) m.put((String) nameValue[i], ((Number) nameValue[i + 1]).doubleValue());
        return new Row(model, m);
    }

    public double get(String metric) {
        Double v = metrics.get(metric);
        if (v == null) throw new IllegalArgumentException("no metric " + metric + " in row " + model);
        return v;
    }
}
