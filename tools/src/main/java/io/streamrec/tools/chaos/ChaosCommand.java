package io.streamrec.tools.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys chaos}: faults against a real broker and real {@code run} instances, then exactly-once checks. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Runs the app through faults on an in-process KRaft broker and checks nothing was lost or"
                + " repeated: SIGKILLs of `run` mid-stream (restarted on the same state), a broker restart, a second"
                + " instance killed for good, and fuzzed records mixed into the events. Prints one summary line;"
                + " exit status 0 when every check passed (docs/operations.md)."})
public final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--kills", defaultValue = "5", description = "SIGKILLs of the app, each restarted (default ${DEFAULT-VALUE})")
    int kills;

    @Option(names = "--events", defaultValue = "100000", description = "Valid events (default ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--fuzz", defaultValue = "10000", description = "Bad records mixed in (default ${DEFAULT-VALUE})")
    int fuzz;

    @Option(names = "--movies", defaultValue = "2000", description = "Movies of the generated model (default ${DEFAULT-VALUE})")
    int movies;

    @Option(names = "--rate", defaultValue = "150", description = "Valid events per second while the app runs"
            + " (keep it below what the app sustains, so faults meet a live stream; default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the data, the fuzz and the fault times")
    long seed;

    @Option(names = "--work", description = "Directory for the broker, states, model and logs (default: a new temporary one)")
    Path work;

    @Override
    public Integer call() throws Exception {
        if (kills < 1 || events < 1000 || fuzz < 0) {
            System.err.println("chaos: --kills >= 1, --events >= 1000 and --fuzz >= 0 please");
            return 2;
        }
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("streamrec-chaos");
        System.out.println("chaos: working in " + dir + " (instance logs in logs/)");
        ChaosReport report;
        try {
            report = new ChaosRun(new ChaosRun.Settings(kills, events, fuzz, movies, seed, dir, rate), System.out).run();
        } catch (ChaosRun.ChaosFailure e) {
            System.out.println("chaos: FAIL: " + e.getMessage());
            return 1;
        }
        report.failures().forEach(f -> System.out.println("  FAILED: " + f));
        if (report.resumeNote() != null) System.out.println("  " + report.resumeNote());
        System.out.println(report.summary());
        return report.failures().isEmpty() ? 0 : 1;
    }
}
