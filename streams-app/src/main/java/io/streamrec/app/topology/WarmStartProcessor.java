package io.streamrec.app.topology;

import io.streamrec.avro.UserVector;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.model.ModelDirectory;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Warm start: adopts a user vector the trainer published to {@code user-vectors} as the user's
 * state, so a user the batch model knows starts from their trained vectors, counts and training
 * history (none of those movies is recommended to them) instead of the prior. The topic is keyed
 * and partitioned like the event topics, so the vector lands in the task that owns the user's
 * state: no instance holds a copy of every user.
 *
 * <p>Adopted only when the vector belongs to the model being served (another model's vectors live
 * in another space), and the user has no state yet or a state fitted against another model version
 * (then its vectors and bias are replaced, its counts, history and last list kept, and the
 * training history's movies added to its seen ones: {@link UserState#adoptVectors}). A state
 * fitted against the served version keeps what it learned online (a re-fit from its history, or
 * events since the vector was trained); one stored before versions were recorded is kept too.
 * A vector of another model than the one served (typically published right after {@code publish},
 * while the instances still load the new model) is kept in {@link EventTopology#PENDING_USER_VECTORS_STORE}
 * and adopted by {@link UserEventProcessor} at the user's first event under that model, instead of a
 * re-fit from the user's history.
 */
final class WarmStartProcessor implements Processor<Long, UserVector, Void, Void> {
    private final ServedModel serving;
    private final LiveQuality quality;
    private KeyValueStore<Long, UserState> states;
    private KeyValueStore<Integer, Long> userCount;
    private KeyValueStore<Long, UserVector> pending;
    private int partition;

    private final int historyEvents;

    WarmStartProcessor(ServedModel serving, LiveQuality quality, int historyEvents) {
        this.historyEvents = historyEvents;
        this.serving = serving;
        this.quality = quality;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        states = context.getStateStore(EventTopology.USER_STATE_STORE);
        userCount = context.getStateStore(EventTopology.USER_COUNT_STORE);
        pending = context.getStateStore(EventTopology.PENDING_USER_VECTORS_STORE);
        partition = context.taskId().partition();
    }

    @Override
    public void process(Record<Long, UserVector> record) {
        UserVector v = record.value();
        if (record.key() == null || v == null) return;
        RecommenderModel m = serving.current().model();
        long userId = record.key();
        if (!m.version().equals(v.getModelVersion())) { // for a model not served (yet): adopted at its first event under it
            pending.put(userId, v);
            return;
        }
        if (v.getRatingVector().size() != m.ratingDim() || v.getRetrievalVector().size() != m.dim()) return;
        UserState stored = states.get(userId);
        if (stored == null) {
            Long users = userCount.get(partition); // a new user for /status, as the user processor counts them
            userCount.put(partition, (users == null ? 0 : users) + 1);
        } else if (stored.modelVersion().isEmpty() || stored.modelVersion().equals(m.version())) {
            return;
        }
        states.put(userId, adopt(stored, v, m, historyEvents));
        quality.warmStart();
    }

    /**
     * The state a user gets from a published vector of model {@code m}: the vector's whole state for a user without
     * one; else {@code stored} shaped for {@code m} with the vector's vectors and bias and its own counts and history.
     * Its history, when it has none, is the newest of the training movies with the user's ratings of them (what a re-fit
     * to the next model goes on; without ratings when the vector carries none).
     */
    static UserState adopt(UserState stored, UserVector v, RecommenderModel m, int historyEvents) {
        UserState state;
        if (stored == null) {
            state = ModelDirectory.userState(v, m);
        } else {
            state = stored.fittedTo(m);
            state.adoptVectors(ModelDirectory.userState(v, m));
        }
        if (state.historyCount() == 0) ModelDirectory.restoreHistory(v, state, historyEvents);
        state.historyFromSeen(historyEvents);
        return state;
    }
}
