package io.streamrec.app.metrics;

/** Reads samples out of a Prometheus scrape, for tests in other packages. */
public final class RecommenderMetricsTestAccess {
    private RecommenderMetricsTestAccess() {}

    public static double value(String scrape, String name, String label) {
        return RecommenderMetricsTest.value(scrape, name, label);
    }
}
