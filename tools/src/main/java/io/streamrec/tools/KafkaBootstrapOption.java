package io.streamrec.tools;

import picocli.CommandLine.Option;

/** {@code --bootstrap}, the same option in every tool that talks to a Kafka cluster (picocli mixin). */
public final class KafkaBootstrapOption {
    @Option(names = "--bootstrap", defaultValue = "localhost:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    public String servers;
}
