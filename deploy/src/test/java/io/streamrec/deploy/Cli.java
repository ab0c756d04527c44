package io.streamrec.deploy;

import io.streamrec.tools.Recsys;
import io.streamrec.app.config.AppConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The jar's real command line (Recsys with the trainer's subcommands, as its main method assembles it):
 * arguments written in a Dockerfile, compose file or manifest are parsed, not run, so a misspelt option fails here.
 */
final class Cli {
    private Cli() {
    }

    /** The subcommand's parse result; throws picocli's ParameterException for bad arguments. */
    static ParseResult parse(List<String> args) {
        CommandLine cl = Recsys.commandLine();
        ParseResult result = cl.parseArgs(args.toArray(String[]::new));
        if (!result.hasSubcommand()) {
            throw new IllegalArgumentException("no subcommand in " + args);
        }
        return result.subcommand();
    }

    static String subcommand(List<String> args) {
        return parse(args).commandSpec().name();
    }

    /**
     * The configuration a {@code run} command line starts with: its {@code --config} file, looked up with
     * {@code files} (path in the container to the file's text), then its {@code -D} overrides, validated by AppConfig.
     */
    static AppConfig runConfig(List<String> args, Map<String, String> files) {
        ParseResult run = parse(args);
        if (!run.commandSpec().name().equals("run")) {
            throw new IllegalArgumentException("not a run command: " + args);
        }
        Map<String, String> overrides = run.matchedOptionValue("-D", Map.<String, String>of());
        Path config = run.matchedOptionValue("--config", null);
        Properties props = new Properties();
        if (config != null) {
            String text = files.get(config.toString());
            if (text == null) {
                throw new IllegalArgumentException("--config " + config + ": no such file in the container; known: "
                        + files.keySet());
            }
            try {
                props.load(new StringReader(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return AppConfig.of(props, overrides);
    }
}
