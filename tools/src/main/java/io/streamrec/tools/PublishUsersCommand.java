package io.streamrec.tools;

import io.streamrec.tools.replay.UserVectorPublisher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "publish-users", mixinStandardHelpOptions = true,
        description = "Publishes a model's user vectors (users.avro) to the compacted warm-start topic, keyed by user id;"
                + " the app adopts them when topic.user-vectors names that topic.")
final class PublishUsersCommand implements Callable<Integer> {
    @Option(names = "--model-dir", required = true, description = "Model directory written by `train`")
    Path modelDir;

    @Mixin
    KafkaBootstrapOption bootstrap;

    @Option(names = "--topic", defaultValue = "user-vectors", description = "Warm-start topic: compacted, partitioned like `ratings` (default: ${DEFAULT-VALUE})")
    String topic;

    @Override
    public Integer call() {
        long n = UserVectorPublisher.publish(modelDir, bootstrap.servers, topic);
        System.out.printf("%,d user vectors published to %s%n", n, topic);
        return 0;
    }
}
