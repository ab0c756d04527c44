package io.streamrec.tools.publish;

import io.streamrec.avro.ModelVersion;
import io.streamrec.model.ModelDigest;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.nio.file.Path;

/**
 * {@code train --publish}: the trainer has no Kafka on its classpath, so the launcher adds the options to its
 * {@code train} command and, once training succeeded, publishes the written directory as {@code publish} does.
 * Publishing skips the {@code gate}; the CronJob runs {@code gate} and {@code publish} as separate steps.
 */
public final class TrainPublishOption {
    private static final String PUBLISH = "--publish";
    private static final String BOOTSTRAP = "--publish-bootstrap";
    private static final String TOPIC = "--publish-topic";
    private static final String LOCATION = "--publish-location";

    private TrainPublishOption() {}

    /** Adds the options to {@code root}'s {@code train} subcommand and runs the publish after a successful train. */
    public static CommandLine install(CommandLine root) {
        CommandLine train = root.getSubcommands().get("train");
        if (train == null) return root;
        train.getCommandSpec()
                .addOption(OptionSpec.builder(PUBLISH).arity("0").type(boolean.class)
                        .description("After training, publish the model to the model-versions topic (as `publish` does)").build())
                .addOption(OptionSpec.builder(BOOTSTRAP).type(String.class).defaultValue("localhost:9092")
                        .description("Kafka bootstrap servers for --publish (default: ${DEFAULT-VALUE})").build())
                .addOption(OptionSpec.builder(TOPIC).type(String.class).defaultValue("model-versions")
                        .description("Topic for --publish (default: ${DEFAULT-VALUE})").build())
                .addOption(OptionSpec.builder(LOCATION).type(String.class)
                        .description("Location every instance reads the directory at (default: the absolute path of --out)").build());
        CommandLine.IExecutionStrategy run = root.getExecutionStrategy();
        return root.setExecutionStrategy(parsed -> {
            int rc = run.execute(parsed);
            ParseResult sub = parsed.subcommand();
            if (rc != 0 || sub == null || !"train".equals(sub.commandSpec().name()) || !sub.matchedOptionValue(PUBLISH, false)) {
                return rc;
            }
            Path out = sub.matchedOptionValue("--out", (Path) null);
            String location = sub.matchedOptionValue(LOCATION, (String) null);
            try {
                ModelVersion v = ModelPublisher.publish(out, location == null ? ModelDigest.location(out) : location,
                        sub.matchedOptionValue(BOOTSTRAP, "localhost:9092"), sub.matchedOptionValue(TOPIC, "model-versions"));
                System.out.printf("published model %s (%s) at %s%n", v.getVersion(), v.getDigest(), v.getLocation());
                return 0;
            } catch (RuntimeException e) {
                System.err.println("train --publish: the model was written to " + out + " but not published: " + e.getMessage());
                return 1;
            }
        });
    }
}
