package io.streamrec.app.lifecycle;

import io.streamrec.avro.Movie;
import io.streamrec.core.coldstart.MovieArrivals;
import io.streamrec.core.coldstart.MovieFeatureMap;
import io.streamrec.core.features.MovieMeta;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.model.ModelDirectory;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Cold-start movies live: every {@code Movie} of the {@code movies} topic is offered to the served model
 * ({@link MovieArrivals}); one the model has no vectors for gets them from the model's feature map and enters the item
 * arrays and the retriever, so the next lists can hold it. A hot swap replays the whole movies store into the new model
 * before switching to it ({@link ServedModel#swapTo}), so the new model serves the same new movies.
 *
 * <p>Threads: the movies store's processor (the global stream thread, the thread that also applies published item
 * vectors) calls {@link #attach} and {@link #arrived}; the model-version follower's swap calls {@link #replayThenSwitch}.
 * All three hold this object's lock, so a movie is either in the store before a swap replays it or offered to the model
 * the swap switched to, never lost between them. The follower thread writes only the model it is about to switch to,
 * which nobody reads or writes before the switch (a volatile write publishes it); from the switch on, only the global
 * thread writes the served model's item arrays and retriever: one writer at any time, as the HNSW index requires.
 * The movie ids a model knows do not change, so {@code Movie} records for them change nothing served (titles for the
 * API come from the store, {@code Catalogue}); a tombstone removes the store's entry but not vectors already given.
 */
public final class NewMovies {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NewMovies.class);
    /** No-room and no-map warnings: the first few, then one in this many. */
    private static final long LOG_EVERY = 1000;

    private final ServedModel served;
    private KeyValueStore<Integer, Movie> store;
    private IntConsumer onAdded = id -> {};
    private final AtomicLong mapped = new AtomicLong(), added = new AtomicLong(), noRoom = new AtomicLong(),
            noMap = new AtomicLong(), changes = new AtomicLong();

    NewMovies(ServedModel served) {
        this.served = served;
    }

    /**
     * The movies store's processor is initialised (its store restored): from now on a swap replays it. Offers every
     * stored movie to the served model (a restarted instance gives its new movies their vectors before any event).
     */
    public synchronized void attach(KeyValueStore<Integer, Movie> movies) {
        this.store = movies;
        int n = replay(served.current(), true);
        if (n > 0) LOG.info("gave {} movies from the movies store vectors from the feature map of model {}", n, served.version());
    }

    /**
     * Told on the global thread when a movie vector given to the served model may have a published item vector waiting
     * (items learning online): the item-vectors store's processor applies it.
     */
    public synchronized void onAdded(IntConsumer movieId) {
        this.onAdded = movieId;
    }

    /** A catalogue entry from the movies topic (already in the store), offered to the served model. */
    public synchronized void arrived(Movie movie) {
        ModelDirectory.Loaded m = served.current();
        if (offer(m, movie, true)) LOG.debug("movie {} recommendable under model {}", movie.getMovieId(), m.model().version());
    }

    /** Offers every stored movie to {@code next}, then runs {@code switchTo}: called by {@link ServedModel#swapTo}. */
    synchronized void replayThenSwitch(ModelDirectory.Loaded next, Runnable switchTo) {
        if (store != null) {
            long t0 = System.nanoTime();
            int n = replay(next, false);
            if (n > 0) {
                LOG.info("gave {} movies of the movies store vectors from the feature map of model {} before switching to it"
                        + " ({} ms)", n, next.model().version(), (System.nanoTime() - t0) / 1_000_000);
            }
        }
        switchTo.run();
    }

    private int replay(ModelDirectory.Loaded m, boolean served) {
        int n = 0;
        try (KeyValueIterator<Integer, Movie> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Integer, Movie> kv = it.next();
                if (kv.value != null && offer(m, kv.value, served)) n++;
            }
        }
        return n;
    }

    /** Whether the movie was given vectors; {@code served}: {@code m} is served now (the item-vector hook is told). */
    private boolean offer(ModelDirectory.Loaded m, Movie movie, boolean served) {
        Optional<MovieFeatureMap> map = m.featureMap();
        var model = m.model();
        int item = model.items().indexOf(movie.getMovieId());
        if (item >= 0 && model.trained(item)) return false;
        if (map.isEmpty()) {
            long k = noMap.incrementAndGet();
            if (k <= 3 || k % LOG_EVERY == 0) {
                LOG.warn("movie {} is unknown to model {}, which has no cold-start feature map: not recommended until a model"
                        + " knows it ({} such movies so far)", movie.getMovieId(), model.version(), k);
            }
            return false;
        }
        MovieArrivals.Outcome outcome = MovieArrivals.arrive(model, map.get(), CandidateRetriever.forModel(model), meta(movie));
        switch (outcome) {
            case MAPPED -> mapped.incrementAndGet();
            case ADDED -> added.incrementAndGet();
            case NO_ROOM -> {
                long k = noRoom.incrementAndGet();
                if (k <= 20 || k % LOG_EVERY == 0) {
                    LOG.warn("no room for new movie {} in model {}: its {} slots for new movies (movies.new.capacity) are used;"
                            + " the movie is not recommended until the next model ({} movies refused so far)",
                            movie.getMovieId(), model.version(), model.items().size() - model.items().loaded(), k);
                }
                return false;
            }
            case KNOWN -> {
                return false;
            }
        }
        changes.incrementAndGet();
        if (served) onAdded.accept(movie.getMovieId());
        return true;
    }

    static MovieMeta meta(Movie m) {
        List<String> genres = m.getGenres() == null ? List.of() : m.getGenres();
        return new MovieMeta(m.getMovieId(), m.getTitle() == null ? "movie " + m.getMovieId() : m.getTitle(), genres,
                m.getYear() == null ? 0 : m.getYear());
    }

    /** Movies listed by a served model's catalogue without vectors that got mapped ones, since start. */
    public long mapped() { return mapped.get(); }

    /** Movies new to a served model's catalogue added in a free slot, since start. */
    public long added() { return added.get(); }

    /** New movies refused for want of a free slot, since start. */
    public long noRoom() { return noRoom.get(); }

    /** Movies unknown to a model without a feature map, since start. */
    public long noMap() { return noMap.get(); }

    /** Changes to any model's movies (for caches of the catalogue to notice). */
    public long changes() { return changes.get(); }

    /** Free slots for new movies in the served model. */
    public int freeSlots() {
        return served.current().model().items().free();
    }
}
