package io.streamrec.tools.publish;

import io.streamrec.tools.KafkaBootstrapOption;
import io.streamrec.avro.ModelVersion;
import io.streamrec.model.ModelDigest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import io.streamrec.app.config.AppConfig;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private boolean bootstrapGiven() {
        return spec.commandLine().getParseResult().hasMatchedOption("--bootstrap");
    }

    @Option(names = "--topic", description = "The versions topic; created (1 partition, compacted) when missing (default:"
            + " the --config file's topic.model-versions, else model-versions)")
    String topic;

    @Option(names = "--config", description = "The app's properties file (docs/configuration.md): its bootstrap.servers,"
            + " Kafka client settings (SASL, TLS, config providers) and topic.model-versions are used; --bootstrap and"
            + " --topic, when given, win")
    Path config;

    @Override
    public Integer call() {
        Map<String, Object> client = new HashMap<>();
        String t = topic;
        if (config != null) {
            AppConfig app = AppConfig.load(config, Map.of());
            client.putAll(KafkaClientSettings.of(app, ProducerConfig.configNames(), AdminClientConfig.configNames()));
            if (t == null && !app.modelVersionsTopic().isEmpty()) t = app.modelVersionsTopic();
        }
        if (config == null || bootstrapGiven()) client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.servers);
        if (t == null) t = "model-versions";
        topic = t;
        ModelVersion v = ModelPublisher.publish(model, location == null ? ModelDigest.location(model) : location, client, topic);
        System.out.printf("published model %s (%s) at %s to %s%n", v.getVersion(), v.getDigest(), v.getLocation(), topic);
        return 0;
    }
}
