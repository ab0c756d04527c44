package io.streamrec.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One user's learned state: the rating-model vector and bias, the retrieval vector, counters
 * for the user features, and a bounded ring of recently seen movie ids (movie ids, not dense
 * indexes, so the state stays valid when a new model with another catalogue is loaded).
 * Mutable on purpose: the per-event step updates it in place without allocating.
 */
public final class UserState {
    private static final int INITIAL_SEEN = 16;
    private final float[] ratingVector;
    private final float[] retrievalVector;
    private float ratingBias;
    private long eventCount;
    private long ratingCount;
    private double ratingSum;
    private long lastEventTime;
    /** The ring's storage: grows by doubling up to {@link #seenCapacity} while not yet full. */
    private int[] seen;
    private final int seenCapacity;
    private int seenSize;
    private int seenNext;
    /** Hashes of the user's most recent event ids, oldest first ({@link #rememberEventId}); empty until one has an id. */
    private long[] eventIds = NO_EVENT_IDS;
    private int eventIdCount;
    private static final long[] NO_EVENT_IDS = new long[0];
    /** The version of the model this state's vectors were fitted against; "" when unknown (a state stored before versions were recorded). */
    private String modelVersion = "";
    /** The user's latest events, oldest first ({@link #rememberEvent}): movie id, rating (NaN for a watch), completion (NaN for a rating). */
    private int[] historyMovies = NO_INTS;
    private float[] historyRatings = NO_FLOATS;
    private float[] historyCompletions = NO_FLOATS;
    private int historyCount;
    /**
     * The last list sent to the user, best first: movie ids and scores, the model version that made it, when, and the
     * user's event count it was made from. The query API serves it from here (one store write per event instead of a
     * second store for lists). A state stored before lists were kept whole has only the ids of its first
     * {@link #LAST_LIST_MAX} (enough for live HR): {@link #hasServableList()} is false and scores are null.
     */
    private int[] lastList = NO_INTS;
    private float[] lastListScores;
    private int lastListSize;
    private String lastListVersion;
    private long lastListGeneratedAt;
    private long lastListEventCount;
    private static final int[] NO_INTS = new int[0];
    private static final float[] NO_FLOATS = new float[0];
    /** How many ids of the last list live HR looks at (HR@10), and all a list without scores keeps. */
    public static final int LAST_LIST_MAX = 10;

    /**
     * A new user's state: zero vectors and bias (the prior), nothing seen. The seen ring starts
     * small and grows as movies are added: a state is rebuilt from the store on every event, and
     * most users have seen far fewer movies than the capacity (1000 by default), so allocating the
     * full ring each time cost 4 KB per event for nothing (docs/benchmarks.md).
     */
    public UserState(int ratingDim, int retrievalDim, int seenCapacity) {
        this(ratingDim, retrievalDim, seenCapacity, INITIAL_SEEN);
    }

    private UserState(int ratingDim, int retrievalDim, int seenCapacity, int initialSeen) {
        this.ratingVector = new float[ratingDim];
        this.retrievalVector = new float[retrievalDim];
        this.seenCapacity = seenCapacity;
        this.seen = new int[Math.min(seenCapacity, Math.max(1, initialSeen))];
    }

    /** As above with both vectors of one dimension. */
    public UserState(int dim, int seenCapacity) {
        this(dim, dim, seenCapacity);
    }

    /** A new user's state shaped for {@code model}. */
    public static UserState empty(RecommenderModel model) {
        return new UserState(model.ratingDim(), model.dim(), model.online().seenCapacity());
    }

