package io.streamrec.app.http;

import io.streamrec.app.topology.EventTopology;
import io.streamrec.avro.Movie;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.function.IntFunction;

/**
 * This instance's copy of the {@code movies} topic (the global movies store, every instance holds all of it), read by
 * interactive query: the catalogue entry the API shows for a movie. Null when the topic has no entry for the movie or
 * the store cannot be queried yet (Kafka Streams starting): the API then falls back to the model's catalogue.
 */
final class MoviesStore implements IntFunction<Movie> {
    private final KafkaStreams streams;
    private volatile ReadOnlyKeyValueStore<Integer, Movie> store;

    MoviesStore(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public Movie apply(int movieId) {
        try {
            ReadOnlyKeyValueStore<Integer, Movie> s = store;
            if (s == null) {
                s = streams.store(StoreQueryParameters.fromNameAndType(EventTopology.MOVIES_STORE,
                        QueryableStoreTypes.<Integer, Movie>keyValueStore()));
                store = s;
            }
            return s.get(movieId);
        } catch (InvalidStateStoreException e) {
            store = null; // migrated or not ready: ask again next time
            return null;
        }
    }
}
