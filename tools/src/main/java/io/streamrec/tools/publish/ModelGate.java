package io.streamrec.tools.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a freshly trained model may be published, judged by the evaluation its own {@code train} run stored in
 * the manifest: the run evaluated it, and the model beats the simple baselines of the same protocols on the same
 * data (rating RMSE below user+item biases, top-10 hit rate above popularity). A model that does not is kept out of
 * {@code current}. The model-lifecycle issue's publish step will replace this with its own checks and the swap.
 */
public final class ModelGate {
    static final String RATING_BASELINE = "user+item biases";
    static final String TOPK_BASELINE = "popularity";
    /** Our models are named "... (ours)" or "... (ours, d=256)" in the evaluation tables. */
    static final String OURS = "(ours";

    private ModelGate() {
    }

    /** The reasons the model fails the gate; empty when it passes. */
    public static List<String> problems(Map<String, Object> evaluation) {
        List<String> problems = new ArrayList<>();
        if (evaluation == null || evaluation.containsKey("status") && !evaluation.containsKey("rating")) {
            problems.add("the model was not evaluated (train ran with --no-evaluate, or stopped before its evaluation)");
            return problems;
        }
        compare(evaluation, "rating", "RMSE", RATING_BASELINE, true, problems);
        compare(evaluation, "topk", "HR@10", TOPK_BASELINE, false, problems);
        return problems;
    }

    private static void compare(Map<String, Object> evaluation, String section, String metric, String baseline,
                                boolean lowerIsBetter, List<String> problems) {
        if (!(evaluation.get(section) instanceof List<?> rows)) {
            problems.add(section + ": no rows in the evaluation");
            return;
        }
        Double base = null;
        double best = lowerIsBetter ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        String bestModel = null;
        for (Object o : rows) {
            if (!(o instanceof Map<?, ?> row) || !(row.get(metric) instanceof Number value)) {
                continue;
            }
            String model = String.valueOf(row.get("model"));
            double v = value.doubleValue();
            if (model.equals(baseline)) {
                base = v;
            } else if (model.contains(OURS) && !Double.isNaN(v) && (lowerIsBetter ? v < best : v > best)) {
                best = v;
                bestModel = model;
            }
        }
        if (base == null || bestModel == null) {
            problems.add(section + ": " + metric + " of " + (base == null ? "the baseline '" + baseline + "'" : "our models")
                    + " missing from the evaluation");
        } else if (lowerIsBetter ? !(best < base) : !(best > base)) {
            problems.add(String.format("%s: %s %.4f of '%s' does not beat '%s' (%.4f)", section, metric, best, bestModel,
                    baseline, base));
        }
    }
}