    /**
     * This state if its vectors fit {@code model}'s dimensions, else a copy that keeps the history
     * (counts, seen movies, last event time) and starts again from the prior only the part whose
     * dimension differs: the rating vector and bias when the rating dimension changed, the
     * retrieval vector when the retrieval dimension changed. A vector learned against a space of
     * another shape means nothing in the new one; one of the same shape is kept, as a whole state
     * is for a new model of the same shape (its spaces are close after retraining).
     */
    public UserState fittedTo(RecommenderModel model) {
        boolean ratingFits = ratingVector.length == model.ratingDim(), retrievalFits = retrievalVector.length == model.dim();
        if (ratingFits && retrievalFits) return this;
        UserState s = new UserState(model.ratingDim(), model.dim(), seenCapacity, seenSize);
        if (ratingFits) {
            System.arraycopy(ratingVector, 0, s.ratingVector, 0, ratingVector.length);
            s.ratingBias = ratingBias;
        }
        if (retrievalFits) System.arraycopy(retrievalVector, 0, s.retrievalVector, 0, retrievalVector.length);
        s.eventCount = eventCount;
        s.ratingCount = ratingCount;
        s.ratingSum = ratingSum;
        s.lastEventTime = lastEventTime;
        s.restoreSeen(seenOldestFirst());
        s.restoreEventIds(eventIdsOldestFirst());
        s.modelVersion = modelVersion;
        s.restoreHistory(historyMovies(), historyRatings(), historyCompletions());
        s.copyLastList(this);
        return s;
    }

    /** Rebuilds a state from stored fields (the state-store serde uses this). */
    public static UserState restore(float[] ratingVector, float ratingBias, float[] retrievalVector, long eventCount,
                                    long ratingCount, double ratingSum, long lastEventTime, int[] seenOldestFirst,
                                    int seenCapacity) {
        // room for the event about to be added, so the ring does not grow (copy) on every event
        UserState s = new UserState(ratingVector.length, retrievalVector.length, seenCapacity, seenOldestFirst.length + INITIAL_SEEN);
        System.arraycopy(ratingVector, 0, s.ratingVector, 0, ratingVector.length);
        System.arraycopy(retrievalVector, 0, s.retrievalVector, 0, retrievalVector.length);
        s.ratingBias = ratingBias;
        s.eventCount = eventCount;
        s.ratingCount = ratingCount;
        s.ratingSum = ratingSum;
        s.lastEventTime = lastEventTime;
        s.restoreSeen(seenOldestFirst);
        return s;
    }

    /** As {@link #restore(float[], float, float[], long, long, double, long, int[], int)}, with remembered event ids. */
    public static UserState restore(float[] ratingVector, float ratingBias, float[] retrievalVector, long eventCount,
                                    long ratingCount, double ratingSum, long lastEventTime, int[] seenOldestFirst,
                                    int seenCapacity, long[] eventIdsOldestFirst) {
        UserState s = restore(ratingVector, ratingBias, retrievalVector, eventCount, ratingCount, ratingSum,
                lastEventTime, seenOldestFirst, seenCapacity);
        s.restoreEventIds(eventIdsOldestFirst);
        return s;
    }

    private void restoreEventIds(long[] oldestFirst) {
        eventIds = oldestFirst.length == 0 ? NO_EVENT_IDS : Arrays.copyOf(oldestFirst, oldestFirst.length + 1);
        eventIdCount = oldestFirst.length;
    }

    /** Whether an event id with this hash ({@code EventRules.eventIdHash}) is among the remembered ones. */
    public boolean hasEventId(long hash) {
        for (int i = 0; i < eventIdCount; i++) if (eventIds[i] == hash) return true;
        return false;
    }

    /**
     * Remembers an event id's hash, forgetting the oldest beyond {@code capacity} (0 remembers none). Kept oldest
     * first in one array: with tens of ids a shift is cheaper than a ring's bookkeeping, and the stored form needs
     * no capacity to be read back.
     */
    public void rememberEventId(long hash, int capacity) {
        if (capacity <= 0) {
            eventIdCount = 0;
            return;
        }
        if (eventIdCount >= capacity) { // full (or capacity lowered since): keep the newest capacity - 1
            int keep = capacity - 1;
            System.arraycopy(eventIds, eventIdCount - keep, eventIds, 0, keep);
            eventIdCount = keep;
        }
        if (eventIdCount == eventIds.length) {
            eventIds = Arrays.copyOf(eventIds, Math.min(capacity, Math.max(4, 2 * eventIds.length)));
        }
        eventIds[eventIdCount++] = hash;
    }

