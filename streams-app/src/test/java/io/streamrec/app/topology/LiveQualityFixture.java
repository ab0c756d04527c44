package io.streamrec.app.topology;

/** Feeds {@link LiveQuality} known observations from tests in other packages (its recorders are package-private). */
public final class LiveQualityFixture {
    private LiveQualityFixture() {}

    public static void rating(LiveQuality q, double error) {
        q.rating(error);
        q.event();
    }

    public static void judged(LiveQuality q, boolean hit) {
        q.hit(hit);
    }

    public static void recommended(LiveQuality q, long millis) {
        q.recommended(millis);
    }

    public static void refit(LiveQuality q) {
        q.refit();
    }
}
