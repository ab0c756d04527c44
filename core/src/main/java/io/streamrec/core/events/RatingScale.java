package io.streamrec.core.events;

/**
 * The rating scale, the one place it is written: any finite value from {@value #MIN} to {@value #MAX} stars is a
 * rating (MovieLens uses half stars; producers with a finer or coarser scale inside this range are accepted as they
 * are). Predictions are clipped to it.
 */
public final class RatingScale {
    public static final float MIN = 0.5f;
    public static final float MAX = 5f;

    private RatingScale() {}

    /** False for NaN and anything outside [MIN, MAX]. */
    public static boolean contains(float rating) {
        return rating >= MIN && rating <= MAX;
    }

    /** A prediction clipped into the scale. */
    public static float clip(float prediction) {
        return prediction < MIN ? MIN : Math.min(prediction, MAX);
    }

    /** "[0.5, 5]", for messages. */
    public static String range() {
        return "[" + MIN + ", " + (int) MAX + "]";
    }
}
