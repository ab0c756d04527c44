package io.streamrec.app.topology;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.avro.Recommendations;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.RecordSerdes;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The production topology on a TopologyTestDriver with the default topic names: the event topics in, the lists and
 * the dead letters out, and the live-quality and DLQ counters it reports to. The test model unless a config says
 * otherwise; the state in {@code stateDir} (not the default /tmp/streamrec-state: tests running at the same time
 * would share its RocksDB locks).
 */
final class TopologyHarness implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> ratings, watches;
    final TestOutputTopic<String, Recommendations> recommendations;
    final TestOutputTopic<byte[], byte[]> dlq;
    final LiveQuality quality = new LiveQuality();
    final DlqMetrics dlqMetrics = new DlqMetrics();

    TopologyHarness(ModelDirectory.Loaded model, Map<String, String> settings, Path stateDir, long now) {
        Map<String, String> s = new HashMap<>(settings);
        s.putIfAbsent("model.dir", TestModels.modelDir().toString());
        s.put("state.dir", stateDir.toString());
        AppConfig config = AppConfig.of(s);
        driver = new TopologyTestDriver(EventTopology.build(config, model, quality, dlqMetrics), config.streamsProperties(),
                Instant.ofEpochMilli(now));
        ratings = driver.createInputTopic("ratings", new ByteArraySerializer(), new ByteArraySerializer());
        watches = driver.createInputTopic("watches", new ByteArraySerializer(), new ByteArraySerializer());
        recommendations = driver.createOutputTopic("recommendations", Serdes.String().deserializer(),
                RecordSerdes.recommendations().deserializer());
        dlq = driver.createOutputTopic("recommender-dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Whether anything (a list, a delete) went to the changelog of the list store older releases wrote. */
    static boolean oldListStoreWritten(TopologyTestDriver driver) {
        return driver.producedTopicNames().stream().anyMatch(t -> t.endsWith(EventTopology.RECOMMENDATIONS_STORE + "-changelog"));
    }

    @Override
    public void close() {
        driver.close();
    }
}
