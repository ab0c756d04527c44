package io.streamrec.trainer.export;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticData;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.TrainedModel;
import io.streamrec.trainer.train.TrainingCurve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** A real (small) training run recorded by TrainingCurve, drawn to PNGs that decode and are not blank. */
class ModelPlotsTest {

    @Test
    void writesTheTrainingCurveAndTheEmbeddingMap(@TempDir Path dir) throws Exception {
        Dataset data = SyntheticData.generate(SyntheticConfig.small());
        TrainingCurve curve = new TrainingCurve(EpochListener.NONE);
        TrainedModel tm = ModelTrainer.train(data, Indexed.of(data), TrainConfig.defaults().withRatingDim(48).withOnlineTuning(false), "plot-test", curve);

        assertTrue(curve.phases().size() >= 2, "phases recorded: " + curve.phases().keySet());
        curve.phases().forEach((phase, points) -> {
            assertFalse(points.isEmpty(), phase);
            for (int i = 0; i < points.size(); i++) assertEquals(i + 1, points.get(i).epoch(), phase + " epochs in order");
        });

        List<Path> written = ModelPlots.write(curve, tm.model(), dir);
        assertEquals(List.of(dir.resolve(ModelPlots.TRAINING_CURVE), dir.resolve(ModelPlots.EMBEDDING_MAP)), written);
        BufferedImage curveImage = ImageIO.read(written.get(0).toFile());
        assertEquals(520 * curve.phases().size(), curveImage.getWidth(), "one chart per phase, side by side");
        assertEquals(360, curveImage.getHeight());
        assertTrue(colours(curveImage) > 10, "the curve image has lines and text, not a blank canvas");
        BufferedImage map = ImageIO.read(written.get(1).toFile());
        assertEquals(1000, map.getWidth());
        assertTrue(colours(map) > 12, "the map has one colour per genre at least");
    }

    @Test
    void anEmptyCurveIsRefused(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ModelPlots.writeTrainingCurve(new TrainingCurve(EpochListener.NONE), dir.resolve("x.png")));
        assertTrue(e.getMessage().startsWith("curve:"), e.getMessage());
    }

    private static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) for (int x = 0; x < img.getWidth(); x += 2) seen.add(img.getRGB(x, y));
        return seen.size();
    }
}
