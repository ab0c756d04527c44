package io.streamrec.tools.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.model.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelGateTest {
    private static Map<String, Object> evaluation(double oursRmse, double oursHr) {
        return Map.of(
                "rating", List.of(Map.of("model", "global mean", "RMSE", 1.03),
                        Map.of("model", ModelGate.RATING_BASELINE, "RMSE", 0.876),
                        Map.of("model", "biased MF (ours, d=256)", "RMSE", oursRmse)),
                "topk", List.of(Map.of("model", ModelGate.TOPK_BASELINE, "HR@10", 0.377),
                        Map.of("model", "item-kNN (cosine)", "HR@10", 0.475),
                        Map.of("model", "retrieval + ranking network (ours)", "HR@10", oursHr)));
    }

    @Test
    void aModelThatBeatsTheBaselinesPasses() {
        assertEquals(List.of(), ModelGate.problems(evaluation(0.837, 0.493)));
    }

    @Test
    void aModelWorseThanBiasesOrPopularityFailsWithBothReasons() {
        List<String> problems = ModelGate.problems(evaluation(0.9, 0.30));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("rating: RMSE 0.9000"), problems.get(0));
        assertTrue(problems.get(1).startsWith("topk: HR@10 0.3000"), problems.get(1));
    }

    @Test
    void anUnevaluatedOrIncompleteEvaluationFails() {
        assertEquals(1, ModelGate.problems(Manifest.NOT_EVALUATED).size());
        List<String> problems = ModelGate.problems(Map.of("rating", List.of(Map.of("model", "biased MF (ours)", "RMSE", 0.8))));
        assertTrue(problems.get(0).contains("baseline 'user+item biases' missing"), problems.toString());
        assertTrue(problems.get(1).startsWith("topk: no rows"), problems.toString());
    }

    @Test
    void notANumberNeverPasses() {
        assertEquals(1, ModelGate.problems(evaluation(Double.NaN, 0.5)).size());
    }
}
