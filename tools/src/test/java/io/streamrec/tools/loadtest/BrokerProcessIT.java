package io.streamrec.tools.loadtest;

import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.model.GeneratedModel;
import io.streamrec.trainer.train.TrainConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench --broker-jvm}: a real broker in a child JVM, warmed by the baseline topology, reachable, its CPU read, stopped on close. */
class BrokerProcessIT {

    @Test
    @Timeout(180)
    void aWarmedBrokerInItsOwnJvm(@TempDir Path work) throws Exception {
        Path model = work.resolve("model");
        GeneratedModel.write(model, 200, 8, TrainConfig.defaults().hidden(), 3);
        long pid;
        try (BrokerProcess broker = BrokerProcess.start(2, 2, 512, model, work, Map.of("num.io.threads", "3"))) {
            pid = broker.pid();
            EmbeddedKafka.createTopics(broker.bootstrapServers(), Map.of("broker-process-it", 2));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("broker-process-it"));
                ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
                assertEquals("3", admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node)
                        .get("num.io.threads").value(), "a --broker-config setting reaches the child's broker");
            }
            ThreadGroupCpu.brokerProcess(pid);
            try {
                ThreadGroupCpu.Snapshot s = ThreadGroupCpu.snapshot("no-app");
                long nanos = s.nanos(ThreadGroupCpu.Group.BROKER_JVM), jit = s.nanos(ThreadGroupCpu.Group.BROKER_JIT);
                assertTrue(nanos > 1_000_000_000L, "the child's CPU, its start and warm-up included: " + nanos + " ns");
                assertTrue(jit > 0 && jit < nanos, "the child's JIT compilers' part of it: " + jit + " of " + nanos + " ns");
            } finally {
                ThreadGroupCpu.brokerProcess(-1);
            }
            String log = Files.readString(work.resolve("broker.log"));
            assertTrue(log.contains("baseline") || log.contains("2,000"), "the warm-up ran the baseline topology:\n" + log);
        }
        Optional<ProcessHandle> child = ProcessHandle.of(pid);
        assertFalse(child.isPresent() && child.get().isAlive(), "the child JVM ends when the bench closes it");
    }
}
