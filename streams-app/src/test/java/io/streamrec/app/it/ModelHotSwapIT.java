package io.streamrec.app.it;

import io.streamrec.app.RecommenderStreams;
import io.streamrec.app.config.AppConfig;
import io.streamrec.app.topology.TestModels;
import io.streamrec.avro.ModelVersion;
import io.streamrec.avro.Recommendations;
import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.model.ModelDigest;
import io.streamrec.model.ModelDirectory;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hot swap on the real broker, exactly-once: events flow at a steady rate while a second model version (another
 * rating dimension, so a really different model) is published to {@code model-versions}. The app switches without a
 * restart; per user the eventCount sequence stays 1..n (nothing lost or doubled across the switch); no user gets a list
 * of the old version after one of the new; every list made a second after the switch was seen carries the new
 * version. It reports the event→list latency (the list's {@code generatedAt} minus the time the event was sent, as the
 * app's latency metric measures it) around the swap and over the run, and the largest gap between two lists. Then a
 * version whose files do not match its digest is published: it is refused, the new model keeps serving, and the
 * refusal is recorded.
 */
@ExtendWith(SharedKafkaBroker.class)
class ModelHotSwapIT {

    @Test
    @Timeout(300)
    void aPublishedVersionIsSwappedInWhileEventsFlow(EmbeddedKafka kafka, @TempDir Path state, @TempDir Path v2) throws Exception {
        var data = TestModels.data();
        String v1 = ModelDirectory.read(TestModels.modelDir()).model().version();
        var trained = ModelTrainer.train(data, Indexed.of(data),
                TrainConfig.defaults().withRatingDim(32).withOnlineTuning(false), "test-model-v2", EpochListener.NONE);
        ModelDirectory.write(v2, trained.contents(Map.of()));

        EosFixture eos = new EosFixture(kafka, "swap-it", 1500);
        String versions = "model-versions-" + eos.applicationId;
        kafka.createTopics(Map.of(versions, 1), Map.of("cleanup.policy", "compact"));
        Map<String, String> settings = eos.settings(state);
        settings.put("topic.model-versions", versions);

        try (RecommenderStreams app = new RecommenderStreams(AppConfig.of(settings)).start()) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "app running");
            assertEquals(v1, app.served().version());
            long swappedAt, publishedAt;
            List<Recommendations> out;
            SteadyReplay replay = new SteadyReplay(eos, 150);
            try (replay) {
                await(() -> replay.produced() >= 500, "500 events produced");
                long t0 = System.nanoTime();
                publishedAt = System.currentTimeMillis();
                publish(kafka, versions, new ModelVersion("test-model-v2", ModelDigest.location(v2), ModelDigest.of(v2),
                        System.currentTimeMillis()));
                await(() -> app.served().version().equals("test-model-v2"), "version 2 served");
                swappedAt = System.currentTimeMillis();
                System.out.printf("hot swap: published -> served in %d ms, at event %d of %d%n",
                        (System.nanoTime() - t0) / 1_000_000, replay.produced(), eos.total);
                assertTrue(replay.produced() < eos.total, "the swap happened while events were still flowing");
                await(() -> replay.produced() >= eos.total, "all events produced");
                assertEquals(eos.total, replay.stop());
            }
            out = eos.awaitRecommendations(eos.total);
            eos.assertNoGapNoRepeat(out);
            reportLatency(eos, replay, out, publishedAt, swappedAt);

            Map<Long, List<Recommendations>> byUser = new HashMap<>();
            for (Recommendations r : out) byUser.computeIfAbsent(r.getUserId(), u -> new ArrayList<>()).add(r);
            int before = 0, after = 0;
            for (List<Recommendations> lists : byUser.values()) {
                boolean sawNew = false;
                for (Recommendations r : lists) {
                    boolean isNew = r.getModelVersion().equals("test-model-v2");
                    if (!isNew) assertEquals(v1, r.getModelVersion());
                    assertTrue(isNew || !sawNew, "user " + r.getUserId() + " got a " + v1 + " list after a v2 one");
                    sawNew |= isNew;
                    if (isNew) after++; else before++;
                    if (r.getGeneratedAt() > swappedAt + 1_000) assertEquals("test-model-v2", r.getModelVersion());
                }
            }
            List<Recommendations> byTime = new ArrayList<>(out);
            byTime.sort(Comparator.comparingLong(Recommendations::getGeneratedAt));
            long maxGap = 0, maxGapAroundSwap = 0;
            for (int i = 1; i < byTime.size(); i++) {
                long at = byTime.get(i).getGeneratedAt(), gap = at - byTime.get(i - 1).getGeneratedAt();
                maxGap = Math.max(maxGap, gap);
                if (Math.abs(at - swappedAt) < 5_000) maxGapAroundSwap = Math.max(maxGapAroundSwap, gap);
            }
            System.out.printf("hot swap: %d lists of %s, %d of test-model-v2; largest gap between two lists %d ms"
                    + " (whole run, start-up included), %d ms within 5 s of the swap%n", before, v1, after, maxGap, maxGapAroundSwap);
            assertTrue(before > 0 && after > 0, before + " old / " + after + " new lists");
            assertEquals(1, app.served().swaps());
            assertNull(app.served().lastFailure());
            // users with events on both sides of the switch were re-fitted to v2 from their history, once each
            long both = byUser.values().stream().filter(l -> l.stream().anyMatch(r -> r.getModelVersion().equals(v1))
                    && l.stream().anyMatch(r -> r.getModelVersion().equals("test-model-v2"))).count();
            System.out.printf("hot swap: %d users re-fitted (fold-in), %d users had lists of both versions%n",
                    app.quality().refits(), both);
            assertEquals(both, app.quality().refits());

            // a version whose files are not what its digest says: refused, v2 keeps serving, the reason is kept
            publish(kafka, versions, new ModelVersion("test-model-v3", ModelDigest.location(v2),
                    "sha256:" + "0".repeat(64), System.currentTimeMillis()));
            await(() -> app.served().loadFailures() == 1, "the bad version refused");
            assertEquals("test-model-v2", app.served().version());
            String why = app.served().lastFailure();
            assertTrue(why.contains("test-model-v3") && why.contains("digest"), why);
            // what /health shows any client: which version failed, not the reason (it names the model's location)
            assertEquals("model test-model-v3 not loaded, still serving test-model-v2", app.served().lastFailureSummary());
            assertNotEquals(0, app.served().swaps());
        }
    }

    /**
     * Prints p50 / p99 / max of event→list latency for the events sent from 1 s before the publish to 2 s after the
     * swap was seen, and over the whole replay; fails if a list around the swap took more than 10 s (lists stopped).
     */
    private static void reportLatency(EosFixture eos, SteadyReplay replay, List<Recommendations> out, long publishedAt,
                                      long swappedAt) {
        Map<Long, List<Integer>> eventsOfUser = new HashMap<>();
        for (int i = 0; i < eos.total; i++) eventsOfUser.computeIfAbsent((long) eos.events.userId(i), u -> new ArrayList<>()).add(i);
        List<Long> around = new ArrayList<>(), all = new ArrayList<>();
        for (Recommendations r : out) {
            int i = eventsOfUser.get(r.getUserId()).get((int) r.getEventCount() - 1);
            long sent = replay.sentAt(i);
            if (sent == 0) continue;
            long latency = r.getGeneratedAt() - sent;
            all.add(latency);
            if (sent >= publishedAt - 1_000 && sent <= swappedAt + 2_000) around.add(latency);
        }
        assertTrue(around.size() > 50, "events around the swap: " + around.size());
        System.out.printf("hot swap: event->list latency around the swap (%d events sent from 1 s before the publish to"
                + " 2 s after the switch): p50 %d ms, p99 %d ms, max %d ms; whole replay (%d events): p50 %d ms, p99 %d ms,"
                + " max %d ms%n", around.size(), percentile(around, 0.5), percentile(around, 0.99), percentile(around, 1.0),
                all.size(), percentile(all, 0.5), percentile(all, 0.99), percentile(all, 1.0));
        assertTrue(percentile(around, 1.0) < 10_000, "a list around the swap took " + percentile(around, 1.0) + " ms");
    }

    private static long percentile(List<Long> values, double q) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int k = (int) Math.ceil(q * sorted.size()) - 1; // nearest rank
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, k)));
    }

    private static void publish(EmbeddedKafka kafka, String topic, ModelVersion v) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, v.getVersion().getBytes(StandardCharsets.UTF_8),
                    RecordSerdes.modelVersion().serialize(topic, v))).get();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(20);
        }
    }
}
