package io.streamrec.tools.publish;

import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.model.ModelDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code gate DIR}: exit 0 when the model in DIR loads as the app would load it and passes {@link ModelGate}, else
 * exit 1 with the reasons. The trainer CronJob runs it between training and switching {@code current}.
 */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = "Checks a trained model directory before it is published: it loads like the app loads it, and its"
                + " stored evaluation beats the baselines (rating RMSE < user+item biases, HR@10 > popularity).")
public final class GateCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The model directory written by train")
    Path dir;

    @Override
    public Integer call() {
        String version;
        try {
            ModelDirectory.Loaded loaded = ModelDirectory.read(dir);
            version = loaded.model().version();
            // the ranker as the app opens it: an ONNX Runtime session, inputs checked against the feature spec
            OnnxRanker.load(loaded.onnx(), loaded.model().featureSpec(), 1).close();
        } catch (RuntimeException e) {
            System.err.println("gate: " + dir + " does not load: " + e.getMessage());
            return 1;
        }
        List<String> problems = ModelGate.problems(ModelDirectory.manifest(dir).evaluation());
        if (!problems.isEmpty()) {
            System.err.println("gate: model " + version + " in " + dir + " is not published:");
            problems.forEach(p -> System.err.println("  " + p));
            return 1;
        }
        System.out.println("gate: model " + version + " in " + dir + " passes");
        return 0;
    }
}
