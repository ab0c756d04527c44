package io.streamrec.app.topology;

import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.core.events.EventRules;
import io.streamrec.core.events.RatingScale;
import io.streamrec.schemas.DlqReasons;
import io.streamrec.avro.Recommendations;
import io.streamrec.app.items.ItemFeedbackCodec;
import io.streamrec.app.items.ItemUpdateStats;
import io.streamrec.core.learn.ItemFeedback;
import io.streamrec.avro.UserVector;
import io.streamrec.core.learn.FoldIn;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.schemas.Keys;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.model.ModelDirectory;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;

/**
 * The per-user step, in order: (1) live quality — the error of the rating predicted before
 * learning, and whether the movie was in the list last sent; (2) the core online step on the
 * user's vectors; (3) retrieval of candidates, (4) ONNX ranking, (5) the new list, stamped with
 * the number of events folded into the state it was made from.
 * The state, which keeps the new list for the query API, is written to its changelogged store in the same task
 * transaction as the output, so under exactly-once an event is applied once or not at all.
 * The model is read from {@link ServedModel} once per event: when a new version was swapped in, this task opens its
 * own ranker session on it and closes the old one (only this task's thread used it) before the event is processed, so
 * every list carries the version of the model that made it.
 *
 * <p>Users move with the model: each state records the version it was fitted against and keeps the user's latest
 * events ({@code user.history.events}). At a user's first event under another version, the state is re-fitted to the
 * new item space from that history ({@link FoldIn}) before anything is predicted; a state stored before versions were
 * recorded has no history and keeps its vectors. Live HR@10 reads the last list's movie ids from the state.
 */
final class UserEventProcessor implements Processor<Long, ValidatedEvent, Object, Object> {
    private final ServedModel served;
    private ModelDirectory.Loaded serving;
    private final int candidates;
    private final int k;
    private final int intraOpThreads;
    private final LiveQuality quality;
    /** The stage timing when {@code metrics.stage.cpu} is on, else null (nothing timed). */
    private StageCpu stages;
    private KeyValueStore<Long, UserState> states;
    /** Lists written by releases that kept them in their own store: read only, for states that predate the last list. */
    private KeyValueStore<Long, Recommendations> legacyLists;
    private KeyValueStore<Integer, Long> userCount;
    private int partition;
    private ProcessorContext<Object, Object> context;
    private OnlineLearner learner;
    private FoldIn foldIn;
    private final int historyEvents;
    private final boolean warmStart;
    /** Warm start's vectors of models not served when they arrived (null without warm start). */
    private KeyValueStore<Long, UserVector> pending;
    private int[] movieIds;
    private RecommendationPipeline pipeline;
    private OnnxRanker ranker;
    private int[] items;
    private float[] scores;

    /** Whether each event's item feedback is sent to the movie's owner ({@link ItemOwnerProcessor}). */
    private final boolean itemLearning;
    private ItemFeedback feedback;
    private byte[] versionUtf8;
    private final int eventIdsRemembered;
    private final DlqMetrics dlq;
    private final int dlqMaxRecordBytes;

    /**
     * @param eventIdsRemembered how many of a user's latest event ids the state keeps to drop repeats (0: none)
     * @param itemLearning whether events also move their movie's vectors (sent keyed by movie to its owner)
     */
    UserEventProcessor(ServedModel served, int candidates, int k, int intraOpThreads, LiveQuality quality,
                       int eventIdsRemembered, DlqMetrics dlq, int dlqMaxRecordBytes, int historyEvents, boolean warmStart,
                       boolean itemLearning) {
        this.itemLearning = itemLearning;
        this.dlqMaxRecordBytes = dlqMaxRecordBytes;
        this.warmStart = warmStart;
        this.historyEvents = historyEvents;
        this.served = served;
        this.eventIdsRemembered = eventIdsRemembered;
        this.dlq = dlq;
        this.candidates = candidates;
        this.k = k;
        this.intraOpThreads = intraOpThreads;
        this.quality = quality;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.states = context.getStateStore(EventTopology.USER_STATE_STORE);
        this.legacyLists = context.getStateStore(EventTopology.RECOMMENDATIONS_STORE);
        this.userCount = context.getStateStore(EventTopology.USER_COUNT_STORE);
        if (warmStart) this.pending = context.getStateStore(EventTopology.PENDING_USER_VECTORS_STORE);
        this.partition = context.taskId().partition();
        this.stages = quality.stages().ifEnabled();
        if (userCount.get(partition) == null) userCount.put(partition, countUsers());
        use(served.current());
        this.items = new int[k];
        this.scores = new float[k];
        this.movieIds = new int[k];
    }

