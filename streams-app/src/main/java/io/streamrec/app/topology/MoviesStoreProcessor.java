package io.streamrec.app.topology;

import io.streamrec.app.lifecycle.NewMovies;
import io.streamrec.avro.Movie;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code movies} topic's reader on every instance (the global store's processor, on the global stream thread): keeps
 * the latest {@code Movie} per id in {@link EventTopology#MOVIES_STORE} (a null value deletes it) and offers it to the
 * served model ({@link NewMovies}): a movie the model has no vectors for gets them from the model's feature map and is
 * recommendable from the next list on. At start (the store is restored before init) every stored movie is offered.
 * Store write and offer happen under {@link NewMovies}'s lock, so a swap's replay of the store never misses a movie.
 */
final class MoviesStoreProcessor implements Processor<Integer, Movie, Void, Void> {
    private final NewMovies newMovies;
    private KeyValueStore<Integer, Movie> store;

    MoviesStoreProcessor(NewMovies newMovies) {
        this.newMovies = newMovies;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(EventTopology.MOVIES_STORE);
        newMovies.attach(store);
    }

    @Override
    public void process(Record<Integer, Movie> record) {
        if (record.key() == null) return;
        synchronized (newMovies) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
                newMovies.arrived(record.value());
            }
        }
    }
}
