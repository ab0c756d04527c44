package io.streamrec.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the trainer jar: `train`, `evaluate`, `similar`. */
@Command(name = "streamrec-trainer", mixinStandardHelpOptions = true, version = "streamrec 0.1.0",
        description = "Trains, evaluates and inspects streamrec models.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, SimilarCommand.class})
public final class TrainerMain implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return withErrorHandler(new CommandLine(new TrainerMain()));
    }

    /** A failed command prints "error: message" (no stack trace) and exits with 2. */
    public static CommandLine withErrorHandler(CommandLine cl) {
        return cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
            cmd.getErr().println("error: " + ex.getMessage());
            return 2;
        });
    }
}
