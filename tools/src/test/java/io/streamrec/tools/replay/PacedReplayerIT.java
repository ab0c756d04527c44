package io.streamrec.tools.replay;

import io.streamrec.embedded.EmbeddedKafka;
import io.streamrec.embedded.SharedKafkaBroker;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticData;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.WatchEvent;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.trainer.data.Interactions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(SharedKafkaBroker.class)
class PacedReplayerIT {

    @Test
    void theSharedReplayerLeavesTheRecordTimestampToTheProducer() {
        // the app measures latency from the record timestamp: it must be the send time, not the historical event time
        Interactions ev = SyntheticData.generate(SyntheticConfig.small()).events().sortedByTime();
        assertNull(PacedReplayer.record(ev, 0, "r", "w").timestamp());
    }

    @Test
    @Timeout(60)
    void replaysInOrderAtTheRateStampedWithSendTimeAndResumesFromAPosition(EmbeddedKafka kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ratings = "demo-ratings-" + run, watches = "demo-watches-" + run, movies = "demo-movies-" + run;
        kafka.createTopics(Map.of(ratings, 1, watches, 1, movies, 1));
        var data = SyntheticData.generate(SyntheticConfig.small());
        Interactions ev = data.events().sortedByTime();
        int startAt = 25;
        double rate = 100;
        PacedReplayer replayer = new PacedReplayer(data, kafka.bootstrapServers(), ratings, watches, movies, rate, 0.2, startAt, Integer.MAX_VALUE);
        long before = System.currentTimeMillis();
        Thread t = new Thread(replayer);
        t.start();
        Thread.sleep(1500);
        replayer.setRate(0); // paused: nothing more is sent
        Thread.sleep(300);
        long pausedAt = replayer.produced();
        Thread.sleep(400);
        assertEquals(pausedAt, replayer.produced(), "rate 0 pauses");
        replayer.stop();
        t.join(5000);
        long after = System.currentTimeMillis();
        long n = replayer.produced();
        assertTrue(n > 0 && n <= rate * (after - before) / 1000.0 + 2, "paced at " + rate + "/s: " + n + " in " + (after - before) + " ms");
        assertEquals(startAt + n, replayer.position());

        // each topic has one partition, so each keeps the send order; compare each with the dataset's events in time order
        List<String> expectedRatings = new ArrayList<>(), expectedWatches = new ArrayList<>();
        for (int i = startAt; i < startAt + n; i++) {
            (Float.isNaN(ev.rating(i)) ? expectedWatches : expectedRatings).add(ev.userId(i) + "/" + ev.movieId(i));
        }
        List<String> ratingsSeen = new ArrayList<>(), watchesSeen = new ArrayList<>();
        int poison = 0;
        for (var r : read(kafka, ratings, watches, n + replayer.poisoned())) {
            assertTrue(r.timestamp() >= before && r.timestamp() <= after, "stamped when sent, not with the event time");
            if (r.topic().equals(watches)) {
                WatchEvent w = RecordSerdes.watchEvent().deserialize(watches, r.value());
                watchesSeen.add(w.getUserId() + "/" + w.getMovieId());
                continue;
            }
            RatingEvent rating;
            try {
                rating = RecordSerdes.ratingEvent().deserialize(ratings, r.value());
            } catch (RuntimeException notAvro) {
                poison++;
                continue;
            }
            if (rating.getRating() == 9.0f) poison++;
            else ratingsSeen.add(rating.getUserId() + "/" + rating.getMovieId());
        }
        assertEquals(expectedRatings, ratingsSeen, "ratings in time order from the start position");
        assertEquals(expectedWatches, watchesSeen, "watches in time order from the start position");
        assertEquals(replayer.poisoned(), poison);
        assertTrue(poison > 0, "some poison at fraction 0.2");
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(EmbeddedKafka kafka, String ratings, String watches, long expected) {
        Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(ratings, watches));
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (out.size() < expected && System.nanoTime() < end) c.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        assertEquals(expected, out.size());
        return out;
    }
}
