package io.streamrec.schemas;

import io.streamrec.avro.Movie;
import io.streamrec.avro.RatingEvent;
import io.streamrec.avro.WatchEvent;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;

/**
 * Input records as the wire format defines them (docs/wire-format.md): Avro single-object encoding, events keyed by
 * the user id and movies by the movie id, as decimal strings. The one place a producer inside this project (the HTTP
 * API, the replay tools, the tests) builds them. The timestamp is left to the producer (send time).
 */
public final class EventRecords {
    private EventRecords() {}

    public static ProducerRecord<byte[], byte[]> rating(String topic, long userId, int movieId, float rating, long eventTime) {
        return new ProducerRecord<>(topic, Keys.userKey(userId),
                RecordSerdes.ratingEvent().serialize(topic, new RatingEvent(userId, movieId, rating, eventTime)));
    }

    public static ProducerRecord<byte[], byte[]> watch(String topic, long userId, int movieId, int secondsWatched,
                                                      Integer movieLengthSeconds, long eventTime) {
        return new ProducerRecord<>(topic, Keys.userKey(userId), RecordSerdes.watchEvent()
                .serialize(topic, new WatchEvent(userId, movieId, secondsWatched, movieLengthSeconds, eventTime)));
    }

    /** A catalogue entry for the compacted movies topic; {@code year} null when unknown. */
    public static ProducerRecord<byte[], byte[]> movie(String topic, int movieId, String title, List<String> genres, Integer year) {
        return new ProducerRecord<>(topic, Keys.movieKey(movieId),
                RecordSerdes.movie().serialize(topic, new Movie(movieId, title, genres, year)));
    }
}
