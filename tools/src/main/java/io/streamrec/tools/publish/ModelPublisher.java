package io.streamrec.tools.publish;

import io.streamrec.avro.ModelVersion;
import io.streamrec.model.ModelDigest;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.RecordSerdes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * Publishes a model version: the directory stays where every instance can read it (shared storage), and the record
 * {@code {version, location, digest, created}} goes to the compacted {@code model-versions} topic, key = version. The
 * topic is created (one partition, compacted) when missing: the newest record is the version served, which needs one
 * total order.
 */
public final class ModelPublisher {
    private ModelPublisher() {}

    /** Reads the version from the manifest, digests {@code dir}, writes the record (acknowledged by all replicas). */
    public static ModelVersion publish(Path dir, String location, String bootstrap, String topic) {
        return publish(dir, location, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic);
    }

    /**
     * As {@link #publish(Path, String, String, String)} with Kafka client settings ({@code bootstrap.servers} and e.g.
     * SASL/TLS, config providers) for the producer and the admin client.
     */
    public static ModelVersion publish(Path dir, String location, Map<String, Object> client, String topic) {
        String version = ModelDirectory.manifest(dir).version();
        Path readBack = ModelDigest.directory(location);
        String digest = ModelDigest.of(dir);
        if (!readBack.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())
                && !ModelDigest.of(readBack).equals(digest)) {
            throw new IllegalArgumentException("location " + location + " does not hold the model in " + dir
                    + " (digests differ): copy it there first");
        }
        ModelVersion record = new ModelVersion(version, location, digest, System.currentTimeMillis());
        ensureTopic(client, topic);
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, version.getBytes(StandardCharsets.UTF_8),
                    RecordSerdes.modelVersion().serialize(topic, record))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + version, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing model " + version + " to " + topic + " failed: " + e.getCause(), e.getCause());
        }
        return record;
    }

    private static void ensureTopic(Map<String, Object> client, String topic) {
        try (Admin admin = Admin.create(client)) {
            // an identity allowed to write the topic but not to create topics (the prod KafkaUser): look first
            if (admin.listTopics().names().get().contains(topic)) return;
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        }
    }
}
