package io.streamrec.app.http;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

/** A query for a user while Kafka Streams is not running is a 503 to retry, not a 500. */
class RecommendationLookupTest {
    @TempDir
    Path stateDir;

    private KafkaStreams streams() {
        StreamsBuilder b = new StreamsBuilder();
        b.stream("in").to("out");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "lookup-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new KafkaStreams(b.build(), p);
    }

    @Test
    void ownerOfAUserIsUnavailableBeforeStartAndAfterClose() {
        KafkaStreams streams = streams();
        try {
            RecommendationLookup lookup = new RecommendationLookup(streams, new HostInfo("localhost", 1));
            ApiError before = assertThrows(ApiError.class, () -> lookup.owner(7, false));
            assertEquals(503, before.status(), before.getMessage());
            streams.close(Duration.ofSeconds(5));
            ApiError after = assertThrows(ApiError.class, () -> lookup.owner(7, false));
            assertEquals(503, after.status(), after.getMessage());
        } finally {
            streams.close(Duration.ofSeconds(5));
        }
    }
}