    public int eventIdCount() { return eventIdCount; }

    /** The remembered event-id hashes, oldest first (a copy). */
    public long[] eventIdsOldestFirst() {
        return Arrays.copyOf(eventIds, eventIdCount);
    }

    /** The k-th remembered event-id hash, oldest first. */
    public long eventId(int k) {
        return eventIds[k];
    }

    /** The version of the model this state was fitted against ("" when the stored state predates versions). */
    public String modelVersion() { return modelVersion; }

    /** Records that the vectors now belong to model {@code version}. */
    public void modelVersion(String version) { modelVersion = version == null ? "" : version; }

    /**
     * Remembers one event for a later re-fit to a new model's item space ({@code FoldIn}), forgetting the oldest
     * beyond {@code capacity} (0 remembers none). Oldest first in plain arrays, shifted when full: for tens of events a
     * shift is cheaper than a ring's bookkeeping, and the stored form needs no capacity to be read back.
     *
     * @param rating the rating, NaN for a watch
     * @param completion the share of the movie watched, NaN for a rating
     */
    public void rememberEvent(int movieId, float rating, float completion, int capacity) {
        if (capacity <= 0) {
            historyCount = 0;
            return;
        }
        if (historyCount >= capacity) { // full (or capacity lowered since): keep the newest capacity - 1
            int keep = capacity - 1, from = historyCount - keep;
            System.arraycopy(historyMovies, from, historyMovies, 0, keep);
            System.arraycopy(historyRatings, from, historyRatings, 0, keep);
            System.arraycopy(historyCompletions, from, historyCompletions, 0, keep);
            historyCount = keep;
        }
        if (historyCount == historyMovies.length) {
            int n = Math.min(capacity, Math.max(4, 2 * historyMovies.length));
            historyMovies = Arrays.copyOf(historyMovies, n);
            historyRatings = Arrays.copyOf(historyRatings, n);
            historyCompletions = Arrays.copyOf(historyCompletions, n);
        }
        historyMovies[historyCount] = movieId;
        historyRatings[historyCount] = rating;
        historyCompletions[historyCount] = completion;
        historyCount++;
    }

    /**
     * For a state that remembers no event (one started from a trained vector, whose training history is only its seen
     * movies): remembers its newest seen movies, up to {@code capacity}, as events without a rating or completion
     * (consumed, full weight), so that a later re-fit to another model has the user's tastes to go on. Ratings are
     * not known: such a re-fit keeps the rating bias and starts the rating vector from the prior.
     */
    public void historyFromSeen(int capacity) {
        if (historyCount > 0 || capacity <= 0) return;
        int n = Math.min(capacity, seenSize);
        for (int k = seenSize - n; k < seenSize; k++) rememberEvent(seen(k), Float.NaN, Float.NaN, capacity);
    }

    public int historyCount() { return historyCount; }
    /** The k-th remembered event's movie id, oldest first. */
    public int historyMovie(int k) { return historyMovies[k]; }
    /** The k-th remembered event's rating, NaN for a watch. */
    public float historyRating(int k) { return historyRatings[k]; }
    /** The k-th remembered event's completion, NaN for a rating. */
    public float historyCompletion(int k) { return historyCompletions[k]; }
    public int[] historyMovies() { return Arrays.copyOf(historyMovies, historyCount); }
    public float[] historyRatings() { return Arrays.copyOf(historyRatings, historyCount); }
    public float[] historyCompletions() { return Arrays.copyOf(historyCompletions, historyCount); }

    /** Puts stored history back (oldest first), with room for the next event so it does not grow on every event. */
    public void restoreHistory(int[] movies, float[] ratings, float[] completions) {
        int n = movies.length;
        if (ratings.length != n || completions.length != n) throw new IllegalArgumentException("history arrays differ in length");
        historyMovies = n == 0 ? NO_INTS : Arrays.copyOf(movies, n + 1);
        historyRatings = n == 0 ? NO_FLOATS : Arrays.copyOf(ratings, n + 1);
        historyCompletions = n == 0 ? NO_FLOATS : Arrays.copyOf(completions, n + 1);
        historyCount = n;
    }

