package io.streamrec.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.app.RecommenderInstance;
import io.streamrec.app.http.Http;
import io.streamrec.app.http.TestInstances;
import io.streamrec.app.topology.TestModels;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.UserVector;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Warm start on the real broker: the model's user vectors are published to a compacted topic
 * partitioned like the events (as `publish-users` does: same key bytes, same partition count), a
 * real instance adopts every one of them, and a known user's first list, read back from the query
 * API, is what the serving pipeline makes from the batch vector after the online step.
 */
@ExtendWith(SharedKafkaBroker.class)
@Timeout(180)
class WarmStartIT {

    @Test
    void aKnownUsersFirstListComesFromTheirPublishedVector(EmbeddedKafka kafka) throws Exception {
        Map<String, String> deployment = new HashMap<>(TestInstances.deployment(kafka, 2));
        String vectorsTopic = "user-vectors-" + deployment.get("topic.ratings").substring("ratings-".length());
        kafka.createTopics(Map.of(vectorsTopic, 2), Map.of("cleanup.policy", "compact"));
        deployment.put("topic.user-vectors", vectorsTopic);
        // the expected list is computed on the trained item vectors
        deployment.put("items.learn.online", "false");
        List<UserVector> vectors = ModelDirectory.readUserVectors(TestModels.modelDir());

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (UserVector v : vectors) {
                producer.send(new ProducerRecord<>(vectorsTopic, Keys.userKey(v.getUserId()),
                        RecordSerdes.userVector().serialize(vectorsTopic, v))).get();
            }
        }

        try (RecommenderInstance service = TestInstances.start(deployment)) {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (service.app().quality().warmStarts() < vectors.size() && System.nanoTime() < end) Thread.sleep(50);
            assertEquals(vectors.size(), service.app().quality().warmStarts(), "every published user adopted");

            ModelDirectory.Loaded model = service.app().model();
            RecommenderModel m = model.model();
            UserVector v = vectors.stream().filter(x -> x.getSeenMovieIds().size() >= 20).findFirst().orElseThrow();
            int movie = -1;
            for (int i = 0; i < m.itemCount() && movie < 0; i++) {
                if (m.trained(i) && !v.getSeenMovieIds().contains(m.items().movieId(i))) movie = m.items().movieId(i);
            }
            String ratings = service.config().ratingsTopic();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(ratings, Keys.userKey(v.getUserId()), RecordSerdes.ratingEvent().serialize(ratings,
                        new RatingEvent(v.getUserId(), movie, 4.5f, System.currentTimeMillis() - 1000, null)))).get();
            }
            Http http = new Http(service.baseUrl());
            long count = v.getEventCount() + 1;
            var r = http.await("/users/" + v.getUserId() + "/recommendations", x -> x.status() == 200
                    && x.json().path("eventCount").asLong() == count, Duration.ofSeconds(30));
            assertEquals(count, r.json().path("eventCount").asLong(), r.body());
            List<Integer> served = new ArrayList<>();
            for (JsonNode node : r.json().get("movies")) served.add(node.get("movieId").asInt());

            UserState expected = ModelDirectory.userState(v, m);
            expected.roundVectorsToStored(); // warm start wrote it to the store, which keeps the vectors as half floats
            new OnlineLearner(m).learn(v.getUserId(), expected, movie, m.items().indexOf(movie), 4.5f, Float.NaN, 0L);
            int k = service.config().recommendK();
            int[] items = new int[k];
            float[] scores = new float[k];
            List<Integer> want = new ArrayList<>();
            try (OnnxRanker ranker = OnnxRanker.load(model.onnx(), m.featureSpec(), service.config().recommendCandidates(), 1)) {
                int n = new RecommendationPipeline(m, CandidateRetriever.forModel(m), ranker, service.config().recommendCandidates(),
                        model.rankerWeight()).recommend(expected, k, items, scores);
                for (int i = 0; i < n; i++) want.add(m.items().movieId(items[i]));
            }
            assertEquals(want, served);
            for (int id : served) assertFalse(v.getSeenMovieIds().contains(id), "movie " + id + " from the training history");
        }
    }
}
