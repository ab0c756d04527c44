package io.streamrec.app.it;

import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.http.TestInstances;
import io.streamrec.core.model.RecommenderModel;
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
 * The {@code online users + items} row of the streaming protocol is what a running instance serves: a model trained
 * on the first 80% in time of a generated stream, its user vectors published, the last 20% produced to the real
 * broker one event at a time (one partition, so one order), each sent once the previous one's list was made and its
 * movie's update had come back through {@code item-feedback}, the movie's owner and {@code item-vectors} into the
 * instance's serving copy; every list then equals, movie for movie, the list {@link ServingReplay} made after the same
 * event in mode {@code ONLINE_USERS_AND_ITEMS}, where an item update is served from the next event on.
 *
 * <p>Unpaced, an item update made for one event reaches the serving copy a few commit intervals later (see
 * ItemUpdatesAcrossInstancesIT for the measured lag), so lists made meanwhile use the movie's previous vectors: the
 * pacing here removes exactly that asynchrony and nothing else.
 */
@ExtendWith(SharedKafkaBroker.class)
@Timeout(300)
class LiveItemsMatchStreamingProtocolIT {

    @Test
    void everyServedListEqualsTheProtocolsList(EmbeddedKafka kafka) throws Exception {
        StreamingProtocolRun run = StreamingProtocolRun.train(new SyntheticConfig(50, 300, 20, 8, 0.0, 5L), "live-items-vs-protocol");
        Interactions test = run.test;
        int candidates = 200;
        Map<String, List<Integer>> protocol = run.protocolLists(ServingReplay.Mode.ONLINE_USERS_AND_ITEMS, candidates);

        Map<String, String> deployment = new HashMap<>(TestInstances.deployment(kafka, 1));
        int published = run.publishUserVectors(kafka, deployment, 1);
        deployment.put("recommend.candidates", Integer.toString(candidates));
        deployment.put("items.learn.online", "true");
        // each event waits for the previous one's item update: short commits keep that wait short
        deployment.put("commit.interval.ms", "20");

        try (RecommenderInstance service = TestInstances.start(deployment)) {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (service.app().quality().warmStarts() < published && System.nanoTime() < end) Thread.sleep(50);
            assertEquals(published, service.app().quality().warmStarts(), "every published user adopted before the replay");

            String ratings = service.config().ratingsTopic();
            RecommenderModel model = run.loaded.model();
            try (KafkaProducer<byte[], byte[]> producer = StreamingProtocolRun.producer(kafka)) {
                var items = service.app().quality().items();
                long t0 = System.nanoTime();
                long updates = 0;
                for (int e = 0; e < test.size(); e++) {
                    producer.send(EventRecords.rating(ratings, test.userId(e), test.movieId(e), test.rating(e), test.timestamp(e))).get();
                    int item = model.items().indexOf(test.movieId(e));
                    if (item >= 0 && model.trained(item)) updates++; // a rating of a trained movie moves it
                    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (items.vectorsAppliedCount() < updates && System.nanoTime() < until) Thread.sleep(1);
                    assertEquals(updates, items.vectorsAppliedCount(), "event " + e + "'s item update served");
                }
                assertEquals(test.size(), service.app().quality().events());
                System.out.printf("[items] %d events one at a time, each after the previous one's item update was served: %.1f s%n",
                        test.size(), (System.nanoTime() - t0) / 1e9);
            }
            StreamingProtocolRun.assertSameLists(protocol, StreamingProtocolRun.liveLists(kafka,
                    service.config().recommendationsTopic(), "live-vs-protocol-" + StreamingProtocolRun.runId(deployment), test.size()));
            assertTrue(test.size() > 150, "a replay worth checking: " + test.size() + " events");
        }
    }
}
