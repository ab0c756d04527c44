package io.streamrec.tools.demo;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.model.ModelDirectory;
import io.streamrec.trainer.export.ModelPlots;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.TrainedModel;
import io.streamrec.trainer.train.TrainingCurve;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo's model: trained on first start (with the PNG plots), reused on later starts while the data is the same,
 * because training takes minutes (it also tunes the online step) and the point of a restart is to see the app pick up where it was.
 */
final class DemoModel {
    private static final String SOURCE_FILE = "demo-source.txt";

    private DemoModel() {}

    /** Trains into {@code dir} unless it already holds a model trained on {@code source}, or {@code retrain}. */
    static Path ensure(Dataset data, String source, Path dir, boolean retrain, PrintStream out) {
        Path marker = dir.resolve(SOURCE_FILE);
        try {
            if (!retrain && Files.exists(dir.resolve(ModelDirectory.MANIFEST)) && Files.exists(marker)
                    && Files.readString(marker, StandardCharsets.UTF_8).equals(source)) {
                out.println("model: reusing " + dir + " (trained earlier on " + source + "; --retrain trains again)");
                return dir;
            }
            out.printf("model: training on %s (%,d events, %,d movies); takes a few minutes (the online step is tuned too)...%n", source,
                    data.events().size(), data.movies().size());
            long t0 = System.nanoTime();
            TrainingCurve curve = new TrainingCurve(phaseLogger(out));
            TrainedModel tm = ModelTrainer.train(data, Indexed.of(data), TrainConfig.defaults(), "demo-" + System.currentTimeMillis() / 1000, curve);
            ModelDirectory.write(dir, tm.contents(Map.of("name", data.name(), "events", data.events().size())));
            var plots = ModelPlots.write(curve, tm.model(), dir);
            Files.writeString(marker, source, StandardCharsets.UTF_8);
            out.printf("model: %s written to %s in %.0f s, with %s%n", tm.model().version(), dir, (System.nanoTime() - t0) / 1e9,
                    plots.stream().map(p -> p.getFileName().toString()).toList());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line per finished phase, not per epoch: the demo's terminal is for the status line. */
    private static EpochListener phaseLogger(PrintStream out) {
        return (phase, epoch, max, train, validation) -> {
            if (epoch == max) out.printf("  %s: %d epochs, training loss %.4f%n", phase, epoch, train);
        };
    }
}
