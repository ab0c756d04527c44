package io.streamrec.app.cli;

import io.streamrec.trainer.cli.TrainerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one launcher entry point: streaming commands plus the trainer's. */
@Command(name = "recsys", mixinStandardHelpOptions = true, version = "streamrec 0.1.0",
        description = "Streaming, online-learning movie recommender.",
        subcommands = {DemoCommand.class, RunCommand.class, ReplayCommand.class, TailCommand.class, PublishUsersCommand.class,
                io.streamrec.app.loadtest.LoadTestCommand.class})
public final class StreamrecMain implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new StreamrecMain());
        TrainerMain.commandLine().getSubcommands().forEach(cl::addSubcommand);
        System.exit(TrainerMain.withErrorHandler(cl).execute(args));
    }
}
