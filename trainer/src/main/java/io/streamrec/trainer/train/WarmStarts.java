package io.streamrec.trainer.train;

import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.model.UserVectors;
import io.streamrec.trainer.data.Interactions;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The states users the batch model knows start from: their trained rating vector and bias and
 * retrieval vector, their event and rating counts, and the movies they consumed in the training
 * events (oldest first, so the ring keeps the newest), so none of those is recommended to them again,
 * and as remembered events the newest {@link #HISTORY_EVENTS} of those movies with the user's ratings of them (what a
 * re-fit to the next model goes on): what the app's warm start makes of the published vector.
 * A user with no training event is unknown (null): they start from the prior.
 */
public final class WarmStarts implements IntFunction<UserState> {
    /** Events a user state remembers: the app's default {@code user.history.events}. */
    public static final int HISTORY_EVENTS = 50;

    private final RecommenderModel model;
    private final MfTrainer.Model mf;
    private final BprTrainer.Model bpr;
    private final Indexed idx;
    private final int[][] seen;
    /** The user's latest rating of each seen movie, NaN for one only watched (parallel to {@link #seen}). */
    private final float[][] seenRating;
    private final int[] seenCount;
    private final long[] events, ratings, lastTime;
    private final double[] ratingSum;

    /** {@code trainEvents} are the events the factor models were fitted on, in any order. */
    public WarmStarts(RecommenderModel model, MfTrainer.Model mf, BprTrainer.Model bpr, Indexed idx, Interactions trainEvents) {
        this.model = model;
        this.mf = mf;
        this.bpr = bpr;
        this.idx = idx;
        int users = idx.userCount();
        Interactions ev = trainEvents.sortedByTime();
        seen = new int[users][];
        seenRating = new float[users][];
        seenCount = new int[users];
        events = new long[users];
        ratings = new long[users];
        lastTime = new long[users];
        ratingSum = new double[users];
        for (int i = 0; i < ev.size(); i++) {
            int u = idx.user(ev.userId(i));
            events[u]++;
            if (!Float.isNaN(ev.rating(i))) {
                ratings[u]++;
                ratingSum[u] += ev.rating(i);
            }
            lastTime[u] = Math.max(lastTime[u], ev.timestamp(i));
            if (seen[u] == null) {
                seen[u] = new int[8];
                seenRating[u] = new float[8];
            }
            int[] s = seen[u];
            int movie = ev.movieId(i);
            int at = -1;
            for (int k = 0; k < seenCount[u]; k++) if (s[k] == movie) { at = k; break; }
            if (at >= 0) {
                if (!Float.isNaN(ev.rating(i))) seenRating[u][at] = ev.rating(i); // the latest rating counts
                continue;
            }
            if (seenCount[u] == s.length) {
                seen[u] = s = Arrays.copyOf(s, 2 * s.length);
                seenRating[u] = Arrays.copyOf(seenRating[u], s.length);
            }
            seenRating[u][seenCount[u]] = ev.rating(i);
            s[seenCount[u]++] = movie;
        }
    }

    /** Every indexed user's training history, row u for dense user u (what users.avro is written from). */
    public UserVectors.History history() {
        int[][] seenRows = new int[seen.length][];
        float[][] ratingRows = new float[seen.length][];
        for (int u = 0; u < seen.length; u++) {
            seenRows[u] = seen[u] == null ? new int[0] : Arrays.copyOf(seen[u], seenCount[u]);
            ratingRows[u] = seen[u] == null ? new float[0] : Arrays.copyOf(seenRating[u], seenCount[u]);
        }
        return new UserVectors.History(events.clone(), ratings.clone(), ratingSum.clone(), lastTime.clone(), seenRows, ratingRows);
    }

    /** The user ids the batch model knows, ascending. */
    public int[] knownUserIds() {
        int n = 0;
        for (int u = 0; u < idx.userCount(); u++) if (events[u] > 0) n++;
        int[] out = new int[n];
        for (int u = 0, k = 0; u < idx.userCount(); u++) if (events[u] > 0) out[k++] = idx.userId(u);
        return out;
    }

    public boolean knows(int userId) {
        int u = idx.user(userId);
        return u >= 0 && events[u] > 0;
    }

    /** A fresh warm state for {@code userId}, or null when the batch model does not know the user. */
    @Override
    public UserState apply(int userId) {
        if (!knows(userId)) return null;
        int u = idx.user(userId);
        int d = model.dim(), rd = model.ratingDim();
        float[] p = Arrays.copyOfRange(mf.p(), u * rd, u * rd + rd);
        float[] v = Arrays.copyOfRange(bpr.u(), u * d, u * d + d);
        UserState s = UserState.restore(p, mf.userBias()[u], v, events[u], ratings[u], ratingSum[u], lastTime[u],
                Arrays.copyOf(seen[u], seenCount[u]), model.online().seenCapacity());
        s.modelVersion(model.version());
        // as ModelDirectory.restoreHistory does with a published vector's seen movies and ratings
        int n = Math.min(HISTORY_EVENTS, seenCount[u]), from = seenCount[u] - n;
        float[] completions = new float[n];
        Arrays.fill(completions, Float.NaN);
        s.restoreHistory(Arrays.copyOfRange(seen[u], from, from + n), Arrays.copyOfRange(seenRating[u], from, from + n),
                completions);
        return s;
    }
}
