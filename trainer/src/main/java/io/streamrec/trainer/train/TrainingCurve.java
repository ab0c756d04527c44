package io.streamrec.trainer.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records every epoch's losses per training phase (for the training-curve plot), and passes them on. */
public final class TrainingCurve implements EpochListener {
    /** One epoch of one phase; validation is NaN when the phase has none. */
    public record Point(int epoch, double train, double validation) {}

    private final Map<String, List<Point>> phases = new LinkedHashMap<>();
    private final EpochListener next;

    public TrainingCurve(EpochListener next) {
        this.next = next;
    }

    @Override
    public synchronized void epochDone(String phase, int epoch, int maxEpochs, double trainLoss, double validationLoss) {
        if (phase.equals(OnlineTuning.PHASE) || phase.equals(ColdStartTuning.PHASE)) { // replays of a grid, not a loss per epoch: shown, not plotted
            next.epochDone(phase, epoch, maxEpochs, trainLoss, validationLoss);
            return;
        }
        List<Point> points = phases.computeIfAbsent(phase, p -> new ArrayList<>());
        if (epoch == 1) points.clear(); // a phase run again (e.g. a refit after choosing settings): keep the last run
        points.add(new Point(epoch, trainLoss, validationLoss));
        next.epochDone(phase, epoch, maxEpochs, trainLoss, validationLoss);
    }

    /** Phase name to its points in epoch order, phases in the order they ran. */
    public synchronized Map<String, List<Point>> phases() {
        Map<String, List<Point>> copy = new LinkedHashMap<>();
        phases.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }
}
