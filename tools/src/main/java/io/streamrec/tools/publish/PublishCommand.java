package io.streamrec.tools.publish;

import io.streamrec.tools.KafkaBootstrapOption;
import io.streamrec.avro.ModelVersion;
import io.streamrec.model.ModelDigest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publishes a model version to the compacted model-versions topic: {version, location, digest,"
                + " created}. Every instance with topic.model-versions set loads it in the background and switches to it"
                + " between two events. Rolling back is publishing an older version again.")
public final class PublishCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model directory written by `train` (run `gate` on it first)")
    Path model;

    @Option(names = "--location", description = "Where every instance reads the directory: a file: URI or absolute path on"
            + " shared storage holding the same files (default: the absolute path of --model)")
    String location;

    @Mixin
    KafkaBootstrapOption bootstrap;

    @Option(names = "--topic", defaultValue = "model-versions", description = "The versions topic; created (1 partition, compacted) when missing (default: ${DEFAULT-VALUE})")
    String topic;

    @Override
    public Integer call() {
        ModelVersion v = ModelPublisher.publish(model, location == null ? ModelDigest.location(model) : location, bootstrap.servers, topic);
        System.out.printf("published model %s (%s) at %s to %s%n", v.getVersion(), v.getDigest(), v.getLocation(), topic);
        return 0;
    }
}
