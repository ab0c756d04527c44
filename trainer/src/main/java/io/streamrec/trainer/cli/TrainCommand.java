package io.streamrec.trainer.cli;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.eval.Protocols;
import io.streamrec.trainer.eval.Report;
import io.streamrec.model.ModelDirectory;
import io.streamrec.trainer.export.ModelPlots;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.TrainedModel;
import io.streamrec.trainer.train.TrainingCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Learns movie and user embeddings and the ranking network, and writes the model directory.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;

    @Mixin
    ModelShapeOptions shape;

    @Option(names = "--out", required = true, description = "Model directory to write")
    Path out;

    @Option(names = "--model-version", description = "Model version (default: a timestamp)")
    String version;

    @Option(names = "--evaluate", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "After writing the model, run the evaluation protocols (as `evaluate` does) on the same data and"
                    + " store the report in manifest.json and evaluation.json (default: on; --no-evaluate skips it)")
    boolean evaluate;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        Dataset data = dataOptions.load();
        System.out.println("data: " + data);
        String v = version != null ? version : "m" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        TrainedModel tm;
        TrainingCurve curve;
        try (Progress progress = new Progress()) {
            curve = new TrainingCurve(progress);
            tm = ModelTrainer.train(data, Indexed.of(data), shape.apply(TrainConfig.defaults()), v, curve);
        }
        Map<String, Object> trainedOn = Map.of("name", data.name(), "events", data.events().size(), "movies", data.movies().size(),
                "digest", DataDigest.of(data));
        ModelDirectory.write(out, tm.contents(trainedOn));
        ModelPlots.write(curve, tm.model(), out);
        System.out.printf("model %s written to %s in %.1f s (choices: %s)%n", v, out, (System.nanoTime() - t0) / 1e9, tm.choices());
        if (evaluate) {
            long t1 = System.nanoTime();
            System.out.println("evaluating the training procedure on held-out splits of the same data (--no-evaluate skips this)");
            Report report;
            try (Progress progress = new Progress()) {
                report = Protocols.run(data, shape.apply(TrainConfig.defaults()), Protocols.ALL, progress, progress::close, System.out);
            }
            report.put("seconds", (System.nanoTime() - t1) / 1e9);
            ModelDirectory.writeEvaluation(out, report.asMap());
            System.out.printf("%nevaluation stored in %s and %s (%.1f s)%n", out.resolve(ModelDirectory.MANIFEST),
                    out.resolve(ModelDirectory.EVALUATION), (System.nanoTime() - t1) / 1e9);
        }
        return 0;
    }
}
