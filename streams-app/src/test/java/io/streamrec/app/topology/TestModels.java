package io.streamrec.app.topology;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticData;
import io.streamrec.model.ModelDirectory;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model the real trainer exports once per test JVM, on small generated data. Its rating
 * dimension (48) differs from the retrieval dimension (32), as in production (256), but stays
 * small so the many tests that replay events stay fast.
 */
public final class TestModels {
    private static Path dir;
    private static Dataset data;

    private TestModels() {}

    public static synchronized Path modelDir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("streamrec-test-model");
                data = SyntheticData.generate(SyntheticConfig.small());
                var tm = ModelTrainer.train(data, Indexed.of(data), TrainConfig.defaults().withRatingDim(48).withOnlineTuning(false), "test-model", EpochListener.NONE);
                ModelDirectory.write(dir, tm.contents(Map.of()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return dir;
    }

    public static synchronized Dataset data() {
        modelDir();
        return data;
    }
}
