package io.streamrec.tools.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys soak}: a long steady run sampling the app's heap, RSS and RocksDB memory (docs/operations.md). */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Runs the app (`recsys run` in a child JVM) on an in-process KRaft broker at a steady rate for a long"
                + " time and samples its heap, RSS and RocksDB memory (and events, lists, lag) to a CSV; prints a summary"
                + " with each figure's first, last, largest value and its drift over the second half. Not part of CI"
                + " (SoakIT runs it for seconds). Default: 30 minutes at 450 events/s, half of the 885 lists/s sustained"
                + " with 10,000 movies in docs/benchmarks.md."})
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--minutes", defaultValue = "30", description = "Length of the run (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--rate", defaultValue = "450", description = "Events per second (default ${DEFAULT-VALUE}: half the sustained rate)")
    int rate;

    @Option(names = "--movies", defaultValue = "10000", description = "Movies of the generated model (default ${DEFAULT-VALUE})")
    int movies;

    @Option(names = "--dim", defaultValue = "64", description = "Embedding dimension of the generated model (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--users", defaultValue = "500000", description = "Users the events are drawn from, uniformly: the"
            + " state keeps growing for most of a 30-minute run (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the topics (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--sample-seconds", defaultValue = "10", description = "Seconds between samples (default ${DEFAULT-VALUE})")
    int sampleSeconds;

    @Option(names = "--heap", defaultValue = "1g", description = "The app's -Xmx (default ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--csv", description = "Where the samples go (default: soak.csv in the working directory)")
    Path csv;

    @Option(names = "--work", description = "Directory for the broker, state, model and the app's log (default: a new temporary one)")
    Path work;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the model and the events")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (minutes <= 0 || rate < 1 || sampleSeconds < 1 || users < 1 || movies < 2) {
            System.err.println("soak: --minutes > 0, --rate >= 1, --sample-seconds >= 1, --users >= 1, --movies >= 2 please");
            return 2;
        }
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("streamrec-soak");
        Path out = csv != null ? csv : dir.resolve("soak.csv");
        SoakRun.ensureParent(out);
        List<MemorySample> samples = new SoakRun(new SoakRun.Settings(Duration.ofMillis((long) (minutes * 60_000)), rate, movies,
                dim, users, partitions, Duration.ofSeconds(sampleSeconds), heap, seed, dir, out), System.out).run();
        System.out.print(new SoakSummary(samples, rate).text());
        System.out.println("samples: " + out);
        return 0;
    }
}
