package io.streamrec.tools.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamrec.core.retrieval.HnswRetriever;
import io.streamrec.core.retrieval.Int4ScreenRetriever;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench --retrieval} on a small generated catalogue: the columns it writes and that they describe the run. */
class RetrievalBenchTest {

    @Test
    @SuppressWarnings("unchecked")
    void writesRecallTimingAndTheShareOfBlocksScreened() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Map<String, Object> out = new RetrievalBench(20_000, 16, null, 30, List.of(), 400, HnswRetriever.Settings.defaults(), 5,
                new PrintStream(log, true, StandardCharsets.UTF_8), false, List.of(4, 1), List.of(1f, 0.3f, Int4ScreenRetriever.CALIBRATED)).run();
        assertEquals(20_000, out.get("movies"));
        List<Map<String, Object>> screens = (List<Map<String, Object>>) out.get("int4_screen");
        assertEquals(6, screens.size()); // each probe share with each over-fetch
        for (Map<String, Object> row : screens) {
            double share = (double) row.get("screened_block_share");
            assertTrue(share > 0 && share <= 1, "screened share " + share);
            assertTrue((double) row.get("p50_ms") > 0, row.toString());
            // and each screen measured on the app's own list length
            assertEquals(RetrievalBench.SERVED_N, row.get("served_candidates"));
            double served = (double) row.get("recall_at_served_candidates");
            assertTrue(served > 0 && served <= 1 && (double) row.get("served_p50_ms") > 0, row.toString());
        }
        // over-fetch 4 is the headline of a --no-hnsw run and finds at least what over-fetch 1 does
        assertEquals(screens.get(0).get("recall_at_200"), out.get("recall_at_200"));
        assertTrue((double) screens.get(0).get("recall_at_200") >= (double) screens.get(1).get("recall_at_200"), screens.toString());
        assertTrue((double) out.get("recall_at_200") >= 0.95, out.toString());
        // in cells probed to 30% of the items a query screens about that share of the blocks, not all
        double probed = (double) screens.get(2).get("screened_block_share");
        assertTrue(probed < 0.5, screens.get(2).toString());
        assertEquals(0.3f, screens.get(2).get("probe_share"));
        assertEquals(false, screens.get(2).get("probe_share_calibrated"));
        // the calibrated share: the one the screen chose, written as a share
        float calibrated = (float) screens.get(4).get("probe_share");
        assertTrue(calibrated > 0f && calibrated <= 1f && screens.get(4).get("probe_share_calibrated").equals(true), screens.get(4).toString());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("(calibrated: probe share"), log.toString(StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("of blocks screened"), log.toString(StandardCharsets.UTF_8));
        assertTrue(((String) out.get("machine")).startsWith("machine: "), (String) out.get("machine"));
    }

    /** {@code --probe} takes shares and {@code auto} (the calibrated share), and refuses a share of 0 by name. */
    @Test
    void probeSharesParseAutoAndRefuseZero() {
        BenchCommand.ProbeShareConverter converter = new BenchCommand.ProbeShareConverter();
        assertEquals(0.25f, converter.convert("0.25"));
        assertTrue(Float.isNaN(converter.convert("auto")));
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("0"));
        assertTrue(e.getMessage().contains("probe share"), e.getMessage());
    }
}
