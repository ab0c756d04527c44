package io.streamrec.bench;

import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.avro.WatchEvent;
import io.streamrec.schemas.AvroSerde;
import io.streamrec.schemas.RecordSerdes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The wire format (Avro single-object encoding through {@link RecordSerdes}, as on the topics):
 * encode and decode of each input event type and of the output list (top-10).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class AvroBenchmark {
    AvroSerde<RatingEvent> ratings = RecordSerdes.ratingEvent();
    AvroSerde<WatchEvent> watches = RecordSerdes.watchEvent();
    AvroSerde<Recommendations> lists = RecordSerdes.recommendations();
    RatingEvent rating;
    WatchEvent watch;
    Recommendations list;
    byte[] ratingBytes, watchBytes, listBytes;

    @Setup
    public void setup() {
        rating = new RatingEvent(123_456L, 4_321, 4.5f, 1_760_000_000_000L, null);
        watch = new WatchEvent(123_456L, 4_321, 5_400, 6_000, 1_760_000_000_000L, null);
        List<RecommendedMovie> movies = new ArrayList<>();
        for (int r = 0; r < 10; r++) movies.add(new RecommendedMovie(1000 + r, 1f - r * 0.05f));
        list = new Recommendations(123_456L, movies, "model-v1", 1_760_000_000_000L, 42L);
        ratingBytes = ratings.serialize("ratings", rating);
        watchBytes = watches.serialize("watches", watch);
        listBytes = lists.serialize("recommendations", list);
    }

    @Benchmark
    public byte[] encodeRating() {
        return ratings.serialize("ratings", rating);
    }

    @Benchmark
    public RatingEvent decodeRating() {
        return ratings.deserialize("ratings", ratingBytes);
    }

    @Benchmark
    public byte[] encodeWatch() {
        return watches.serialize("watches", watch);
    }

    @Benchmark
    public WatchEvent decodeWatch() {
        return watches.deserialize("watches", watchBytes);
    }

    @Benchmark
    public byte[] encodeRecommendations() {
        return lists.serialize("recommendations", list);
    }

    @Benchmark
    public Recommendations decodeRecommendations() {
        return lists.deserialize("recommendations", listBytes);
    }
}
