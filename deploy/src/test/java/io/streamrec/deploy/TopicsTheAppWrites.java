package io.streamrec.deploy;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.app.http.EventRequest;
import io.streamrec.app.topology.EventTopology;
import io.streamrec.app.topology.LiveQuality;
import io.streamrec.model.GeneratedModel;
import io.streamrec.model.ModelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Every topic a running instance writes, taken from the code rather than a list: the sinks of the real topology
 * (built on a small generated model), the dead-letter topic (written by the error handlers), and the topics
 * {@code POST /events} produces to (an accepted rating and an accepted watch).
 */
final class TopicsTheAppWrites {
    private TopicsTheAppWrites() {
    }

    static Set<String> of(AppConfig config) {
        Set<String> topics = new TreeSet<>();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("topics-model");
            GeneratedModel.write(dir, 20, 4, new int[]{4}, 1);
            ModelDirectory.Loaded model = ModelDirectory.read(dir);
            TopologyDescription d = EventTopology.build(config, model, new LiveQuality(), DlqMetrics.shared()).describe();
            for (TopologyDescription.Subtopology s : d.subtopologies()) {
                for (TopologyDescription.Node n : s.nodes()) {
                    if (n instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                        topics.add(sink.topic());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try {
                    Utils.delete(dir.toFile());
                } catch (IOException ignored) {
                    // a temporary directory
                }
            }
        }
        topics.add(config.dlqTopic());
        long now = System.currentTimeMillis();
        for (String body : new String[]{"{\"userId\": 7, \"movieId\": 318, \"rating\": 4.5}",
                "{\"userId\": 7, \"movieId\": 318, \"secondsWatched\": 5400, \"movieLengthSeconds\": 8520}"}) {
            topics.add(EventRequest.parse(body, now, config.maxFutureSkewMs())
                    .toRecord(config.ratingsTopic(), config.watchesTopic()).topic());
        }
        return topics;
    }
}
