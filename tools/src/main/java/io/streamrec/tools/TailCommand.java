package io.streamrec.tools;

import io.streamrec.avro.Recommendations;
import io.streamrec.schemas.RecordSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "tail", mixinStandardHelpOptions = true, description = "Prints recommendations as JSON lines (read_committed).")
public final class TailCommand implements Callable<Integer> {
    @Mixin
    KafkaBootstrapOption bootstrap;

    @Option(names = "--topic", defaultValue = "recommendations", description = "Topic (default: ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the earliest offset")
    boolean fromBeginning;

    @Override
    public Integer call() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "streamrec-tail-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        try (KafkaConsumer<String, Recommendations> c = new KafkaConsumer<>(p, new StringDeserializer(), RecordSerdes.recommendations().deserializer())) {
            c.subscribe(List.of(topic));
            while (!Thread.currentThread().isInterrupted()) {
                // a generated Avro record renders itself as one line of JSON
                for (var r : c.poll(Duration.ofMillis(500))) System.out.println(r.value());
            }
        }
        return 0;
    }
}
