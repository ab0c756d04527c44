package io.streamrec.trainer.train;

import io.streamrec.trainer.data.Interactions;

/** The rated events of a set, as dense (user, item, rating) columns. */
public record Ratings(int[] users, int[] items, float[] values) {
    public int size() {
        return values.length;
    }

    public static Ratings of(Interactions ev, Indexed idx) {
        int n = 0;
        for (int i = 0; i < ev.size(); i++) if (!Float.isNaN(ev.rating(i))) n++;
        int[] u = new int[n], it = new int[n];
        float[] r = new float[n];
        for (int i = 0, k = 0; i < ev.size(); i++) {
            if (Float.isNaN(ev.rating(i))) continue;
            u[k] = idx.user(ev.userId(i));
            it[k] = idx.item(ev.movieId(i));
            r[k++] = ev.rating(i);
        }
        return new Ratings(u, it, r);
    }

    public double mean() {
        double s = 0;
        for (float v : values) s += v;
        return values.length == 0 ? 3.5 : s / values.length;
    }
}
