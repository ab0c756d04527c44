package io.streamrec.app.cli;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.config.AppConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the streams application against a Kafka cluster (settings: docs/configuration.md).")
public final class RunCommand implements Callable<Integer> {
    /** {@code run} on its own, without the tools (the launcher registers this command as {@code recsys run}). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RunCommand()).execute(args));
    }

    @Option(names = "--config", description = "Properties file (our keys plus any Kafka client setting, e.g. SASL/TLS)")
    Path config;

    @Option(names = "-D", description = "Override one setting, e.g. -Dbootstrap.servers=host:9092")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        AppConfig cfg = config != null ? AppConfig.load(config, overrides) : AppConfig.of(overrides);
        CountDownLatch stop = new CountDownLatch(1);
        try (RecommenderInstance service = RecommenderInstance.start(cfg)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stop.countDown();
            }));
            System.out.printf("streamrec running: model %s, %s -> %s; web page, API, /health and /metrics on port %d (Ctrl-C stops)%n",
                    service.app().model().model().version(), cfg.ratingsTopic() + "," + cfg.watchesTopic(),
                    cfg.recommendationsTopic(), service.http().port());
            stop.await();
        }
        return 0;
    }
}
