package io.streamrec.app;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Properties;

/**
 * The settings of every producer of input events in the project (the API's {@code POST /events}, the replay tools,
 * the load test, the tests), in one place: acks from all in-sync replicas and idempotence, so a retried send is
 * neither lost nor written twice, and a short linger.
 */
public final class EventProducers {
    private EventProducers() {}

    /** The shared settings; callers add what is theirs (client id, linger, blocking time). */
    public static Properties settings(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    public static KafkaProducer<byte[], byte[]> create(Properties settings) {
        return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
