package io.streamrec.trainer.eval;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.TrainConfig;

import java.io.PrintStream;
import java.util.Collection;
import java.util.List;

/**
 * The three evaluation protocols of {@code evaluate} (design.md, "Evaluation") run on one data
 * set, each table printed as it completes and kept in a {@link Report}. They evaluate the
 * training procedure on held-out splits, so {@code train} can store the same numbers in the
 * manifest of a model trained on all the data.
 */
public final class Protocols {
    public static final List<String> ALL = List.of("rating", "topk", "prequential", "streaming");
    /**
     * Every protocol {@code --only} accepts: {@link #ALL}, {@code swap} ({@link SwapEvaluation}: two more trainings,
     * so only on request, and never in a model's manifest) and {@code coldstart} ({@link ColdStartEvaluation}: one more
     * training and five replays, on request only too).
     */
    public static final List<String> KNOWN = List.of("rating", "topk", "prequential", "streaming", "swap", "coldstart");

    private Protocols() {}

    /**
     * Runs the named protocols ({@link #ALL} order). {@code progress} is closed after each
     * training phase so its bars do not interleave with the printed tables.
     */
    public static Report run(Dataset data, TrainConfig cfg, Collection<String> protocols, EpochListener progress,
                             Runnable endProgress, PrintStream out) {
        return run(data, cfg, protocols, progress, endProgress, out, new int[] {TrainConfig.SERVED_CANDIDATES});
    }

    /**
     * As above; the streaming protocol also serves its model with each of {@code servedCandidates} candidates per list
     * (by default the app's count, {@link TrainConfig#SERVED_CANDIDATES}).
     */
    public static Report run(Dataset data, TrainConfig cfg, Collection<String> protocols, EpochListener progress,
                             Runnable endProgress, PrintStream out, int[] servedCandidates) {
        for (String p : protocols) {
            if (!KNOWN.contains(p)) throw new IllegalArgumentException("unknown protocol '" + p + "'; known: " + KNOWN);
        }
        Report report = new Report();
        report.put("data", data.toString());
        if (protocols.contains("rating")) {
            List<Row> rows = RatingEvaluation.run(data, cfg, progress);
            endProgress.run();
            Report.print(out, "Rating prediction (random 80/20 split of ratings, seed 42; clipped to [0.5, 5])", rows);
            report.add("rating", rows);
        }
        if (protocols.contains("topk")) {
            List<Row> rows = TopKEvaluation.run(data, cfg, progress);
            endProgress.run();
            Report.print(out, "Top-10 (per-user temporal split, last 20% test; full catalogue, seen excluded)", rows);
            report.add("topk", rows);
        }
        if (protocols.contains("prequential")) {
            List<Row> rows = PrequentialEvaluation.run(data, cfg.dim(), cfg.online(), cfg.seed());
            Report.print(out, "Prequential (test-then-train over all events in time order, from nothing)", rows);
            report.add("prequential", rows);
        }
        if (protocols.contains("streaming")) {
            StreamingEvaluation.Outcome s = StreamingEvaluation.run(data, cfg, progress, servedCandidates);
            endProgress.run();
            Report.print(out, "Streaming (first 80% in time trains; last 20% replayed through the serving path, predict then learn)", s.rows());
            out.println("  online step chosen on the training part's last 20% in time: " + s.choices().get("online"));
            report.add("streaming", s.rows());
            report.put("streamingChoices", s.choices());
        }
        if (protocols.contains("swap")) {
            List<Row> rows = SwapEvaluation.run(data, cfg, progress);
            endProgress.run();
            Report.print(out, "Model swap (A: first 70% in time, B: first 80%; last 20% replayed through the serving path,"
                    + " online users; rows differ in the states users reach it with)", rows);
            report.add("swap", rows);
        }
        if (protocols.contains("coldstart")) {
            ColdStartEvaluation.Outcome cs = ColdStartEvaluation.runWithDetails(data, cfg, progress);
            endProgress.run();
            Report.print(out, "Cold-start movies (streaming split; movies first rated in the last 20% get vectors from the"
                    + " feature map at their first event, or never; 'as fitted': without the retrieval-bias offset chosen on"
                    + " the training part's validation slice)", cs.rows());
            out.println("  cold-start details: " + cs.details());
            report.add("coldstart", cs.rows());
            report.put("coldstartDetails", cs.details());
        }
        return report;
    }
}
