package io.streamrec.tools.loadtest;

import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.schemas.RecordSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.util.ArrayList;
import java.util.List;

/**
 * The load test's side-by-side baseline: a bare Kafka Streams topology that reads each event from
 * the same kind of input topics and writes one fixed, pre-encoded list of the same length as the
 * app's (a real {@code Recommendations} record, so the same bytes per output record), keyed and
 * timestamped like the app's. Run with the same exactly-once settings and threads, it is what
 * Kafka, the broker and the probe cost on this machine without any of our per-event work.
 */
final class BaselineTopology {
    private BaselineTopology() {}

    static Topology build(String ratings, String watches, String output, byte[] fixedList) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(List.of(ratings, watches), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .mapValues(v -> fixedList)
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return b.build();
    }

    /** An encoded list of {@code k} movies, as the app writes it. */
    static byte[] fixedList(String topic, int k) {
        List<RecommendedMovie> movies = new ArrayList<>(k);
        for (int r = 0; r < k; r++) movies.add(new RecommendedMovie(1000 + r, 1f - r * 0.01f));
        Recommendations list = new Recommendations(0L, movies, "baseline", System.currentTimeMillis(), 1L);
        return RecordSerdes.recommendations().serializer().serialize(topic, list);
    }
}
