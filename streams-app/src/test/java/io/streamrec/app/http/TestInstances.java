package io.streamrec.app.http;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.config.AppConfig;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.app.topology.TestModels;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Starts real service instances (streams app + HTTP) on the shared broker, each test class on its own topics. */
public final class TestInstances {
    private TestInstances() {}

    /** Settings for a fresh deployment: unique topics (created here) and application id, the test model, any port. */
    public static Map<String, String> deployment(EmbeddedKafka kafka, int partitions) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> s = new HashMap<>(Map.of("topic.ratings", "ratings-" + run, "topic.watches", "watches-" + run,
                "topic.movies", "movies-" + run, "topic.recommendations", "recs-" + run, "topic.dlq", "dlq-" + run));
        Map<String, Integer> topics = new LinkedHashMap<>();
        s.values().forEach(t -> topics.put(t, partitions));
        kafka.createTopics(topics);
        s.put("bootstrap.servers", kafka.bootstrapServers());
        s.put("application.id", "api-test-" + run);
        s.put("model.dir", TestModels.modelDir().toString());
        s.put("http.port", "0");
        // created by the app (items.learn.online); per deployment, so tests on the shared broker do not read each other's
        s.put("topic.item-vectors", "item-vectors-" + run);
        return s;
    }

    /** One instance with its own state directory, advertised on localhost; waits until it is RUNNING. */
    public static RecommenderInstance start(Map<String, String> deployment) throws Exception {
        Map<String, String> s = new HashMap<>(deployment);
        s.put("state.dir", Files.createTempDirectory("streamrec-api-test").toString());
        RecommenderInstance service = RecommenderInstance.start(AppConfig.of(s), "localhost");
        if (!service.app().awaitRunning(Duration.ofSeconds(60))) {
            service.close();
            throw new AssertionError("instance did not reach RUNNING");
        }
        return service;
    }

}
