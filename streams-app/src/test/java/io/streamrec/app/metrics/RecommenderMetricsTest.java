package io.streamrec.app.metrics;

import io.streamrec.app.dlq.DlqMetrics;
import io.streamrec.app.lifecycle.ServedModel;
import io.streamrec.app.topology.TestModels;
import io.streamrec.model.ModelDirectory;
import io.streamrec.app.topology.LiveQuality;
import io.streamrec.app.topology.LiveQualityFixture;
import io.streamrec.schemas.DlqReasons;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Known observations in, the numbers read back from the Prometheus text a scraper would see. */
class RecommenderMetricsTest {

    @Test
    void stageCpuIsExportedOnlyWhenTheAppMeasuresIt() {
        try (RecommenderMetrics off = new RecommenderMetrics(new LiveQuality(), new DlqMetrics())) {
            assertFalse(off.scrape().contains("streamrec_stage_cpu_seconds_total"));
        }
        LiveQuality quality = new LiveQuality();
        quality.stages().enable();
        try (RecommenderMetrics metrics = new RecommenderMetrics(quality, new DlqMetrics())) {
            LiveQualityFixture.timedEvent(quality, 3_000_000_000L, 1_500_000_000L);
            String text = metrics.scrape();
            assertEquals(3.0, value(text, "streamrec_stage_cpu_seconds_total", "stage=\"event\""), 1e-9);
            assertEquals(1.5, value(text, "streamrec_stage_cpu_seconds_total", "stage=\"retrieval\""), 1e-9);
            assertEquals(0, value(text, "streamrec_stage_cpu_seconds_total", "stage=\"state_write\""));
        }
    }

    @Test
    void liveQualityDlqAndLatencyAppearInTheScrapeWithTheirValues() {
        LiveQuality quality = new LiveQuality();
        DlqMetrics dlq = new DlqMetrics();
        try (RecommenderMetrics metrics = new RecommenderMetrics(quality, dlq)) {
            String before = metrics.scrape();
            assertEquals(0, value(before, "streamrec_events_total", ""));
            assertEquals(0, value(before, "streamrec_user_refits_total", ""));
            assertEquals(0, value(before, "streamrec_warm_starts_total", ""));
            for (String reason : DlqReasons.ALL) {
                assertEquals(0, value(before, "streamrec_dlq_records_total", "reason=\"" + reason + "\""), reason);
            }

            // errors 1, -2, 2 → RMSE = sqrt((1 + 4 + 4) / 3) = sqrt(3)
            LiveQualityFixture.rating(quality, 1);
            LiveQualityFixture.rating(quality, -2);
            LiveQualityFixture.rating(quality, 2);
            // 1 hit in 4 judged events → 0.25
            LiveQualityFixture.judged(quality, true);
            for (int i = 0; i < 3; i++) LiveQualityFixture.judged(quality, false);
            dlq.increment(DlqReasons.RATING_OUT_OF_RANGE);
            dlq.increment(DlqReasons.RATING_OUT_OF_RANGE);
            dlq.increment(DlqReasons.NULL_KEY);
            dlq.increment("some-new-reason");
            for (int ms = 1; ms <= 100; ms++) LiveQualityFixture.recommended(quality, ms);
            LiveQualityFixture.refit(quality);
            LiveQualityFixture.refit(quality);

            String text = metrics.scrape();
            assertEquals(3, value(text, "streamrec_events_total", ""));
            assertEquals(2, value(text, "streamrec_user_refits_total", ""));
            assertEquals(Math.sqrt(3), value(text, "streamrec_live_rmse", ""), 1e-9);
            assertEquals(0.25, value(text, "streamrec_live_hit_rate", "k=\"10\""), 1e-12);
            assertEquals(2, value(text, "streamrec_dlq_records_total", "reason=\"rating-out-of-range\""));
            assertEquals(1, value(text, "streamrec_dlq_records_total", "reason=\"null-key\""));
            assertEquals(1, value(text, "streamrec_dlq_records_total", "reason=\"some-new-reason\""));
            assertEquals(0, value(text, "streamrec_dlq_records_total", "reason=\"deserialization\""));

            String latency = "streamrec_event_to_recommendation_latency_seconds";
            assertEquals(100, value(text, latency + "_count", ""));
            assertEquals(5.050, value(text, latency + "_sum", ""), 1e-9); // 1 + 2 + ... + 100 ms
            assertEquals(100, value(text, latency + "_bucket", "le=\"+Inf\""));
            // cumulative buckets: only the 1 ms observation is at or below the first bound (1 ms)
            assertEquals(1, value(text, latency + "_bucket", "le=\"0.001\""));
            // Prometheus derives quantiles from the buckets; the status line reads the client-side estimate
            assertEquals(50, metrics.latencyMillis(0.5), 5);
            assertEquals(99, metrics.latencyMillis(0.99), 5);
        }
    }

    /** The served model's retriever gauges read the current model each scrape: 0 loose and every movie probed without cells. */
    @Test
    void theServedModelsSwapsAndRetrievalCellsAreExported() {
        try (RecommenderMetrics metrics = new RecommenderMetrics(new LiveQuality(), new DlqMetrics())) {
            metrics.bindModel(new ServedModel(ModelDirectory.read(TestModels.modelDir())));
            System.gc(); // the metrics hold the model: Micrometer's meters alone would let it go and read NaN
            String text = metrics.scrape();
            assertEquals(0, value(text, "streamrec_retrieval_loose_items", ""));
            assertEquals(0, value(text, "streamrec_retrieval_moves_kept_in_cell", ""));
            assertEquals(1, value(text, "streamrec_retrieval_probe_share", "")); // every movie: no cells
            assertEquals(0, value(text, "streamrec_model_swaps_total", ""));
        }
    }

    @Test
    void qualityIsNaNBeforeTheFirstEvent() {
        try (RecommenderMetrics metrics = new RecommenderMetrics(new LiveQuality(), new DlqMetrics())) {
            String text = metrics.scrape();
            assertTrue(Double.isNaN(value(text, "streamrec_live_rmse", "")));
            assertTrue(Double.isNaN(metrics.latencyMillis(0.99)));
        }
    }

    /** The value of the sample {@code name{...labels...}} whose labels contain {@code label} (or has none). */
    static double value(String scrape, String name, String label) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{([^}]*)})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(scrape);
        while (m.find()) {
            String labels = m.group(2) == null ? "" : m.group(2);
            if (label.isEmpty() ? labels.isEmpty() : labels.contains(label)) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError("no sample " + name + "{" + label + "} in:\n" + scrape);
    }
}
