package io.streamrec.tools;

import io.streamrec.app.cli.RunCommand;
import io.streamrec.tools.chaos.ChaosCommand;
import io.streamrec.tools.demo.DemoCommand;
import io.streamrec.tools.loadtest.BenchCommand;
import io.streamrec.tools.publish.GateCommand;
import io.streamrec.tools.publish.PublishCommand;
import io.streamrec.tools.publish.TrainPublishOption;
import io.streamrec.tools.replay.ReplayCommand;
import io.streamrec.trainer.cli.TrainerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The launcher's entry point ({@code ./recsys}, the image): the serving command, the tools and the trainer's commands. */
@Command(name = "recsys", mixinStandardHelpOptions = true, version = "streamrec 0.1.0",
        description = "Streaming, online-learning movie recommender.",
        subcommands = {DemoCommand.class, RunCommand.class, ReplayCommand.class, TailCommand.class, BenchCommand.class,
                GateCommand.class, PublishUsersCommand.class, ChaosCommand.class, PublishCommand.class,
                io.streamrec.tools.soak.SoakCommand.class})
public final class Recsys implements Runnable {
    @Spec
    CommandSpec spec;

    /** No command given: that is a usage error, not a success. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** The whole command line, as {@link #main} runs it (tests parse with it too). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Recsys());
        TrainerMain.commandLine().getSubcommands().forEach(cl::addSubcommand);
        return TrainPublishOption.install(TrainerMain.withErrorHandler(cl));
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
