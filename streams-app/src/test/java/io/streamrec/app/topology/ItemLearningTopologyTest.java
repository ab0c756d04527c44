package io.streamrec.app.topology;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.app.items.ItemVectorCodec;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.avro.ItemVector;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.eval.ServingReplay;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Online item learning through the production topology (TopologyTestDriver: every record a sink writes to a topic the
 * topology reads — the item feedback, the item vectors — is processed before {@code pipeInput} returns, so an item
 * update is served from the next event on, as in the streaming protocol's replay).
 */
class ItemLearningTopologyTest {
    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    @TempDir
    Path stateDir;
    TopologyTestDriver driver;
    ServedModel served;
    LiveQuality quality = new LiveQuality();
    DlqMetrics dlqMetrics = new DlqMetrics();
    TestInputTopic<byte[], byte[]> ratings, feedback;
    TestOutputTopic<String, Recommendations> recommendations;
    TestOutputTopic<Integer, byte[]> itemVectors;
    TestOutputTopic<byte[], byte[]> dlq;
    AppConfig config;

    void start(boolean items) {
        config = AppConfig.of(Map.of("model.dir", TestModels.modelDir().toString(), "state.dir", stateDir.toString(),
                "items.learn.online", Boolean.toString(items)));
        // its own copy of the model: the item-vectors applier writes into the served arrays
        served = new ServedModel(ModelDirectory.read(TestModels.modelDir()));
        driver = new TopologyTestDriver(EventTopology.build(config, served, quality, dlqMetrics), config.streamsProperties(),
                Instant.ofEpochMilli(NOW));
        ratings = driver.createInputTopic("ratings", new ByteArraySerializer(), new ByteArraySerializer());
        feedback = driver.createInputTopic(config.itemFeedbackTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        recommendations = driver.createOutputTopic("recommendations", Serdes.String().deserializer(),
                RecordSerdes.recommendations().deserializer());
        itemVectors = driver.createOutputTopic("item-vectors", Keys.movieIdSerde().deserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic("recommender-dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) driver.close();
    }

    /** The first {@code n} generated events in time order, ratings only, stamped before NOW. */
    static Interactions events(int n) {
        Interactions all = TestModels.data().events().sortedByTime();
        Interactions.Builder b = Interactions.builder();
        for (int i = 0; i < all.size() && b.size() < n; i++) {
            if (!Float.isNaN(all.rating(i))) b.addRating(all.userId(i), all.movieId(i), all.rating(i), NOW - 1_000_000 + b.size());
        }
        return b.build();
    }

    void pipe(Interactions ev) {
        for (int e = 0; e < ev.size(); e++) {
            ratings.pipeInput(Keys.userKey(ev.userId(e)), RecordSerdes.ratingEvent().serialize("ratings",
                    new RatingEvent((long) ev.userId(e), ev.movieId(e), ev.rating(e), ev.timestamp(e), null)));
        }
    }

    @Test
    void everyListEqualsTheProtocolsOnlineUsersAndItemsList() {
        start(true);
        Interactions ev = events(400);
        Map<String, List<Integer>> protocol = new HashMap<>();
        ModelDirectory.Loaded fresh = ModelDirectory.read(TestModels.modelDir());
        int candidates = config.recommendCandidates();
        try (OnnxRanker ranker = OnnxRanker.load(fresh.onnx(), fresh.model().featureSpec(), candidates, 1)) {
            new ServingReplay(fresh.model(), ranker, fresh.rankerWeight(), candidates, u -> null)
                    .run(ev, ServingReplay.Mode.ONLINE_USERS_AND_ITEMS, true, (userId, count, ids, n) -> {
                        List<Integer> l = new ArrayList<>();
                        for (int r = 1; r <= n; r++) l.add(ids[r]);
                        protocol.put(userId + "/" + count, l);
                    });
        }
        pipe(ev);
        List<Recommendations> out = recommendations.readValuesToList();
        assertEquals(ev.size(), out.size());
        int differ = 0;
        String first = null;
        for (Recommendations r : out) {
            List<Integer> live = r.getMovies().stream().map(RecommendedMovie::getMovieId).toList();
            List<Integer> expected = protocol.get(r.getUserId() + "/" + r.getEventCount());
            if (!live.equals(expected)) {
                differ++;
                if (first == null) first = r.getUserId() + "/" + r.getEventCount() + ": app " + live + " protocol " + expected;
            }
        }
        assertEquals(0, differ, differ + " of " + out.size() + " lists differ, e.g. " + first);
        assertEquals(ev.size(), quality.items().feedbackSentCount(), "every rating of a trained movie teaches it");
        assertEquals(ev.size(), quality.items().ownerAppliedCount());
        assertEquals(ev.size(), quality.items().vectorsAppliedCount());
    }

    @Test
    void theOwnersStoreThePublishedVectorAndTheServingCopyHoldsIt() {
        start(true);
        RecommenderModel before = ModelDirectory.read(TestModels.modelDir()).model();
        Interactions ev = events(50);
        pipe(ev);
        var published = itemVectors.readKeyValuesToMap();
        assertFalse(published.isEmpty());
        KeyValueStore<Integer, byte[]> owned = driver.getKeyValueStore(EventTopology.ITEM_STATE_STORE);
        RecommenderModel m = served.current().model();
        int rd = m.ratingDim(), d = m.dim();
        for (var e : published.entrySet()) {
            assertArrayEquals(e.getValue(), owned.get(e.getKey()), "the owner's store holds what it published");
            ItemVector v = RecordSerdes.itemVector().deserialize("item-vectors", e.getValue());
            assertEquals(m.version(), v.getModelVersion());
            int item = m.items().indexOf(e.getKey());
            for (int f = 0; f < d; f++) assertEquals(v.getRetrievalVector().get(f), m.retrievalVectors()[item * d + f]);
            for (int f = 0; f < rd; f++) assertEquals(v.getVector().get(f), m.ratingVectors()[item * rd + f]);
            assertEquals(v.getBias(), m.ratingBias(item));
            assertEquals(v.getRetrievalBias(), m.retrievalBias(item));
            assertNotEquals(before.retrievalBias(item), m.retrievalBias(item), "the movie moved");
        }
    }

    @Test
    void offWhenDisabled() {
        start(false);
        RecommenderModel before = ModelDirectory.read(TestModels.modelDir()).model();
        pipe(events(30));
        assertTrue(itemVectors.isEmpty());
        assertArrayEquals(before.retrievalVectors(), served.current().model().retrievalVectors());
        assertEquals(0, quality.items().feedbackSentCount());
    }

    @Test
    void feedbackOfAnotherModelVersionIsDroppedAndGarbageGoesToTheDeadLetters() {
        start(true);
        int movie = served.current().model().items().movieId(0);
        var fb = new io.streamrec.core.learn.ItemFeedback(served.current().model().ratingDim(), served.current().model().dim());
        fb.restore(movie, 0, 1f, 0.5f);
        feedback.pipeInput(Keys.movieKey(movie), io.streamrec.app.items.ItemFeedbackCodec.write(fb, 1, 1,
                "another-version".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(itemVectors.isEmpty());
        assertEquals(1, quality.items().ownerDroppedCount());
        feedback.pipeInput(Keys.movieKey(movie), new byte[] {1, 2, 3});
        var dead = dlq.readRecord();
        assertEquals(DlqReasons.DESERIALIZATION, new String(dead.headers().lastHeader("dlq.reason").value(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(itemVectors.isEmpty());
    }

    @Test
    void theCodecWritesWhatTheAvroSerdeWritesAndReadsItBack() {
        ItemVectorCodec codec = new ItemVectorCodec();
        float[] q = {1f, -2f, 3.5f}, v = {0.25f, 0.5f};
        byte[] mine = codec.write(42, q, 0, 3, 0.75f, v, 0, 2, -1.5f, 9L, "v1");
        ItemVector avro = new ItemVector(42, List.of(1f, -2f, 3.5f), 0.75f, List.of(0.25f, 0.5f), -1.5f, 9L, "v1");
        assertArrayEquals(RecordSerdes.itemVector().serialize("t", avro), mine);
        ItemVectorCodec.Buffer b = codec.read(mine, new ItemVectorCodec.Buffer());
        assertEquals(42, b.movieId);
        assertEquals(3, b.vectorLength);
        assertEquals(-2f, b.vector[1]);
        assertEquals(2, b.retrievalLength);
        assertEquals(0.5f, b.retrievalVector[1]);
        assertEquals(-1.5f, b.retrievalBias);
        assertEquals("v1", b.modelVersion());
        assertTrue(b.isVersion("v1".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertFalse(b.isVersion("v2".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
