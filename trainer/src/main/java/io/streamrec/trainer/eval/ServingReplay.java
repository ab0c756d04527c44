package io.streamrec.trainer.eval;

import io.streamrec.core.coldstart.MovieFeatureMap;
import io.streamrec.core.events.RatingScale;
import io.streamrec.core.learn.FoldIn;
import io.streamrec.core.learn.ItemFeedback;
import io.streamrec.core.learn.OnlineItemLearner;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.metrics.ErrorStats;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.UpdatableRetriever;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.train.WarmStarts;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Replays time-ordered events through the serving code, called the way the streaming app's
 * per-user processor calls it: per event, (1) the rating predicted before learning
 * ({@link OnlineLearner#predictRating}, clipped) and whether the event's movie is in the list the
 * user held just before it (the list last made for the user; before a user's first event, the list
 * their starting state gets), (2) the online step, (3) the new list from the
 * {@link RecommendationPipeline} with the user's remembered movies excluded.
 *
 * <p>What differs between the modes is only step 2: {@link Mode#FROZEN} counts the event and
 * remembers the movie but moves no vector; {@link Mode#ONLINE_USERS} is the app's step;
 * {@link Mode#ONLINE_USERS_AND_ITEMS} also moves the event's movie ({@link OnlineItemLearner}) in a
 * private copy of the item arrays, right after the event's list is made (step 4) — in the app the
 * movie's owner makes the update after the user's task committed the list, and every instance
 * serves it a few commit intervals later; this replay serves it from the next event on. One
 * instance per replay; not thread-safe.
 *
 * <p>Like the app, each state records the model version it was fitted to and the user's latest
 * {@link #HISTORY_EVENTS} events. Replays can be chained over one {@link Users} with different models (a swap): a
 * state fitted to another version is, at the user's first event under this replay's model, given the published
 * vector of this model when {@code adopt} has one (warm start after the swap), else re-fitted from its history
 * ({@link FoldIn}) when re-fitting is on, else kept — what {@code UserEventProcessor} and {@code WarmStartProcessor}
 * do. The app stores the user's vectors as half floats and reads them back at the next event, so the replay rounds
 * them the same way where the app writes the state ({@link UserState#roundVectorsToStored()}): after each event's
 * list, and a known user's starting state, which warm start writes to the store.
 */
public final class ServingReplay {
    public static final int K = 10;
    /** Events a state remembers for re-fits: the app's default {@code user.history.events}. */
    public static final int HISTORY_EVENTS = WarmStarts.HISTORY_EVENTS;

    /** Users' states and the lists they hold, carried from one replay to the next (across a model swap). */
    public static final class Users {
        final Map<Integer, UserState> states = new HashMap<>();
        final Map<Integer, int[]> held = new HashMap<>();

        public int size() { return states.size(); }

        public UserState state(int userId) { return states.get(userId); }
    }

    public enum Mode { FROZEN, ONLINE_USERS, ONLINE_USERS_AND_ITEMS }

    /** Rating errors, hits and NDCG@10 of the event's movie in the previous list, and the replay rate. */
    /** {@code focus}: the same measures over the events of the users a run was asked to single out, or null. */
    public record Result(ErrorStats errors, long events, long hits, double ndcgSum, double eventsPerSecond, Result focus) {
        public double hitRate() { return events == 0 ? Double.NaN : (double) hits / events; }
        public double ndcg() { return events == 0 ? Double.NaN : ndcgSum / events; }
        public double rmse() { return errors.rmse(); }
        public double mae() { return errors.mae(); }
    }

    /** Told every list made after an event, as the app would emit it: the user, the state's event count, and the movies in {@code movieIds[1..n]}. */
    public interface ListSink {
        ListSink NONE = (userId, eventCount, movieIds, n) -> {};

        void list(int userId, long eventCount, int[] movieIds, int n);
    }

    private final RecommenderModel model;
    private final Ranker ranker;
    private final float rankerWeight;
    private final int candidates;
    private final IntFunction<UserState> startState;

    /**
     * @param startState a fresh starting state for a user id: the warm state for a user the batch
     *                   model knows, or null for one it does not (then {@link UserState#empty})
     */
    public ServingReplay(RecommenderModel model, Ranker ranker, float rankerWeight, int candidates,
                         IntFunction<UserState> startState) {
        this.model = model;
        this.ranker = ranker;
        this.rankerWeight = rankerWeight;
        this.candidates = candidates;
        this.startState = startState;
    }

    /**
     * Replays {@code events} (already in time order) from the starting states. With
     * {@code lists} false no list is made (rating metrics only, for cheap tuning of rating steps).
     */
    public Result run(Interactions events, Mode mode, boolean lists) {
        return run(events, mode, lists, ListSink.NONE);
    }

    /** As {@link #run(Interactions, Mode, boolean)}, telling {@code sink} each list made after an event. */
    public Result run(Interactions events, Mode mode, boolean lists, ListSink sink) {
        return run(events, mode, lists, sink, new Users(), null, true, null);
    }

    /**
     * Gives every user of {@code userIds} without a state in {@code users} the starting state (those the start
     * function knows): what warm start does in the app for every published user before their first event.
     */
    public void startAll(Users users, int[] userIds) {
        for (int userId : userIds) {
            if (users.states.containsKey(userId)) continue;
            UserState start = startState.apply(userId);
            if (start == null) continue;
            start.roundVectorsToStored(); // what the app's store holds
            if (start.modelVersion().isEmpty()) start.modelVersion(model.version());
            start.historyFromSeen(HISTORY_EVENTS);
            users.states.put(userId, start);
        }
    }

    /**
     * As {@link #run(Interactions, Mode, boolean, ListSink)} on the states and held lists of {@code users}, which
     * may have been made under another model: at a user's first event here, a state fitted to another version takes
     * {@code adopt}'s state for the user when it has one (the published vector), else is re-fitted from its history
     * when {@code refit}, else keeps its vectors.
     */
    public Result run(Interactions events, Mode mode, boolean lists, ListSink sink, Users users,
                      IntFunction<UserState> adopt, boolean refit, java.util.function.IntPredicate focus) {
        return replay(events, mode, lists, sink, users, adopt, refit, focus, null, null, null);
    }

    /** When movies the model has no vectors for get theirs from a {@link MovieFeatureMap}. */
    public enum Arrival {
        /** Each such movie just before its first event: its catalogue entry comes first, then its first rating. */
        AT_FIRST_EVENT,
        /** Every such movie of the catalogue before the replay starts (an upper bound: the catalogue is known early). */
        AT_START
    }

    /**
     * As {@link #run(Interactions, Mode, boolean)} with lists, from fresh states, where every movie the model has no
     * vectors for gets them from {@code map} when it arrives ({@link MovieFeatureMap#writeInto} on this replay's copy
     * of the item arrays, then {@link UpdatableRetriever#update}), so it can be retrieved, ranked and (online items)
     * learned from then on; with {@code map} null such movies stay unknown, as without the feature. The result's
     * {@link Result#focus()} measures the events whose movie {@code focusMovie} accepts.
     */
    public Result runWithArrivals(Interactions events, Mode mode, MovieFeatureMap map, Arrival arrival,
                                  java.util.function.IntPredicate focusMovie) {
        return runWithArrivals(events, mode, map, arrival, focusMovie, ListSink.NONE);
    }

    /** As {@link #runWithArrivals(Interactions, Mode, MovieFeatureMap, Arrival, java.util.function.IntPredicate)}, telling {@code sink} each list. */
    public Result runWithArrivals(Interactions events, Mode mode, MovieFeatureMap map, Arrival arrival,
                                  java.util.function.IntPredicate focusMovie, ListSink sink) {
        return replay(events, mode, true, sink, new Users(), null, true, null, map, arrival, focusMovie);
    }

    private Result replay(Interactions events, Mode mode, boolean lists, ListSink sink, Users users,
                          IntFunction<UserState> adopt, boolean refit, java.util.function.IntPredicate focus,
                          MovieFeatureMap map, Arrival arrival, java.util.function.IntPredicate focusMovie) {
        RecommenderModel m = mode == Mode.ONLINE_USERS_AND_ITEMS || map != null ? model.withOwnItemArrays() : model;
        if (map != null && arrival == Arrival.AT_START) {
            for (int i = 0; i < m.itemCount(); i++) if (!m.trained(i)) map.writeInto(m, i);
        }
        boolean arriveAtFirstEvent = map != null && arrival == Arrival.AT_FIRST_EVENT;
        OnlineLearner learner = new OnlineLearner(m);
        // the retriever keeps its own copy of the item matrix: item updates must be given to it (update) too
        UpdatableRetriever retriever = lists ? CandidateRetriever.forModel(m) : null;
        RecommendationPipeline pipeline = lists ? new RecommendationPipeline(m, retriever, ranker, candidates, rankerWeight) : null;
        ItemFeedback feedback = new ItemFeedback(m.ratingDim(), m.dim());
        FoldIn foldIn = new FoldIn(m);
        Map<Integer, UserState> states = users.states;
        Map<Integer, int[]> held = users.held;
        int[] top = new int[K];
        float[] scores = new float[K];
        ErrorStats errors = new ErrorStats(), focusErrors = new ErrorStats();
        long hits = 0, focusHits = 0, focusEvents = 0;
        double ndcg = 0, focusNdcg = 0;
        long t0 = System.nanoTime();
        for (int e = 0; e < events.size(); e++) {
            int userId = events.userId(e), movieId = events.movieId(e);
            float rating = events.rating(e);
            UserState s = states.get(userId);
            if (s == null) {
                UserState start = startState.apply(userId);
                // a known user's start comes from the store in the app (warm start wrote it there): stored precision
                if (start != null) start.roundVectorsToStored();
                s = start != null ? start : UserState.empty(m);
                if (s.modelVersion().isEmpty()) s.modelVersion(m.version());
                s.historyFromSeen(HISTORY_EVENTS);
                states.put(userId, s);
            } else if (!s.modelVersion().equals(m.version())) {
                UserState published = adopt == null ? null : adopt.apply(userId);
                UserState fitted = s.fittedTo(m);
                if (published != null) {
                    fitted.adoptVectors(published);
                    fitted.historyFromSeen(HISTORY_EVENTS);
                } else if (refit && fitted.historyCount() > 0) {
                    foldIn.refit(userId, fitted);
                }
                fitted.modelVersion(m.version());
                s = fitted;
                states.put(userId, s);
            }
            int item = m.items().indexOf(movieId);
            if (arriveAtFirstEvent && item >= 0 && !m.trained(item)) {
                map.writeInto(m, item);
                if (retriever != null) retriever.update(item, m.retrievalVectors(), item * m.dim(), m.retrievalBiases()[item]);
            }
            boolean focused = (focus != null && focus.test(userId)) || (focusMovie != null && focusMovie.test(movieId));
            if (focused) focusEvents++;
            // 1. predict, before learning
            if (!Float.isNaN(rating)) {
                float predicted = RatingScale.clip(learner.predictRating(s, item));
                errors.add(predicted, rating);
                if (focused) focusErrors.add(predicted, rating);
            }
            if (lists) {
                int[] list = held.get(userId);
                if (list == null) {
                    list = new int[K + 1];
                    fill(list, pipeline, s, top, scores, m);
                    held.put(userId, list);
                }
                int rank = rankOf(list, movieId);
                if (rank >= 0) {
                    double gain = 1.0 / (Math.log(rank + 2) / Math.log(2));
                    hits++;
                    ndcg += gain;
                    if (focused) {
                        focusHits++;
                        focusNdcg += gain;
                    }
                }
            }
            // 2. learn
            switch (mode) {
                case FROZEN -> {
                    s.countEvent(rating, events.timestamp(e));
                    s.addSeen(movieId);
                }
                case ONLINE_USERS -> learner.learn(userId, s, movieId, item, rating, events.completion(e), events.timestamp(e));
                case ONLINE_USERS_AND_ITEMS ->
                        learner.learn(userId, s, movieId, item, rating, events.completion(e), events.timestamp(e), feedback);
            }
            s.rememberEvent(movieId, rating, events.completion(e), HISTORY_EVENTS);
            // 3. the new list
            if (lists) {
                int[] list = held.get(userId);
                fill(list, pipeline, s, top, scores, m);
                sink.list(userId, s.eventCount(), list, list[0]);
            }
            // the app writes the state here and reads it back at the user's next event: vectors at stored precision
            s.roundVectorsToStored();
            // 4. the movie's step, after the list: in the app it is made by the movie's owner after the user's task
            //    has made and committed this list, and served from the next event on
            if (mode == Mode.ONLINE_USERS_AND_ITEMS && !feedback.isEmpty()) {
                OnlineItemLearner.apply(feedback, feedback.item(), m.ratingVectors(), m.ratingBiases(),
                        m.retrievalVectors(), m.retrievalBiases(), m.online());
                int it = feedback.item(), d = m.dim();
                if (retriever != null) retriever.update(it, m.retrievalVectors(), it * d, m.retrievalBiases()[it]);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = events.size() / Math.max(1e-9, seconds);
        Result focusResult = focus == null && focusMovie == null ? null : new Result(focusErrors, focusEvents, focusHits, focusNdcg, Double.NaN, null);
        return new Result(errors, events.size(), hits, ndcg, rate, focusResult);
    }

    /** Writes the user's current list as movie ids into {@code list}: [0] the length, then the ids ([1..n]). */
    private static void fill(int[] list, RecommendationPipeline pipeline, UserState s, int[] top, float[] scores,
                             RecommenderModel m) {
        int n = pipeline.recommend(s, K, top, scores);
        list[0] = n;
        for (int r = 0; r < n; r++) list[r + 1] = m.items().movieId(top[r]);
    }

    private static int rankOf(int[] list, int movieId) {
        for (int r = 0; r < list[0]; r++) if (list[r + 1] == movieId) return r;
        return -1;
    }
}
