package io.streamrec.app.cli;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.replay.EventReplayer;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.MovieLensLoader;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Produces MovieLens (or generated) events to the input topics in timestamp order, and the catalogue to `movies`.")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--data", description = "MovieLens directory; without it, generated data")
    Path data;

    @Option(names = "--bootstrap", defaultValue = "localhost:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--rate", defaultValue = "0", description = "Events per second; 0 = as fast as possible (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--limit", defaultValue = "0", description = "Stop after this many events; 0 = all")
    int limit;

    @Override
    public Integer call() {
        Dataset d = data != null ? MovieLensLoader.load(data) : SyntheticData.generate(SyntheticConfig.defaults());
        System.out.println("replaying " + d);
        AppConfig topics = AppConfig.defaults();
        long n = EventReplayer.replay(d, bootstrap, topics.ratingsTopic(), topics.watchesTopic(), topics.moviesTopic(),
                rate, limit, true);
        System.out.printf("%,d events produced%n", n);
        return 0;
    }
}
