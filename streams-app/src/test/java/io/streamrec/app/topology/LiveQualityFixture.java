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

    /** One timed event whose step took {@code eventNanos} of CPU, {@code retrievalNanos} of it in retrieval. */
    public static void timedEvent(LiveQuality q, long eventNanos, long retrievalNanos) {
        q.stages().add(StageCpu.Stage.EVENT, eventNanos);
        q.stages().add(StageCpu.Stage.RETRIEVAL, retrievalNanos);
    }
}
