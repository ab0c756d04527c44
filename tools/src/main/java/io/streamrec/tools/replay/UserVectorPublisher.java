package io.streamrec.tools.replay;

import io.streamrec.avro.UserVector;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.model.ModelDirectory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes a model directory's user vectors ({@value ModelDirectory#USER_VECTORS}) to the compacted
 * warm-start topic, keyed by user id exactly as the event topics are (so a user's vector lands in
 * the partition, hence the task, that owns the user's state). A vector is adopted for a user without
 * state or with a state fitted to another model; one of a model the app does not serve yet waits for
 * the user's first event under it (docs/operations.md, "Warm start").
 */
public final class UserVectorPublisher {
    private UserVectorPublisher() {}

    /** Returns the number of vectors written (all acknowledged by the broker). */
    public static long publish(Path modelDir, String bootstrap, String topic) {
        return publish(modelDir, java.util.Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic);
    }

    /** As {@link #publish(Path, String, String)} with Kafka client settings (bootstrap servers, SASL/TLS, config providers). */
    public static long publish(Path modelDir, java.util.Map<String, Object> client, String topic) {
        List<UserVector> vectors = ModelDirectory.readUserVectors(modelDir);
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (UserVector v : vectors) {
                producer.send(new ProducerRecord<>(topic, Keys.userKey(v.getUserId()), RecordSerdes.userVector().serialize(topic, v)),
                        (metadata, e) -> {
                            if (e != null) failure.compareAndSet(null, e);
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("publishing user vectors to " + topic + " failed: " + failure.get(), failure.get());
        }
        return vectors.size();
    }
}
