package io.streamrec.trainer.eval;

import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.model.ModelDirectory;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.train.EpochListener;
import io.streamrec.trainer.train.Indexed;
import io.streamrec.trainer.train.ModelTrainer;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.TrainedModel;
import io.streamrec.trainer.train.WarmStarts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a model swap costs the users (issue 12, "Users move with the model"): all events sorted by (timestamp, line);
 * model A is trained on the first 70% in time and model B on the first 80%, each exactly as {@code train} does,
 * written to a model directory and read back as the app reads it. Every row replays the last 20% through the serving
 * path ({@link ServingReplay}, online users, predict then learn) and differs only in the states users reach it with:
 * <ul>
 *   <li>{@code started on B}: the streaming protocol's {@code online users} row — users B knows start from B's
 *       trained vectors (warm start), the others from the prior.</li>
 *   <li>{@code A, then swapped to B: fold-in}: A is served from 70% (warm start from A's vectors for the users A
 *       knows), the 70–80% events are replayed through it, then B is swapped in; at each user's first event under B
 *       the state is re-fitted to B's item space from its remembered events (the last
 *       {@value ServingReplay#HISTORY_EVENTS}; for a user warm-started from A without events since, A's training
 *       movies as unrated events). The list a user holds at the swap is A's.</li>
 *   <li>{@code A, then swapped to B: fold-in + warm start}: as above, and B's user vectors are published after the
 *       swap: users B knows take B's trained vectors (keeping their own history and seen movies); the others are
 *       re-fitted.</li>
 *   <li>{@code A, then swapped to B: vectors kept}: the swap without re-fit (the behaviour before versions were
 *       recorded, and {@code user.history.events=0}): vectors learned against A's items serve B.</li>
 *   <li>{@code A throughout}: no swap.</li>
 * </ul>
 * RMSE / MAE of each rating predicted before learning it; HR@10 / NDCG@10 of the event's movie in the list the user
 * held just before it; over all replayed events, and again over the events of the users whose state a swap concerns
 * (users with an event in the first 80%, whom B knows; most replayed events come from users who appear later and
 * start from the prior under B in every row).
 */
public final class SwapEvaluation {
    static final double OLD_FRACTION = 0.7, NEW_FRACTION = 0.8;

    private SwapEvaluation() {}

    public static List<Row> run(Dataset all, TrainConfig cfg, EpochListener listener) {
        Interactions sorted = all.events().sortedByTime();
        int n = sorted.size(), oldCut = (int) Math.floor(n * OLD_FRACTION), newCut = (int) Math.floor(n * NEW_FRACTION);
        Interactions oldTrain = sorted.slice(0, oldCut), newTrain = sorted.slice(0, newCut);
        Interactions between = sorted.slice(oldCut, newCut), test = sorted.slice(newCut, n);
        Indexed idx = Indexed.of(all);
        TrainedModel a = ModelTrainer.train(new Dataset(all.name() + " (first 70% in time)", all.movies(), oldTrain,
                all.summary()), idx, cfg, "eval-swap-70", listener);
        TrainedModel b = ModelTrainer.train(new Dataset(all.name() + " (first 80% in time)", all.movies(), newTrain,
                all.summary()), idx, cfg, "eval-swap-80", listener);
        Path dirA = null, dirB = null;
        try {
            dirA = Files.createTempDirectory("streamrec-swap-a-");
            dirB = Files.createTempDirectory("streamrec-swap-b-");
            ModelDirectory.write(dirA, a.contents(Map.of()));
            ModelDirectory.write(dirB, b.contents(Map.of()));
            ModelDirectory.Loaded la = ModelDirectory.read(dirA), lb = ModelDirectory.read(dirB);
            WarmStarts warmA = new WarmStarts(la.model(), a.mf(), a.bpr(), idx, oldTrain);
            WarmStarts warmB = new WarmStarts(lb.model(), b.mf(), b.bpr(), idx, newTrain);
            try (OnnxRanker rankerA = OnnxRanker.load(la.onnx(), la.model().featureSpec(), cfg.candidates(), 1);
                 OnnxRanker rankerB = OnnxRanker.load(lb.onnx(), lb.model().featureSpec(), cfg.candidates(), 1)) {
                ServingReplay onA = new ServingReplay(la.model(), rankerA, la.rankerWeight(), cfg.candidates(), warmA);
                ServingReplay onBWarm = new ServingReplay(lb.model(), rankerB, lb.rankerWeight(), cfg.candidates(), warmB);
                ServingReplay onBCold = new ServingReplay(lb.model(), rankerB, lb.rankerWeight(), cfg.candidates(), u -> null);
                ServingReplay.Mode mode = ServingReplay.Mode.ONLINE_USERS;
                ServingReplay.ListSink none = ServingReplay.ListSink.NONE;
                List<Row> rows = new ArrayList<>();
                java.util.function.IntPredicate carried = warmB::knows;
                ServingReplay.Result[] results = {
                        onBWarm.run(test, mode, true, none, new ServingReplay.Users(), null, true, carried),
                        swapped(onA, onBCold, warmA, between, test, null, true, carried),
                        swapped(onA, onBCold, warmA, between, test, warmB, true, carried),
                        swapped(onA, onBCold, warmA, between, test, null, false, carried),
                        null};
                ServingReplay.Users stay = new ServingReplay.Users();
                onA.startAll(stay, warmA.knownUserIds());
                onA.run(between, mode, true, none, stay, null, true, null);
                results[4] = onA.run(test, mode, true, none, stay, null, true, carried);
                String[] names = {"started on B (80% model)", "A (70%), swapped to B: fold-in",
                        "A (70%), swapped to B: fold-in + warm start", "A (70%), swapped to B: vectors kept",
                        "A (70%) throughout, no swap"};
                for (int i = 0; i < names.length; i++) rows.add(row(names[i], results[i]));
                for (int i = 0; i < names.length; i++) rows.add(row(names[i] + " [users B knows]", results[i].focus()));
                return rows;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dirA != null) StreamingEvaluation.deleteQuietly(dirA);
            if (dirB != null) StreamingEvaluation.deleteQuietly(dirB);
        }
    }

    /** Serves A from the 70% cut (its known users warm-started), then B from the 80% cut; the result of B's part. */
    private static ServingReplay.Result swapped(ServingReplay onA, ServingReplay onB, WarmStarts warmA, Interactions between,
                                                Interactions test, WarmStarts adoptB, boolean refit,
                                                java.util.function.IntPredicate focus) {
        ServingReplay.Users users = new ServingReplay.Users();
        onA.startAll(users, warmA.knownUserIds());
        onA.run(between, ServingReplay.Mode.ONLINE_USERS, true, ServingReplay.ListSink.NONE, users, null, true, null);
        return onB.run(test, ServingReplay.Mode.ONLINE_USERS, true, ServingReplay.ListSink.NONE, users, adoptB, refit, focus);
    }

    private static Row row(String name, ServingReplay.Result r) {
        return Row.of(name, "RMSE", r.rmse(), "MAE", r.mae(), "HR@10", r.hitRate(), "NDCG@10", r.ndcg(), "events", r.events());
    }
}
