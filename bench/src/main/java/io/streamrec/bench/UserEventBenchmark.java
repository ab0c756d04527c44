package io.streamrec.bench;

import io.streamrec.trainer.train.TrainConfig;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.model.GeneratedModel;
import io.streamrec.app.topology.EventTopology;
import io.streamrec.app.topology.LiveQuality;
import io.streamrec.avro.RatingEvent;
import io.streamrec.schemas.AvroSerde;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.model.ModelDirectory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One event through the production topology ({@link EventTopology#build}) without a broker:
 * TopologyTestDriver feeds a serialized rating, the validator checks it, the per-user processor
 * reads the user's state from its RocksDB store (a real {@code Stores.persistentKeyValueStore}
 * in a temporary state directory), predicts, learns, retrieves 200 candidates over the catalogue,
 * ranks them with ONNX Runtime, writes the state (which keeps the list) back to RocksDB, and the list is serialized
 * to the output topic, where the benchmark reads it. Users are drawn from 100k, so after warm-up
 * most reads hit an existing state. The catalogue size is a parameter (10k: the target
 * size; 20k: the load test's).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class UserEventBenchmark {
    static final int USERS = 100_000;
    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @Param({"10000", "20000"})
    int movies;

    @Param({"64"})
    int dim;

    Path work;
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> ratings;
    TestOutputTopic<byte[], byte[]> recommendations;
    AvroSerde<RatingEvent> serde = RecordSerdes.ratingEvent();
    SplittableRandom rnd = new SplittableRandom(42);
    long t = NOW - 86_400_000L;

    @Setup
    public void setup() throws IOException {
        work = Files.createTempDirectory("bench-user-event-");
        Path modelDir = work.resolve("model");
        GeneratedModel.write(modelDir, movies, dim, TrainConfig.defaults().hidden(), 42);
        AppConfig config = AppConfig.of(Map.of("model.dir", modelDir.toString(), "state.dir", work.resolve("state").toString()));
        driver = new TopologyTestDriver(EventTopology.build(config, ModelDirectory.read(modelDir), new LiveQuality(), new DlqMetrics()),
                config.streamsProperties(), Instant.ofEpochMilli(NOW));
        ratings = driver.createInputTopic(config.ratingsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        recommendations = driver.createOutputTopic(config.recommendationsTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @TearDown
    public void close() throws IOException {
        driver.close();
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public byte[] oneRating() {
        long user = 1 + rnd.nextInt(USERS);
        double u = rnd.nextDouble();
        int movie = 1 + (int) (movies * u * u * u);
        RatingEvent e = new RatingEvent(user, movie, 0.5f * (1 + rnd.nextInt(10)), t++, null);
        ratings.pipeInput(Keys.userKey(user), serde.serialize(null, e));
        return recommendations.readValue();
    }
}
