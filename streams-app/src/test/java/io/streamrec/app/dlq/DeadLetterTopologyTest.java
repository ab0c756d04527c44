package io.streamrec.app.dlq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.app.config.AppConfig;
import io.streamrec.avro.RatingEvent;
import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handler inside a real (test-driven) Kafka Streams task, configured the way the app configures it: poison
 * bytes on an input topic come out on the dead-letter topic with their headers, and the next good record is
 * processed. A tiny stand-in topology; the app's topology has its own tests.
 *
 * <p>Two TopologyTestDriver (4.3.1) quirks this test works around, worth knowing for the topology tests:
 * <ul>
 *   <li>With {@code exactly_once_v2} the driver loses the dead letters of the deserialization handler: they are sent
 *       into the open transaction while the record is enqueued, and the driver's output capture calls
 *       {@code MockProducer.clear()}, which also drops uncommitted sends. (A real Kafka Streams commits them: with
 *       EOS v2 it commits whenever a transaction is in flight.) So this test runs {@code at_least_once}.</li>
 *   <li>The driver reads global stores with a hard-wired {@code LogAndContinueExceptionHandler}, not the configured
 *       handler, so a bad catalogue record is only logged there.</li>
 * </ul>
 */
class DeadLetterTopologyTest {

    @TempDir
    Path stateDir;

    @Test
    void poisonRecordsAreDeadLetteredAndProcessingContinues() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable("movies", Consumed.with(Keys.movieIdSerde(), RecordSerdes.movie()));
        builder.stream("ratings", Consumed.with(Keys.userIdSerde(), RecordSerdes.ratingEvent()))
                .mapValues(RatingEvent::getMovieId)
                .to("out", Produced.with(Keys.userIdSerde(), Serdes.Integer()));

        DlqMetrics metrics = new DlqMetrics();
        Properties props = AppConfig.of(Map.of("state.dir", stateDir.toString(),
                "processing.guarantee", "at_least_once")).streamsProperties();
        props.put(DeadLetterDeserializationHandler.METRICS_CONFIG, metrics);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<byte[], byte[]> ratings =
                    driver.createInputTopic("ratings", new ByteArraySerializer(), new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> movies =
                    driver.createInputTopic("movies", new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<Long, Integer> out =
                    driver.createOutputTopic("out", Keys.userIdSerde().deserializer(), Serdes.Integer().deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(DlqReasons.TOPIC,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());

            byte[] key = "42".getBytes(StandardCharsets.US_ASCII);
            byte[] poison = {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF};
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
            Instant sourceTime = Instant.ofEpochMilli(1_700_000_000_000L);
            ratings.pipeInput(new TestRecord<>(key, poison, headers, sourceTime));
            ratings.pipeInput(new TestRecord<>("0042".getBytes(StandardCharsets.US_ASCII),
                    RecordSerdes.ratingEvent().serialize("ratings", rating()), sourceTime));
            ratings.pipeInput(key, RecordSerdes.ratingEvent().serialize("ratings", rating()), sourceTime);
            movies.pipeInput("1".getBytes(StandardCharsets.US_ASCII), poison); // global store: skipped, no crash
            ratings.pipeInput(key, RecordSerdes.ratingEvent().serialize("ratings", rating()), sourceTime);

            assertEquals(KeyValue.pair(42L, 1193), out.readKeyValue());
            assertEquals(KeyValue.pair(42L, 1193), out.readKeyValue(), "still running after the global store's");
            assertTrue(out.isEmpty());

            TestRecord<byte[], byte[]> first = dlq.readRecord();
            assertArrayEquals(key, first.key());
            assertArrayEquals(poison, first.value());
            assertEquals("t-1", DeadLetters.header(first.headers(), "trace-id"));
            assertEquals(DlqReasons.DESERIALIZATION, DeadLetters.header(first.headers(), DeadLetters.REASON));
            assertTrue(DeadLetters.header(first.headers(), DeadLetters.DETAIL).startsWith("bad marker"));
            assertEquals("ratings", DeadLetters.header(first.headers(), DeadLetters.TOPIC));
            assertEquals("0", DeadLetters.header(first.headers(), DeadLetters.PARTITION));
            assertEquals("0", DeadLetters.header(first.headers(), DeadLetters.OFFSET));
            assertEquals("1700000000000", DeadLetters.header(first.headers(), DeadLetters.TIMESTAMP));

            TestRecord<byte[], byte[]> second = dlq.readRecord();
            assertEquals(DlqReasons.KEY_MISMATCH, DeadLetters.header(second.headers(), DeadLetters.REASON));
            assertEquals("1", DeadLetters.header(second.headers(), DeadLetters.OFFSET));
            assertTrue(dlq.isEmpty());

            assertEquals(1, metrics.count(DlqReasons.DESERIALIZATION), metrics.toString());
            assertEquals(1, metrics.count(DlqReasons.KEY_MISMATCH), metrics.toString());
        }
    }

    private static RatingEvent rating() {
        return RatingEvent.newBuilder()
                .setUserId(42L).setMovieId(1193).setRating(4.5f).setEventTime(1_700_000_000_000L).build();
    }
}
