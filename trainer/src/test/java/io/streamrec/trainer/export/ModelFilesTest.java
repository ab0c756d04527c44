package io.streamrec.trainer.export;

import io.streamrec.model.ModelDirectory;

import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticData;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The model directory round-trips, and serving from it with ONNX Runtime gives the trainer's lists. */
class ModelFilesTest {
    @Test
    void writeReadAndServeTheSameRecommendations(@TempDir Path dir) throws Exception {
        Dataset data = SyntheticData.generate(SyntheticConfig.small());
        TrainedModel tm = ModelTrainer.train(data, Indexed.of(data), TrainConfig.defaults().withOnlineTuning(false), "test-v1", EpochListener.NONE);
        ModelDirectory.write(dir, tm.contents(Map.of("name", "synthetic small")));
        for (String f : new String[] {"manifest.json", "ranker.onnx", "items.avro", "movies.avro", "users.csv", "vectors.tsv", "metadata.tsv"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals(Files.readAllLines(dir.resolve("vectors.tsv")).size() + 1, Files.readAllLines(dir.resolve("metadata.tsv")).size());

        ModelDirectory.Loaded loaded = ModelDirectory.read(dir);
        RecommenderModel a = tm.model(), b = loaded.model();
        assertEquals("test-v1", b.version());
        assertEquals(a.dim(), b.dim());
        assertEquals(a.globalMean(), b.globalMean());
        assertArrayEquals(a.retrievalVectors(), b.retrievalVectors());
        assertArrayEquals(a.ratingBiases(), b.ratingBiases());
        assertArrayEquals(a.itemFeatures(), b.itemFeatures());
        assertEquals(tm.rankerWeight(), loaded.rankerWeight());
        assertEquals(a.online(), b.online());

        try (OnnxRanker onnx = OnnxRanker.load(loaded.onnx(), b.featureSpec(), 200)) {
            RecommendationPipeline javaSide = new RecommendationPipeline(a, CandidateRetriever.forModel(a), tm.ranker(), 200, tm.rankerWeight());
            RecommendationPipeline served = new RecommendationPipeline(b, CandidateRetriever.forModel(b), onnx, 200, loaded.rankerWeight());
            int[] x = new int[10], y = new int[10];
            float[] sx = new float[10], sy = new float[10];
            for (int u = 0; u < 20; u++) {
                var state = tm.userState(u);
                int n = javaSide.recommend(state, i -> false, 10, x, sx);
                assertEquals(n, served.recommend(state, i -> false, 10, y, sy));
                for (int r = 0; r < n; r++) assertEquals(sx[r], sy[r], 1e-4, "user " + u + " rank " + r);
            }
        }
    }

    @Test
    void missingFilesAreNamed(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelDirectory.read(dir));
        assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
    }

}
