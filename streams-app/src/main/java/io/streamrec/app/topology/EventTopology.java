package io.streamrec.app.topology;

import io.streamrec.app.config.AppConfig;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.app.state.UserStateSerde;
import io.streamrec.schemas.Keys;
import io.streamrec.schemas.RecordSerdes;
import io.streamrec.model.ModelDirectory;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The recommender topology as a pure function of its configuration and model:
 * <pre>
 *   ratings ─> validate-ratings ─┐                          ┌─> recommendations
 *   watches ─> validate-watches ─┼─> user-events (stores) ──┘
 *                 └──(bad)──────────> recommender-dlq
 *   movies  ─> movies-store (global, the catalogue): a movie the served model has no vectors for gets them from
 *              the model's feature map into its item arrays and retriever (NewMovies)
 *   user-vectors ─> warm-start ─> user-state, or pending-user-vectors for a model not served yet
 *                                  (when topic.user-vectors is set)
 *   (items.learn.online:)
 *   user-events ─(item feedback, key movie id)─> <app>-item-feedback ─> item-owner (item-state) ─> item-vectors
 *   item-vectors ─> item-vectors-store (global): the served model's item arrays and retriever
 * </pre>
 * `ratings` and `watches` (and `user-vectors` when used) must have the same partition count (keyed
 * by user id) so one task owns all of a user's events and state and applies them in order. Item feedback is keyed
 * by movie id so one task owns each movie's vectors; every instance reads all of {@code item-vectors}.
 */
public final class EventTopology {
    public static final String USER_STATE_STORE = "user-state";
    /**
     * Lists as releases before {@code UserState} kept the last list whole stored them: read; written only to delete a
     * user's stale entry at their first new list.
     */
    public static final String RECOMMENDATIONS_STORE = "recommendations-store";
    /** Per task, one entry: partition -> users in that partition's {@link #USER_STATE_STORE} (for /status). */
    public static final String USER_COUNT_STORE = "user-count";
    public static final String MOVIES_STORE = "movies-store";
    /** The item owners' store: movie id -> its current vectors (an {@code ItemVector} value), changelogged. */
    public static final String ITEM_STATE_STORE = "item-state";
    /** Every instance's copy of {@code item-vectors} (global, not changelogged: the topic is its log). */
    public static final String ITEM_VECTORS_STORE = "item-vectors-store";
    /**
     * Warm start: published user vectors of a model not served yet when they arrived (user id -> the newest such
     * vector), adopted at the user's first event under that model ({@link WarmStartProcessor}).
     */
    public static final String PENDING_USER_VECTORS_STORE = "pending-user-vectors";
    static final String USER_PROCESSOR = "user-events";
    static final String ITEM_OWNER_PROCESSOR = "item-owner";
    static final String ITEM_FEEDBACK_SINK = "item-feedback-sink";
    static final String ITEM_VECTORS_SINK = "item-vectors-sink";
    static final String WARM_START_PROCESSOR = "warm-start";
    static final String DLQ_SINK = "dead-letters";
    static final String RECOMMENDATIONS_SINK = "recommendations-sink";

    private EventTopology() {}

    /** The topology serving one fixed model. */
    public static Topology build(AppConfig config, ModelDirectory.Loaded model, LiveQuality quality, DlqMetrics dlq) {
        return build(config, new ServedModel(model), quality, dlq);
    }

