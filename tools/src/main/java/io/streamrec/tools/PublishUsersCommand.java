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

    @Option(names = "--topic", description = "Warm-start topic: compacted, partitioned like `ratings` (default: the --config"
            + " file's topic.user-vectors, else user-vectors)")
    String topic;

    @Option(names = "--config", description = "The app's properties file: its bootstrap.servers, Kafka client settings"
            + " (SASL, TLS, config providers) and topic.user-vectors are used (without --topic and with topic.user-vectors"
            + " empty, warm start is off there and nothing is published); --bootstrap and --topic, when given, win")
    Path config;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        java.util.Map<String, Object> client = new java.util.HashMap<>();
        if (config != null) {
            io.streamrec.app.config.AppConfig app = io.streamrec.app.config.AppConfig.load(config, java.util.Map.of());
            client.putAll(io.streamrec.tools.publish.KafkaClientSettings.of(app,
                    org.apache.kafka.clients.producer.ProducerConfig.configNames()));
            if (topic == null && app.userVectorsTopic().isEmpty()) {
                System.out.println("warm start is off in " + config + " (topic.user-vectors is empty): nothing published");
                return 0;
            }
            if (topic == null) topic = app.userVectorsTopic();
        }
        if (config == null || spec.commandLine().getParseResult().hasMatchedOption("--bootstrap")) {
            client.put("bootstrap.servers", bootstrap.servers);
        }
        if (topic == null) topic = "user-vectors";
        long n = UserVectorPublisher.publish(modelDir, client, topic);
        System.out.printf("%,d user vectors published to %s%n", n, topic);
        return 0;
    }
}
