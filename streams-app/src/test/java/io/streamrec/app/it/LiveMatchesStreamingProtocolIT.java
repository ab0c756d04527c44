package io.streamrec.app.it;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.http.TestInstances;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.schemas.EventRecords;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.eval.ServingReplay;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming protocol measures what is served: a model trained on the first 80% in time of a
 * generated stream (ratings only), its user vectors published, the last 20% produced to the real
 * broker and processed by a real instance; every list the app emits equals, movie for movie, the
 * list the protocol's {@code online users} replay ({@link ServingReplay}) made after the same event
 * of the same user, with items learning online turned off ({@link LiveItemsMatchStreamingProtocolIT}
 * checks the {@code online users + items} row).
 */
@ExtendWith(SharedKafkaBroker.class)
@Timeout(300)
class LiveMatchesStreamingProtocolIT {

    @Test
    void everyServedListEqualsTheProtocolsList(EmbeddedKafka kafka) throws Exception {
        StreamingProtocolRun run = StreamingProtocolRun.train(new SyntheticConfig(200, 300, 30, 8, 0.0, 5L), "live-vs-protocol");
        Interactions test = run.test;
        int candidates = 200;
        Map<String, List<Integer>> protocol = run.protocolLists(ServingReplay.Mode.ONLINE_USERS, candidates);

        Map<String, String> deployment = new HashMap<>(TestInstances.deployment(kafka, 2));
        int published = run.publishUserVectors(kafka, deployment, 2);
        deployment.put("recommend.candidates", Integer.toString(candidates));
        // the online users row: items as trained (LiveItemsMatchStreamingProtocolIT checks the online users + items row)
        deployment.put("items.learn.online", "false");

        try (RecommenderInstance service = TestInstances.start(deployment)) {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (service.app().quality().warmStarts() < published && System.nanoTime() < end) Thread.sleep(50);
            assertEquals(published, service.app().quality().warmStarts(), "every published user adopted before the replay");

            String ratings = service.config().ratingsTopic();
            try (KafkaProducer<byte[], byte[]> producer = StreamingProtocolRun.producer(kafka)) {
                for (int e = 0; e < test.size(); e++) {
                    producer.send(EventRecords.rating(ratings, test.userId(e), test.movieId(e), test.rating(e), test.timestamp(e)));
                }
                producer.flush();
            }
            StreamingProtocolRun.assertSameLists(protocol, StreamingProtocolRun.liveLists(kafka,
                    service.config().recommendationsTopic(), "live-vs-protocol-" + StreamingProtocolRun.runId(deployment), test.size()));
            assertTrue(test.size() > 500, "a replay worth checking: " + test.size() + " events");
        }
    }
}