    /** The topology serving whatever {@code model} holds when each event is processed (hot swap). */
    public static Topology build(AppConfig config, ServedModel model, LiveQuality quality, DlqMetrics dlq) {
        if (config.metricsStageCpu()) quality.stages().enable(); // before the processors are made: they wrap their parts once
        Topology t = new Topology();
        var bytes = Serdes.ByteArray();
        t.addSource("ratings-source", bytes.deserializer(), bytes.deserializer(), config.ratingsTopic());
        t.addSource("watches-source", bytes.deserializer(), bytes.deserializer(), config.watchesTopic());
        long skew = config.maxFutureSkewMs();
        int dlqMax = config.dlqMaxRecordBytes();
        t.addProcessor("validate-ratings", () -> new EventValidator(EventValidator.Kind.RATING, skew, dlq, dlqMax), "ratings-source");
        t.addProcessor("validate-watches", () -> new EventValidator(EventValidator.Kind.WATCH, skew, dlq, dlqMax), "watches-source");
        int candidates = config.recommendCandidates(), k = config.recommendK(), threads = config.rankerIntraOpThreads();
        int eventIds = config.eventIdsRemembered(), history = config.userHistoryEvents();
        boolean warmStart = !config.userVectorsTopic().isEmpty();
        boolean items = config.itemsLearnOnline();
        t.addProcessor(USER_PROCESSOR, () -> new UserEventProcessor(model, candidates, k, threads, quality, eventIds, dlq, dlqMax,
                        history, warmStart, items),
                "validate-ratings", "validate-watches");
        if (items) {
            t.addSink(ITEM_FEEDBACK_SINK, config.itemFeedbackTopic(), bytes.serializer(), bytes.serializer(), USER_PROCESSOR);
            t.addSource("item-feedback-source", bytes.deserializer(), bytes.deserializer(), config.itemFeedbackTopic());
            t.addProcessor(ITEM_OWNER_PROCESSOR, () -> new ItemOwnerProcessor(model, quality.items(), dlq, dlqMax),
                    "item-feedback-source");
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEM_STATE_STORE), Keys.movieIdSerde(),
                    Serdes.ByteArray()), ITEM_OWNER_PROCESSOR);
            t.addSink(ITEM_VECTORS_SINK, config.itemVectorsTopic(), Keys.movieIdSerde().serializer(), bytes.serializer(),
                    ITEM_OWNER_PROCESSOR);
            t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEM_VECTORS_STORE), Keys.movieIdSerde(),
                            Serdes.ByteArray()).withLoggingDisabled(),
                    "item-vectors-source", Keys.movieIdSerde().deserializer(), bytes.deserializer(), config.itemVectorsTopic(),
                    "item-vectors-applier", () -> new ItemVectorApplier(model, quality.items()));
        }
        t.addSink(DLQ_SINK, config.dlqTopic(), bytes.serializer(), bytes.serializer(), items
                ? new String[] {"validate-ratings", "validate-watches", USER_PROCESSOR, ITEM_OWNER_PROCESSOR}
                : new String[] {"validate-ratings", "validate-watches", USER_PROCESSOR});
        if (warmStart) {
            t.addSource("user-vectors-source", Keys.userIdSerde().deserializer(), RecordSerdes.userVector().deserializer(),
                    config.userVectorsTopic());
            t.addProcessor(WARM_START_PROCESSOR, () -> new WarmStartProcessor(model, quality, history), "user-vectors-source");
        }
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USER_STATE_STORE),
                Serdes.Long(), new UserStateSerde()), warmStart ? new String[] {USER_PROCESSOR, WARM_START_PROCESSOR}
                : new String[] {USER_PROCESSOR});
        if (warmStart) {
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_USER_VECTORS_STORE),
                    Serdes.Long(), RecordSerdes.userVector()), USER_PROCESSOR, WARM_START_PROCESSOR);
        }
        // lists as releases before the state kept them whole wrote them: read for users whose state predates that, until
        // their next event deletes the entry; kept in the topology so an upgraded instance restores it
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RECOMMENDATIONS_STORE),
                Serdes.Long(), RecordSerdes.recommendations()), USER_PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USER_COUNT_STORE),
                Serdes.Integer(), Serdes.Long()), warmStart ? new String[] {USER_PROCESSOR, WARM_START_PROCESSOR}
                : new String[] {USER_PROCESSOR});
        t.addSink(RECOMMENDATIONS_SINK, config.recommendationsTopic(), Keys.userIdSerde().serializer(),
                RecordSerdes.recommendations().serializer(), USER_PROCESSOR);

        t.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MOVIES_STORE), Keys.movieIdSerde(),
                        RecordSerdes.movie()).withLoggingDisabled(),
                "movies-source", Keys.movieIdSerde().deserializer(), RecordSerdes.movie().deserializer(),
                config.moviesTopic(), "movies-loader", () -> new MoviesStoreProcessor(model.newMovies()));
        return t;
    }
}
