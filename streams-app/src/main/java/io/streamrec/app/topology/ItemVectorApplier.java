package io.streamrec.app.topology;

import io.streamrec.app.items.ItemUpdateStats;
import io.streamrec.app.items.ItemVectorCodec;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.retrieval.CandidateRetriever;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Every instance's reader of {@code item-vectors} (the global store's processor, on the global stream thread): keeps
 * the latest value per movie in {@link EventTopology#ITEM_VECTORS_STORE} and writes a vector of the served model's
 * version into the served model's item arrays (rating and retrieval rows and biases, which the learner, ranker and
 * pipeline read) and into its retriever ({@code update}), so lists made from then on score the movie with it.
 * A vector of another version is kept in the store but not applied. At start, {@code init} applies what the store
 * already holds on disk (a restart that kept its state directory), and the records restored from the topic after that
 * pass through {@code process} (Kafka Streams re-processes a global store added with a custom processor on restore,
 * KAFKA-7663); whenever the served version changed since the last record (a hot swap), the store's vectors of the
 * served version are applied first. So a restarted, new or swapped instance serves the published vectors
 * ({@code ItemUpdatesAcrossInstancesIT} checks a newly started instance).
 *
 * <p>A movie the served model did not know has its vectors from the feature map once its {@code Movie} arrived
 * ({@code NewMovies}, on this same thread); its published vectors are applied from then on, and the ones stored
 * before are applied when it arrives.
 *
 * <p>One writer: only the global thread writes the item arrays; stream threads read them while it does (a list
 * racing an update may score that one movie with a half-written row, as {@code HnswRetriever} documents).
 */
final class ItemVectorApplier implements Processor<Integer, byte[], Void, Void> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ItemVectorApplier.class);
    private final ServedModel served;
    private final ItemUpdateStats stats;
    private final ItemVectorCodec codec = new ItemVectorCodec();
    private final ItemVectorCodec.Buffer buffer = new ItemVectorCodec.Buffer();
    private KeyValueStore<Integer, byte[]> store;
    private ProcessorContext<Void, Void> context;
    private RecommenderModel appliedTo;
    private byte[] versionUtf8;

    ItemVectorApplier(ServedModel served, ItemUpdateStats stats) {
        this.served = served;
        this.stats = stats;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(EventTopology.ITEM_VECTORS_STORE);
        catchUp(served.current().model());
        served.newMovies().onAdded(this::newMovie);
    }

    /**
     * A movie the served model did not know just got its vectors from the feature map (on this thread): a vector the
     * movie's owner published for it under this model (before a restart, or from another instance) replaces them.
     */
    private void newMovie(int movieId) {
        RecommenderModel m = served.current().model();
        if (m != appliedTo) {
            catchUp(m);
            return;
        }
        byte[] value = store.get(movieId);
        if (value != null && apply(m, value)) stats.vectorRestored();
    }

    @Override
    public void process(Record<Integer, byte[]> record) {
        if (record.key() == null) return;
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        store.put(record.key(), record.value());
        RecommenderModel m = served.current().model();
        if (m != appliedTo) catchUp(m);
        else if (apply(m, record.value())) stats.vectorApplied(context.currentSystemTimeMs() - record.timestamp());
    }

    /** Applies every stored vector of {@code m}'s version to {@code m}. */
    private void catchUp(RecommenderModel m) {
        appliedTo = m;
        versionUtf8 = m.version().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = 0;
        try (KeyValueIterator<Integer, byte[]> it = store.all()) {
            while (it.hasNext()) {
                if (apply(m, it.next().value)) {
                    stats.vectorRestored();
                    n++;
                }
            }
        }
        if (n > 0) LOG.info("applied {} published item vectors of model {} to the serving copy", n, m.version());
    }

    private boolean apply(RecommenderModel m, byte[] value) {
        try {
            codec.read(value, buffer);
        } catch (RuntimeException e) {
            LOG.warn("skipping an item vector that cannot be read: {}", e.getMessage());
            stats.vectorIgnored();
            return false;
        }
        int item = m.items().indexOf(buffer.movieId);
        int rd = m.ratingDim(), d = m.dim();
        if (item < 0 || !buffer.isVersion(versionUtf8) || buffer.vectorLength != rd || buffer.retrievalLength != d) {
            stats.vectorIgnored();
            return false;
        }
        System.arraycopy(buffer.vector, 0, m.ratingVectors(), item * rd, rd);
        m.ratingBiases()[item] = buffer.bias;
        System.arraycopy(buffer.retrievalVector, 0, m.retrievalVectors(), item * d, d);
        m.retrievalBiases()[item] = buffer.retrievalBias;
        CandidateRetriever.forModel(m).update(item, m.retrievalVectors(), item * d, buffer.retrievalBias);
        return true;
    }
}
