package io.streamrec.tools.publish;

import io.streamrec.avro.ModelVersion;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.model.GeneratedModel;
import io.streamrec.model.ModelDigest;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.tools.Recsys;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code recsys publish} on the real broker: creates the compacted one-partition topic and writes the version record. */
@ExtendWith(SharedKafkaBroker.class)
class PublishCommandIT {

    @Test
    void writesVersionLocationAndDigestToACompactedTopic(EmbeddedKafka kafka, @TempDir Path dir, @TempDir Path copy) throws Exception {
        GeneratedModel.write(dir, 30, 4, new int[]{4}, 7);
        String topic = "model-versions-" + UUID.randomUUID().toString().substring(0, 8);
        long before = System.currentTimeMillis();
        assertEquals(0, Recsys.commandLine().execute("publish", "--model", dir.toString(), "--bootstrap",
                kafka.bootstrapServers(), "--topic", topic));

        // a location elsewhere must hold the same files
        assertNotEquals(0, Recsys.commandLine().execute("publish", "--model", dir.toString(), "--location",
                copy.toUri().toString(), "--bootstrap", kafka.bootstrapServers(), "--topic", topic));

        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var c = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.isEmpty() && System.nanoTime() < end) c.poll(Duration.ofMillis(200)).forEach(records::add);
            assertEquals(1, c.partitionsFor(topic).size(), "one partition: one order of versions");
        }
        assertEquals(1, records.size());
        ModelVersion v = RecordSerdes.modelVersion().deserialize(topic, records.get(0).value());
        String version = ModelDirectory.manifest(dir).version();
        assertEquals(version, new String(records.get(0).key(), StandardCharsets.UTF_8));
        assertEquals(version, v.getVersion());
        assertEquals(ModelDigest.of(dir), v.getDigest());
        assertEquals(dir.toAbsolutePath(), ModelDigest.directory(v.getLocation()));
        assertTrue(v.getCreated() >= before, "created " + v.getCreated());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            var res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertEquals("compact", admin.describeConfigs(List.of(res)).all().get().get(res).get("cleanup.policy").value());
        }
        assertTrue(Files.exists(dir.resolve(ModelDirectory.MANIFEST)));

        // with the app's properties file (what the trainer CronJob runs): its brokers and its topic.model-versions
        String fromConfig = "model-versions-" + UUID.randomUUID().toString().substring(0, 8);
        Path props = copy.resolve("streamrec.properties");
        Files.writeString(props, "bootstrap.servers=" + kafka.bootstrapServers() + "\ntopic.model-versions=" + fromConfig
                + "\nmodel.dir=" + dir + "\n");
        assertEquals(0, Recsys.commandLine().execute("publish", "--model", dir.toString(), "--config", props.toString()));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertTrue(admin.listTopics().names().get().contains(fromConfig), "published to the config's topic");
        }
        // publish-users with warm start off in that file: nothing to publish, not an error
        assertEquals(0, Recsys.commandLine().execute("publish-users", "--model-dir", dir.toString(), "--config", props.toString()));
    }

    @Test
    void trainWithPublishPublishesTheDirectoryItWrote(EmbeddedKafka kafka, @TempDir Path out) throws Exception {
        String topic = "model-versions-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(0, Recsys.commandLine().execute("train", "--synthetic", "--synthetic-users", "150",
                "--synthetic-movies", "200", "--no-evaluate", "--out", out.toString(), "--model-version", "trained-and-published",
                "--publish", "--publish-bootstrap", kafka.bootstrapServers(), "--publish-topic", topic));
        try (var c = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.isEmpty() && System.nanoTime() < end) c.poll(Duration.ofMillis(200)).forEach(records::add);
            assertEquals(1, records.size());
            ModelVersion v = RecordSerdes.modelVersion().deserialize(topic, records.get(0).value());
            assertEquals("trained-and-published", v.getVersion());
            assertEquals(ModelDigest.of(out), v.getDigest());
        }
    }
}