    /** Serves with {@code model} from now on: its own ranker session, learner and pipeline; the old session closed. */
    private void use(ModelDirectory.Loaded model) {
        RecommenderModel m = model.model();
        OnnxRanker opened = OnnxRanker.load(model.onnx(), m.featureSpec(), candidates, intraOpThreads);
        if (ranker != null) ranker.close();
        this.ranker = opened;
        this.learner = new OnlineLearner(m);
        this.foldIn = new FoldIn(m);
        CandidateRetriever retriever = CandidateRetriever.forModel(m);
        this.pipeline = stages != null
                ? new RecommendationPipeline(m, stages.timed(retriever), stages.timed(ranker), candidates, model.rankerWeight())
                : new RecommendationPipeline(m, retriever, ranker, candidates, model.rankerWeight());
        this.feedback = itemLearning ? new ItemFeedback(m.ratingDim(), m.dim()) : null;
        this.versionUtf8 = m.version().getBytes(StandardCharsets.UTF_8);
        this.serving = model;
    }

    @Override
    public void process(Record<Long, ValidatedEvent> record) {
        if (stages == null) {
            step(record);
            return;
        }
        long start = stages.now();
        step(record);
        stages.event(start);
    }

    /** The step of one event; with {@link #stages} it also times the state reads and writes. */
    private void step(Record<Long, ValidatedEvent> record) {
        ModelDirectory.Loaded now = served.current();
        if (now != serving) use(now);
        ValidatedEvent e = record.value();
        long userId = e.userId();
        RecommenderModel m = serving.model();
        long t = stages == null ? 0 : stages.now();
        UserState stored = states.get(userId);
        if (stages != null) stages.since(StageCpu.Stage.STATE_READ, t);
        long eventIdHash = e.eventId() == null ? 0 : EventRules.eventIdHash(e.eventId());
        if (e.eventId() != null && stored != null && stored.hasEventId(eventIdHash)) {
            // a retried send: refused before anything is measured, learned or counted
            DeadLetterForwarding.forward(context, dlq, dlqMaxRecordBytes, e.key(), e.value(), record.timestamp(), record.headers(),
                    DlqReasons.DUPLICATE_EVENT, "eventId: \"" + e.eventId() + "\" is among user " + userId
                            + "'s latest " + eventIdsRemembered + " event ids (already applied)");
            return;
        }
        if (stored == null) userCount.put(partition, userCount.get(partition) + 1);
        // a state an older release stored with its list kept elsewhere: ids only (v4, v5) or nothing (v3); not one only
        // warm-started (no list ever sent). Read now: the state is updated in place.
        boolean listInOldStore = stored != null && !stored.hasServableList() && stored.eventCount() > 0
                && (stored.lastListSize() > 0 || stored.modelVersion().isEmpty());
        UserState state = stateUnder(m, userId, stored);
        int item = m.items().indexOf(e.movieId());

        if (e.isRating()) quality.rating(RatingScale.clip(learner.predictRating(state, item)) - e.rating());
        if (state.hasServableList() || state.lastListSize() > 0) quality.hit(state.inLastList(e.movieId()));
        else if (listInOldStore) quality.hit(inStoredList(userId, e.movieId())); // a v3 state (a warm-started one was sent none)
        quality.event();

        learner.learn(userId, state, e.movieId(), item, e.rating(), e.completion(), e.eventTime(), feedback);
        if (feedback != null && !feedback.isEmpty()) {
            // to the movie's owner, in this task's transaction: sent once if and only if the user's step is committed
            context.forward(new Record<Object, Object>(Keys.movieKey(e.movieId()),
                    ItemFeedbackCodec.write(feedback, userId, state.eventCount(), versionUtf8), record.timestamp()),
                    EventTopology.ITEM_FEEDBACK_SINK);
            quality.items().feedbackSent();
        }
        if (e.eventId() != null) state.rememberEventId(eventIdHash, eventIdsRemembered);
        state.rememberEvent(e.movieId(), e.rating(), e.completion(), historyEvents);
        int n = pipeline.recommend(state, k, items, scores);
        for (int r = 0; r < n; r++) movieIds[r] = m.items().movieId(items[r]);
        state.lastList(movieIds, scores, n, context.currentSystemTimeMs());
        Recommendations out = LastListRecord.of(userId, state);
        if (stages != null) t = stages.now();
        states.put(userId, state);
        if (listInOldStore) legacyLists.delete(userId); // stale from this list on
        if (stages != null) stages.since(StageCpu.Stage.STATE_WRITE, t);
        context.forward(new Record<Object, Object>(userId, out, record.timestamp()), EventTopology.RECOMMENDATIONS_SINK);
        // the record timestamp is the producer's send time (CreateTime) unless a producer sets it
        quality.recommended(context.currentSystemTimeMs() - record.timestamp());
    }

