package io.streamrec.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.MovieLensLoader;
import io.streamrec.trainer.eval.Protocols;
import io.streamrec.trainer.eval.RatingEvaluation;
import io.streamrec.trainer.eval.Report;
import io.streamrec.trainer.eval.Row;
import io.streamrec.trainer.eval.Splits;
import io.streamrec.trainer.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluates the models beside baselines: random-split rating prediction, temporal top-K, prequential, streaming.")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;

    @Mixin
    ModelShapeOptions shape;

    @Option(names = "--train-file", description = "Explicit train file (e.g. ml-100k u1.base); needs --test-file")
    Path trainFile;

    @Option(names = "--test-file", description = "Explicit test file (e.g. ml-100k u1.test)")
    Path testFile;

    @Option(names = "--json", defaultValue = "evaluation.json", description = "Where to write the JSON report (default: ${DEFAULT-VALUE})")
    Path json;

    @Option(names = "--only", split = ",", description = "Run only these protocols: rating, topk, prequential, streaming, swap, coldstart (swap and"
            + " coldstart run only when named: swap, models trained on the first 70%% and 80%% in time, users carried across a"
            + " swap; coldstart, movies first rated in the replayed 20%% given vectors from the feature map, or not)")
    List<String> only;

    @Option(names = "--serve-candidates", split = ",", description = "Streaming protocol: also replay the online-users"
            + " and online-users-and-items modes serving the same model with each of these candidate counts per list, e.g. 50,100,200 (default: "
            + TrainConfig.SERVED_CANDIDATES + ", the app's `recommend.candidates`)")
    int[] serveCandidates = {TrainConfig.SERVED_CANDIDATES};

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        Report report = new Report();
        TrainConfig cfg = shape.apply(TrainConfig.defaults());
        try (Progress progress = new Progress()) {
            if (trainFile != null || testFile != null) {
                if (trainFile == null || testFile == null) throw new IllegalArgumentException("--train-file and --test-file go together");
                Dataset[] pair = MovieLensLoader.loadTrainTest(trainFile, testFile);
                Dataset all = new Dataset(pair[0].name(), pair[0].movies(), concat(pair[0], pair[1]), pair[0].summary());
                int n = pair[0].events().size();
                Splits.Split split = new Splits.Split(all.events().slice(0, n), all.events().slice(n, all.events().size()));
                List<Row> rows = RatingEvaluation.run(all, split, cfg, progress);
                progress.close();
                Report.print(System.out, "Rating prediction, given split " + trainFile.getFileName() + " / " + testFile.getFileName(), rows);
                report.add("rating", rows);
            } else {
                Dataset data = dataOptions.load();
                System.out.println("data: " + data);
                report = Protocols.run(data, cfg, only == null ? Protocols.ALL : only, progress, progress::close, System.out, serveCandidates);
            }
        }
        report.put("seconds", (System.nanoTime() - t0) / 1e9);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report.asMap());
        System.out.printf("%nreport written to %s (%.1f s)%n", json, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static io.streamrec.trainer.data.Interactions concat(Dataset a, Dataset b) {
        var builder = io.streamrec.trainer.data.Interactions.builder(a.events().size() + b.events().size());
        int line = 0;
        for (Dataset d : new Dataset[] {a, b}) {
            var ev = d.events();
            for (int i = 0; i < ev.size(); i++) {
                builder.add(ev.userId(i), ev.movieId(i), ev.kind(i), ev.rating(i), ev.completion(i), ev.timestamp(i), line++);
            }
        }
        return builder.build();
    }

    static void ensureParent(Path p) throws IOException {
        if (p.getParent() != null) Files.createDirectories(p.getParent());
    }
}
