package io.streamrec.app.lifecycle;

import io.streamrec.model.ModelDirectory;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model this instance serves now, replaced as a whole when a newly published version has loaded
 * ({@link ModelVersionFollower}). Stream tasks read {@link #current()} once per event and switch their ranker and
 * learner when it changed, so a swap happens between two events and no event sees half of each model. A load that
 * failed leaves {@link #current()} alone and is recorded here for {@code /health} and the metrics.
 */
public final class ServedModel {
    private volatile ModelDirectory.Loaded current;
    private final AtomicLong swaps = new AtomicLong();
    private final AtomicLong loadFailures = new AtomicLong();
    /** The last failure, or null since the last swap: one field, so its summary and reason are always one failure's. */
    private volatile Failure lastFailure;
    private final NewMovies newMovies = new NewMovies(this);

    public ServedModel(ModelDirectory.Loaded initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    /** The movies of the {@code movies} topic the served model has no vectors for, given theirs from its feature map. */
    public NewMovies newMovies() {
        return newMovies;
    }

    /** The model to serve the next event with. */
    public ModelDirectory.Loaded current() {
        return current;
    }

    public String version() {
        return current.model().version();
    }

    /**
     * Makes {@code loaded} the served model: fully loaded (retriever built, ranker checked) before this call. The
     * movies store is replayed into it first ({@link NewMovies}), so movies it does not know are served by it from the
     * switch on.
     */
    public void swapTo(ModelDirectory.Loaded loaded) {
        Objects.requireNonNull(loaded, "loaded");
        newMovies.replayThenSwitch(loaded, () -> {
            current = loaded;
            lastFailure = null;
            swaps.incrementAndGet();
        });
    }

    /** A published version did not load; the current model stays. */
    public void loadFailed(String version, String reason) {
        failed("model " + version + " not loaded, still serving " + version(), reason);
    }

    /** The follower of published versions stopped: no later version will load until a restart; the current one stays. */
    public void followingStopped(String reason) {
        failed("published models no longer followed (restart the instance), still serving " + version(), reason);
    }

    private void failed(String summary, String reason) {
        lastFailure = new Failure(summary, reason);
        loadFailures.incrementAndGet();
    }

    /** What {@code /health} may show ({@code summary}: versions only) and why ({@code reason}: for the log and tests). */
    private record Failure(String summary, String reason) {}

    /** Swaps since start. */
    public long swaps() {
        return swaps.get();
    }

    /** Published versions that failed to load since start. */
    public long loadFailures() {
        return loadFailures.get();
    }

    /** Why the last published version was not loaded, or null when the last load succeeded (or none was tried). */
    public String lastFailure() {
        Failure f = lastFailure;
        return f == null ? null : f.summary() + ": " + f.reason();
    }

    /**
     * {@link #lastFailure} without the reason, for {@code /health}, which any client may read: the reason can name
     * the model's location or a file on the instance (it is in the instance's log and the failure metric).
     */
    public String lastFailureSummary() {
        Failure f = lastFailure;
        return f == null ? null : f.summary();
    }
}
