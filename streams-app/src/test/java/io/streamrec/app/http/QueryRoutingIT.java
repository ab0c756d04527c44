package io.streamrec.app.http;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.app.topology.EventTopology;
import io.streamrec.app.topology.TestModels;
import io.streamrec.schemas.Keys;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two instances of one deployment split the users by partition; each answers for every user, forwarding to the
 * owner when the list lives on the other instance.
 */
@ExtendWith(SharedKafkaBroker.class)
class QueryRoutingIT {

    @Test
    @Timeout(120)
    void eachInstanceAnswersForEveryUser(EmbeddedKafka kafka) throws Exception {
        Map<String, String> deployment = TestInstances.deployment(kafka, 2);
        try (RecommenderInstance a = TestInstances.start(deployment); RecommenderInstance b = TestInstances.start(deployment)) {
            awaitTwoMembersRunning(a, b);
            Http httpA = new Http(a.baseUrl()), httpB = new Http(b.baseUrl());
            int movie = TestModels.data().movies().get(0).movieId();
            int users = 16;
            for (long u = 0; u < users; u++) {
                assertEquals(202, httpA.post("/events", "{\"userId\": " + u + ", \"movieId\": " + movie + ", \"rating\": 4}").status());
            }
            Map<HostInfo, Integer> owners = new HashMap<>();
            for (long u = 0; u < users; u++) {
                var md = a.app().streams().queryMetadataForKey(EventTopology.USER_STATE_STORE, u, Keys.userIdSerde().serializer());
                owners.merge(md.activeHost(), 1, Integer::sum);
                for (Http http : new Http[]{httpA, httpB}) {
                    var r = http.await("/users/" + u + "/recommendations", x -> x.status() == 200, Duration.ofSeconds(30));
                    assertEquals(200, r.status(), "user " + u + ": " + r.body());
                    assertEquals(u, r.json().get("userId").asLong());
                    assertEquals(1, r.json().get("eventCount").asLong());
                }
            }
            assertEquals(2, owners.size(), "both instances own some users, so both forward: " + owners);
        }
    }

    private static void awaitTwoMembersRunning(RecommenderInstance a, RecommenderInstance b) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            KafkaStreams sa = a.app().streams(), sb = b.app().streams();
            if (sa.state() == KafkaStreams.State.RUNNING && sb.state() == KafkaStreams.State.RUNNING
                    && sa.metadataForAllStreamsClients().size() == 2 && sb.metadataForAllStreamsClients().size() == 2
                    && sa.metadataForAllStreamsClients().stream().allMatch(m -> !m.topicPartitions().isEmpty())) {
                return;
            }
            Thread.sleep(100);
        }
        fail("two instances did not both reach RUNNING with partitions");
    }
}