    /**
     * Keeps the ids of a list without its scores (what a state stored before lists were kept whole has): the first
     * {@link #LAST_LIST_MAX} of {@code movieIds[0..n)}, best first, for live HR; not servable.
     */
    public void lastList(int[] movieIds, int n) {
        int m = Math.min(n, LAST_LIST_MAX);
        if (lastList.length < m) lastList = new int[LAST_LIST_MAX];
        System.arraycopy(movieIds, 0, lastList, 0, m);
        lastListSize = m;
        lastListScores = null;
        lastListVersion = null;
        lastListGeneratedAt = 0;
        lastListEventCount = 0;
    }

    /**
     * Keeps the list just made from this state and sent: {@code movieIds[0..n)} and their scores, best first, stamped
     * with this state's model version and event count and {@code generatedAt} (epoch ms). The arrays are reused from one
     * list to the next (a state is read and written back once per event).
     */
    public void lastList(int[] movieIds, float[] scores, int n, long generatedAt) {
        copyLastList(movieIds, scores, n, modelVersion, generatedAt, eventCount);
    }

    /**
     * Sets a whole last list as stored ({@link #lastList(int[], float[], int, long)}'s fields): the state takes the
     * arrays, {@code movieIds[0..n)} and {@code scores[0..n)}, without copying them (the serde reads them fresh per event).
     */
    public void restoreLastList(int[] movieIds, float[] scores, int n, String version, long generatedAt, long listEventCount) {
        Objects.requireNonNull(version, "version");
        if (movieIds.length < n || scores.length < n) throw new IllegalArgumentException("arrays shorter than the list of " + n);
        lastList = movieIds;
        lastListScores = scores;
        stampLastList(n, version, generatedAt, listEventCount);
    }

    private void copyLastList(int[] movieIds, float[] scores, int n, String version, long generatedAt, long listEventCount) {
        if (lastList.length < n) lastList = new int[n];
        if (lastListScores == null || lastListScores.length < n) lastListScores = new float[Math.max(n, 1)];
        System.arraycopy(movieIds, 0, lastList, 0, n);
        System.arraycopy(scores, 0, lastListScores, 0, n);
        stampLastList(n, version, generatedAt, listEventCount);
    }

    private void stampLastList(int n, String version, long generatedAt, long listEventCount) {
        lastListSize = n;
        lastListVersion = version;
        lastListGeneratedAt = generatedAt;
        lastListEventCount = listEventCount;
    }

    private void copyLastList(UserState from) {
        if (from.hasServableList()) {
            copyLastList(from.lastList, from.lastListScores, from.lastListSize, from.lastListVersion,
                    from.lastListGeneratedAt, from.lastListEventCount);
        } else {
            lastList(from.lastList, from.lastListSize);
        }
    }

    /** Movies in the last list kept (all of it when servable, else at most {@link #LAST_LIST_MAX}). */
    public int lastListSize() { return lastListSize; }
    public int lastListMovie(int r) { return lastList[r]; }
    /** Whether the whole last list is kept, with scores and stamps, so the query API can serve it from the state. */
    public boolean hasServableList() { return lastListVersion != null; }
    /** The score of the {@code r}-th movie of a servable list. */
    public float lastListScore(int r) { return lastListScores[r]; }
    /** The model version that made a servable list. */
    public String lastListModelVersion() { return lastListVersion; }
    /** When a servable list was made (epoch ms). */
    public long lastListGeneratedAt() { return lastListGeneratedAt; }
    /** The user's event count a servable list was made from. */
    public long lastListEventCount() { return lastListEventCount; }

    /** Whether the movie was in the last list sent (its first {@link #LAST_LIST_MAX}). */
    public boolean inLastList(int movieId) {
        int n = Math.min(lastListSize, LAST_LIST_MAX);
        for (int r = 0; r < n; r++) if (lastList[r] == movieId) return true;
        return false;
    }

