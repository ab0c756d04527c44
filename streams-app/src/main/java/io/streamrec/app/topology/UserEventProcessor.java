package io.streamrec.app.topology;

import io.streamrec.core.events.RatingScale;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedMovie;
import io.streamrec.core.learn.OnlineLearner;
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

import java.util.ArrayList;
import java.util.List;

/**
 * The per-user step, in order: (1) live quality — the error of the rating predicted before
 * learning, and whether the movie was in the list last sent; (2) the core online step on the
 * user's vectors; (3) retrieval of candidates, (4) ONNX ranking, (5) the new list, stamped with
 * the number of events folded into the state it was made from.
 * State and list are written to changelogged stores in the same task transaction as the output,
 * so under exactly-once an event is applied once or not at all.
 * The model is read from {@link ServedModel} once per event: when a new version was swapped in, this task opens its
 * own ranker session on it and closes the old one (only this task's thread used it) before the event is processed, so
 * every list carries the version of the model that made it.
 */
final class UserEventProcessor implements Processor<Long, ValidatedEvent, Long, Recommendations> {
    /** Live HR is measured at 10, whatever list length is configured. */
    private static final int HIT_AT = 10;
    private final ServedModel served;
    private ModelDirectory.Loaded serving;
    private final int candidates;
    private final int k;
    private final int intraOpThreads;
    private final LiveQuality quality;
    private KeyValueStore<Long, UserState> states;
    private KeyValueStore<Long, Recommendations> lists;
    private ProcessorContext<Long, Recommendations> context;
    private OnlineLearner learner;
    private RecommendationPipeline pipeline;
    private OnnxRanker ranker;
    private int[] items;
    private float[] scores;

    UserEventProcessor(ServedModel served, int candidates, int k, int intraOpThreads, LiveQuality quality) {
        this.served = served;
        this.candidates = candidates;
        this.k = k;
        this.intraOpThreads = intraOpThreads;
        this.quality = quality;
    }

    @Override
    public void init(ProcessorContext<Long, Recommendations> context) {
        this.context = context;
        this.states = context.getStateStore(EventTopology.USER_STATE_STORE);
        this.lists = context.getStateStore(EventTopology.RECOMMENDATIONS_STORE);
        use(served.current());
        this.items = new int[k];
        this.scores = new float[k];
    }

    /** Serves with {@code model} from now on: its own ranker session, learner and pipeline; the old session closed. */
    private void use(ModelDirectory.Loaded model) {
        RecommenderModel m = model.model();
        OnnxRanker opened = OnnxRanker.load(model.onnx(), m.featureSpec(), candidates, intraOpThreads);
        if (ranker != null) ranker.close();
        this.ranker = opened;
        this.learner = new OnlineLearner(m);
        this.pipeline = new RecommendationPipeline(m, CandidateRetriever.forModel(m), ranker, candidates, model.rankerWeight());
        this.serving = model;
    }

    @Override
    public void process(Record<Long, ValidatedEvent> record) {
        ModelDirectory.Loaded now = served.current();
        if (now != serving) use(now);
        ValidatedEvent e = record.value();
        long userId = e.userId();
        RecommenderModel m = serving.model();
        UserState stored = states.get(userId);
        UserState state = stored == null ? UserState.empty(m) : stored.fittedTo(m);
        int item = m.items().indexOf(e.movieId());

        if (e.isRating()) quality.rating(RatingScale.clip(learner.predictRating(state, item)) - e.rating());
        Recommendations last = lists.get(userId);
        if (last != null) quality.hit(contains(last, e.movieId()));
        quality.event();

        learner.learn(userId, state, e.movieId(), item, e.rating(), e.completion(), e.eventTime());
        int n = pipeline.recommend(state, k, items, scores);
        List<RecommendedMovie> movies = new ArrayList<>(n);
        for (int r = 0; r < n; r++) movies.add(new RecommendedMovie(m.items().movieId(items[r]), scores[r]));
        Recommendations out = new Recommendations(userId, movies, m.version(), context.currentSystemTimeMs(), state.eventCount());
        states.put(userId, state);
        lists.put(userId, out);
        context.forward(new Record<>(userId, out, record.timestamp()));
        // the record timestamp is the producer's send time (CreateTime) unless a producer sets it
        quality.recommended(context.currentSystemTimeMs() - record.timestamp());
    }

    private static boolean contains(Recommendations list, int movieId) {
        int n = Math.min(HIT_AT, list.getMovies().size());
        for (int r = 0; r < n; r++) if (list.getMovies().get(r).getMovieId() == movieId) return true;
        return false;
    }

    @Override
    public void close() {
        if (ranker != null) ranker.close();
    }
}
