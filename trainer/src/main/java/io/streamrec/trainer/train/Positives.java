package io.streamrec.trainer.train;

import io.streamrec.trainer.data.EventKind;
import io.streamrec.trainer.data.Interactions;

/**
 * Every event as an implicit positive (user, item, weight), the retrieval model's training
 * data. Weights follow the online rule: 1 for a rating, max(minWatchWeight, completion) for a watch.
 */
public record Positives(int[] users, int[] items, float[] weights) {
    public int size() {
        return users.length;
    }

    public static Positives of(Interactions ev, Indexed idx, float minWatchWeight) {
        int n = ev.size();
        int[] u = new int[n], it = new int[n];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            u[i] = idx.user(ev.userId(i));
            it[i] = idx.item(ev.movieId(i));
            w[i] = ev.kind(i) == EventKind.WATCH && Float.isNaN(ev.rating(i))
                    ? Math.max(minWatchWeight, ev.completion(i)) : 1f;
        }
        return new Positives(u, it, w);
    }
}