    /**
     * Takes the vectors and bias of {@code published} (a trained user vector of the model now served) and its model
     * version; keeps this state's counts, event ids, history and last list, and adds the published state's seen movies
     * (its training history) to this one's, so none of them is recommended again.
     */
    public void adoptVectors(UserState published) {
        if (published.ratingDim() != ratingDim() || published.retrievalDim() != retrievalDim()) {
            throw new IllegalArgumentException("published state's dimensions " + published.ratingDim() + "/"
                    + published.retrievalDim() + " differ from " + ratingDim() + "/" + retrievalDim());
        }
        System.arraycopy(published.ratingVector, 0, ratingVector, 0, ratingVector.length);
        System.arraycopy(published.retrievalVector, 0, retrievalVector, 0, retrievalVector.length);
        ratingBias = published.ratingBias;
        for (int k = 0; k < published.seenSize; k++) {
            int id = published.seen(k);
            if (!hasSeen(id)) addSeen(id);
        }
        modelVersion = published.modelVersion;
    }

    /**
     * Rounds both vectors to the precision the app stores them at (IEEE half, {@link Float16}): what the next event
     * reads back from the state store. The bias and counters are stored exactly. The streaming protocol calls this
     * after each event's list, where the app writes the state, so both serve the same lists.
     */
    public void roundVectorsToStored() {
        Float16.roundInPlace(ratingVector);
        Float16.roundInPlace(retrievalVector);
    }

    /**
     * Puts stored ids (oldest first, written from a ring, so without duplicates) back as they
     * were. Copied rather than re-added: {@link #addSeen} scans the ring for each id, which made
     * every event of a user with a full 1000-id ring pay a quadratic ~150 µs here.
     */
    private void restoreSeen(int[] oldestFirst) {
        int n = Math.min(oldestFirst.length, seenCapacity); // more than fit: keep the newest
        System.arraycopy(oldestFirst, oldestFirst.length - n, seen, 0, n);
        seenSize = n;
        seenNext = seenCapacity == 0 ? 0 : n % seenCapacity;
    }

    public int ratingDim() { return ratingVector.length; }
    public int retrievalDim() { return retrievalVector.length; }
    public float[] ratingVector() { return ratingVector; }
    public float[] retrievalVector() { return retrievalVector; }
    public float ratingBias() { return ratingBias; }
    public void ratingBias(float b) { ratingBias = b; }
    public long eventCount() { return eventCount; }
    public long ratingCount() { return ratingCount; }
    public double ratingSum() { return ratingSum; }
    public long lastEventTime() { return lastEventTime; }
    public int seenCapacity() { return seenCapacity; }
    public int seenSize() { return seenSize; }

    /** Counts an accepted event (rating is NaN for events without one). */
    public void countEvent(float rating, long eventTime) {
        eventCount++;
        if (!Float.isNaN(rating)) {
            ratingCount++;
            ratingSum += rating;
        }
        lastEventTime = Math.max(lastEventTime, eventTime);
    }

    /** Remembers a movie as seen; the oldest is forgotten once the ring is full. */
    public void addSeen(int movieId) {
        if (hasSeen(movieId)) return;
        if (seenSize == seen.length && seenSize < seenCapacity) {
            seen = Arrays.copyOf(seen, Math.min(seenCapacity, 2 * seen.length));
        }
        seen[seenNext] = movieId;
        seenNext = (seenNext + 1) % seenCapacity;
        if (seenSize < seenCapacity) seenSize++;
    }

    public boolean hasSeen(int movieId) {
        for (int i = 0; i < seenSize; i++) if (seen[i] == movieId) return true;
        return false;
    }

    /** The k-th remembered movie id, oldest first. */
    public int seen(int k) {
        int start = seenSize < seenCapacity ? 0 : seenNext;
        return seen[(start + k) % seenCapacity];
    }

    public int[] seenOldestFirst() {
        int[] out = new int[seenSize];
        for (int k = 0; k < seenSize; k++) out[k] = seen(k);
        return out;
    }
}
