package io.streamrec.tools.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamrec.model.GeneratedModel;
import io.streamrec.model.ModelDirectory;
import io.streamrec.tools.Recsys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recsys gate DIR} on real model directories: what the trainer CronJob runs before publishing. */
class GateCommandTest {
    @Test
    void refusesAnUnevaluatedModelAndPassesOneThatBeatsTheBaselines(@TempDir Path dir) throws Exception {
        GeneratedModel.write(dir, 30, 4, new int[]{4}, 7);
        assertEquals(1, Recsys.commandLine().execute("gate", dir.toString()), "not evaluated: refused");
        ModelDirectory.writeEvaluation(dir, Map.of(
                "rating", List.of(Map.of("model", "user+item biases", "RMSE", 0.88), Map.of("model", "biased MF (ours, d=4)", "RMSE", 0.85)),
                "topk", List.of(Map.of("model", "popularity", "HR@10", 0.3), Map.of("model", "retrieval + ranking network (ours)", "HR@10", 0.4))));
        assertEquals(0, Recsys.commandLine().execute("gate", dir.toString()), "evaluated and better than the baselines");
    }

    @Test
    void refusesADirectoryThatDoesNotLoad(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(ModelDirectory.MANIFEST), "{}");
        assertEquals(1, Recsys.commandLine().execute("gate", dir.toString()));
    }
}
