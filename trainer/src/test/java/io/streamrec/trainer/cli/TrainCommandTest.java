package io.streamrec.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.model.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** `train` through its command line, on a small generated catalogue. */
class TrainCommandTest {
    private static final String[] SMALL = {"--synthetic", "--synthetic-users", "150", "--synthetic-movies", "300"};

    private static int train(Path out, String... more) {
        String[] args = new String[SMALL.length + 3 + more.length];
        args[0] = "train";
        System.arraycopy(SMALL, 0, args, 1, SMALL.length);
        args[SMALL.length + 1] = "--out";
        args[SMALL.length + 2] = out.toString();
        System.arraycopy(more, 0, args, SMALL.length + 3, more.length);
        return TrainerMain.commandLine().execute(args);
    }

    @Test
    void manifestCarriesTheEvaluationOfTheTrainingProcedure(@TempDir Path out) throws Exception {
        assertEquals(0, train(out));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve(ModelDirectory.MANIFEST).toFile());
        JsonNode evaluation = manifest.get("evaluation");
        assertEquals(new ObjectMapper().readTree(out.resolve(ModelDirectory.EVALUATION).toFile()), evaluation);
        for (String protocol : new String[] {"rating", "topk", "prequential", "streaming"}) {
            assertTrue(evaluation.get(protocol).isArray() && !evaluation.get(protocol).isEmpty(), protocol + ": " + evaluation);
        }
        JsonNode mf = evaluation.get("rating").get(2);
        assertTrue(mf.get("model").asText().startsWith("biased MF"), mf.toString());
        double rmse = mf.get("RMSE").asDouble();
        assertTrue(rmse > 0 && rmse < evaluation.get("rating").get(0).get("RMSE").asDouble(),
                "MF beats the global mean: " + evaluation.get("rating"));
        assertEquals(256, manifest.get("ratingDim").asInt());
        assertEquals(32, manifest.get("dim").asInt());
        // and the model directory still loads for serving
        assertEquals(256, ModelDirectory.read(out).model().ratingDim());
    }

    @Test
    void noEvaluateSaysSoInTheManifest(@TempDir Path out) throws Exception {
        // the online tuning is not what this checks (the test above runs it): skipped to save ~15 s of the suite
        assertEquals(0, train(out, "--no-evaluate", "--no-tune-online"));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve(ModelDirectory.MANIFEST).toFile());
        assertEquals("not run", manifest.get("evaluation").get("status").asText());
        assertFalse(Files.exists(out.resolve(ModelDirectory.EVALUATION)));
    }
}
