package io.streamrec.tools.demo;

import io.streamrec.tools.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"One-command quick start: an embedded Kafka broker, a trained model, the streams app with its web page,",
                "and events replayed at a steady rate, with a live status line. Ctrl-C stops everything cleanly."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data", description = "MovieLens directory (e.g. ml-latest-small); without it, generated data")
    Path data;

    @Option(names = "--rate", defaultValue = "200", description = "Events per second to replay; type a new number + Enter while it runs (0 pauses) (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--http-port", defaultValue = "8080", description = "Port of the web page and API (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the embedded broker (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "9093", description = "KRaft controller port of the embedded broker (default: ${DEFAULT-VALUE})")
    int controllerPort;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the event and recommendation topics (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--dir", defaultValue = "demo-data", description = "Where the broker's data, the model and the state live (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--fresh", description = "Delete --dir first: new broker, new model, empty state")
    boolean fresh;

    @Option(names = "--retrain", description = "Train the model again even if --dir holds one for this data")
    boolean retrain;

    @Option(names = "--poison-fraction", defaultValue = "0.002", description = "Share of extra, deliberately bad records, to show the dead-letter topic (default: ${DEFAULT-VALUE})")
    double poisonFraction;

    @Option(names = "-D", description = "Override a streams app setting (docs/configuration.md), e.g. -Dnum.stream.threads=2")
    java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        var options = new Demo.Options(data, rate, httpPort, kafkaPort, controllerPort, partitions, dir, fresh, retrain,
                poisonFraction, overrides);
        Demo.run(options, System.out);
        return 0;
    }
}