    /**
     * The user's state ready for model {@code m}: a new user's prior; a state fitted against {@code m} as it is; one
     * fitted against another version re-fitted from its history (fold-in); one stored before versions were recorded
     * (no history) kept, shaped to {@code m}'s dimensions. Then stamped with {@code m}'s version.
     */
    private UserState stateUnder(RecommenderModel m, long userId, UserState stored) {
        if (stored != null && stored.modelVersion().equals(m.version())) return stored.fittedTo(m);
        UserState published = publishedFor(m, userId, stored);
        if (published != null) return published;
        if (stored == null) {
            UserState fresh = UserState.empty(m);
            fresh.modelVersion(m.version());
            return fresh;
        }
        UserState state = stored.fittedTo(m);
        if (!stored.modelVersion().isEmpty() && state.historyCount() > 0) {
            foldIn.refit(userId, state);
            quality.refit();
        }
        state.modelVersion(m.version());
        return state;
    }

    /**
     * Warm start for a vector that arrived before {@code m} was served: the adopted state, or null when no vector of
     * {@code m} waits for the user (a state stored before versions were recorded keeps its vectors, as in
     * {@link WarmStartProcessor}).
     */
    private UserState publishedFor(RecommenderModel m, long userId, UserState stored) {
        if (pending == null || (stored != null && stored.modelVersion().isEmpty())) return null;
        UserVector v = pending.get(userId);
        if (v == null || !v.getModelVersion().equals(m.version())) return null;
        pending.delete(userId);
        if (v.getRatingVector().size() != m.ratingDim() || v.getRetrievalVector().size() != m.dim()) return null;
        quality.warmStart();
        return WarmStartProcessor.adopt(stored, v, m, historyEvents);
    }

    /** Whether the list last sent (as an older release stored it) held the movie: for states that predate the last list. */
    private boolean inStoredList(long userId, int movieId) {
        Recommendations last = legacyLists.get(userId);
        return last != null && contains(last, movieId);
    }

    /**
     * Users in this task's state store, counted once when the count is missing (a store written before the count
     * existed); from then on the count moves with each new user, so {@code /status} never walks the store.
     */
    private long countUsers() {
        long n = 0;
        try (var it = states.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private static boolean contains(Recommendations list, int movieId) {
        int n = Math.min(UserState.LAST_LIST_MAX, list.getMovies().size()); // live HR is at 10, whatever k is
        for (int r = 0; r < n; r++) if (list.getMovies().get(r).getMovieId() == movieId) return true;
        return false;
    }

    @Override
    public void close() {
        if (ranker != null) ranker.close();
    }
}
