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
 * Publish a new model's user vectors after the instances serve it ({@code publish}, then
 * {@code publish-users}): a vector arriving while the old model is still served is ignored.
 */
final class WarmStartProcessor implements Processor<Long, UserVector, Void, Void> {
    private final ServedModel serving;
    private final LiveQuality quality;
    private KeyValueStore<Long, UserState> states;
    private KeyValueStore<Integer, Long> userCount;
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
        partition = context.taskId().partition();
    }

    @Override
    public void process(Record<Long, UserVector> record) {
        UserVector v = record.value();
        if (record.key() == null || v == null) return;
        RecommenderModel m = serving.current().model();
        if (!m.version().equals(v.getModelVersion())) return;
        if (v.getRatingVector().size() != m.ratingDim() || v.getRetrievalVector().size() != m.dim()) return;
        long userId = record.key();
        UserState stored = states.get(userId);
        if (stored == null) {
            UserState adopted = ModelDirectory.userState(v, m);
            adopted.historyFromSeen(historyEvents); // what a re-fit to the next model goes on
            states.put(userId, adopted);
            Long users = userCount.get(partition); // a new user for /status, as the user processor counts them
            userCount.put(partition, (users == null ? 0 : users) + 1);
        } else {
            String builtOn = stored.modelVersion();
            if (builtOn.isEmpty() || builtOn.equals(m.version())) return;
            UserState state = stored.fittedTo(m);
            state.adoptVectors(ModelDirectory.userState(v, m));
            state.historyFromSeen(historyEvents);
            states.put(userId, state);
        }
        quality.warmStart();
    }
}
