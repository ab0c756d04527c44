package io.streamrec.app.topology;

import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.app.items.ItemFeedbackCodec;
import io.streamrec.app.items.ItemUpdateStats;
import io.streamrec.app.items.ItemVectorCodec;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.core.learn.ItemFeedback;
import io.streamrec.core.learn.OnlineItemLearner;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.schemas.DlqReasons;
import io.streamrec.schemas.Keys;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The one owner of each movie's vectors while items learn online: reads the item feedback the user tasks send
 * (keyed by movie id, so every event on a movie lands in the one task owning its partition of the
 * {@code item-feedback} topic, in the order the user tasks committed them), applies {@link OnlineItemLearner} to the
 * movie's vectors held in the {@link EventTopology#ITEM_STATE_STORE} (a changelogged RocksDB store; a movie it holds
 * nothing for, or holds another model version's vectors for, starts from the served model's row), stores the new
 * vectors and publishes them on the compacted {@code item-vectors} topic — store, output and input offset in one
 * transaction under exactly-once, so each event moves its movie once.
 *
 * <p>Feedback made on another model version than the one served here (a swap happened in between) is dropped: its
 * user vectors live in the other model's space. Bytes that are no feedback message go to the dead-letter topic.
 */
final class ItemOwnerProcessor implements Processor<byte[], byte[], Object, Object> {
    private final ServedModel served;
    private final ItemUpdateStats stats;
    private final DlqMetrics dlq;
    private final int dlqMaxRecordBytes;
    private final ItemVectorCodec codec = new ItemVectorCodec();
    private final ItemVectorCodec.Buffer held = new ItemVectorCodec.Buffer();
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Integer, byte[]> store;
    private RecommenderModel model;
    private ItemFeedback feedback;
    private float[] q, v;
    private byte[] versionUtf8;
    private final float[] ratingBias = new float[1], retrievalBias = new float[1];

    ItemOwnerProcessor(ServedModel served, ItemUpdateStats stats, DlqMetrics dlq, int dlqMaxRecordBytes) {
        this.served = served;
        this.stats = stats;
        this.dlq = dlq;
        this.dlqMaxRecordBytes = dlqMaxRecordBytes;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(EventTopology.ITEM_STATE_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecommenderModel m = served.current().model();
        if (m != model) use(m);
        int movieId;
        try {
            movieId = Keys.parseMovieId(record.key());
            if (!ItemFeedbackCodec.madeOn(record.value(), versionUtf8)) {
                stats.ownerDropped();
                return;
            }
            ItemFeedbackCodec.read(record.value(), movieId, m.items().indexOf(movieId), feedback);
        } catch (RuntimeException e) {
            DeadLetterForwarding.forward(context, dlq, dlqMaxRecordBytes, record.key(), record.value(), record.timestamp(),
                    record.headers(), DlqReasons.DESERIALIZATION, "item feedback: " + e.getMessage());
            return;
        }
        int item = feedback.item();
        if (item < 0 || !m.trained(item) || feedback.isEmpty()) {
            stats.ownerDropped();
            return;
        }
        int rd = m.ratingDim(), d = m.dim();
        byte[] stored = store.get(movieId);
        if (stored != null && codec.read(stored, held).isVersion(versionUtf8) && held.vectorLength == rd
                && held.retrievalLength == d) {
            System.arraycopy(held.vector, 0, q, 0, rd);
            System.arraycopy(held.retrievalVector, 0, v, 0, d);
            ratingBias[0] = held.bias;
            retrievalBias[0] = held.retrievalBias;
        } else {
            // nothing published for this movie on this model yet, so the served row is still the trained one
            System.arraycopy(m.ratingVectors(), item * rd, q, 0, rd);
            System.arraycopy(m.retrievalVectors(), item * d, v, 0, d);
            ratingBias[0] = m.ratingBias(item);
            retrievalBias[0] = m.retrievalBias(item);
        }
        OnlineItemLearner.apply(feedback, 0, q, ratingBias, v, retrievalBias, m.online());
        byte[] out = codec.write(movieId, q, 0, rd, ratingBias[0], v, 0, d, retrievalBias[0], m.popularity(item), m.version());
        store.put(movieId, out);
        stats.ownerApplied();
        // keeps the event's timestamp: every instance measures how long after the event its serving copy moved
        context.forward(new Record<Object, Object>(movieId, out, record.timestamp()), EventTopology.ITEM_VECTORS_SINK);
    }

    private void use(RecommenderModel m) {
        model = m;
        feedback = new ItemFeedback(m.ratingDim(), m.dim());
        versionUtf8 = m.version().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        q = new float[m.ratingDim()];
        v = new float[m.dim()];
    }
}
