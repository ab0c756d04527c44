package io.streamrec.trainer.train;

import io.streamrec.core.events.RatingScale;
import io.streamrec.core.features.FeatureSpec;
import io.streamrec.core.learn.BiasedMf;
import io.streamrec.core.learn.ItemFeedback;
import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.learn.SgdParams;
import io.streamrec.core.metrics.ErrorStats;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.core.rank.OnnxRanker;
import io.streamrec.core.rank.Ranker;
import io.streamrec.core.retrieval.CandidateRetriever;
import io.streamrec.core.retrieval.UpdatableRetriever;
import io.streamrec.core.serve.RecommendationPipeline;
import io.streamrec.model.ModelDirectory;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.MovieLensLoader;
import io.streamrec.trainer.eval.ServingReplay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A study harness for issue 11's item step, run by hand (not a test; see docs/item-learning-study.md): trains the
 * streaming protocol's model on the first 80% of a data set in time (as {@code evaluate --only streaming} does, with
 * the online settings given instead of tuned), and the online tuning's model on the first 80% of that part; then
 * replays, per item-step variant, the validation slice ({@code VAL}: the training part's last 20%, what
 * {@link OnlineTuning} replays), two earlier rolling-origin folds of the training part ({@code F60}: model on its
 * first 60%, replay of 60–80%; {@code F40}: 40% / 40–60%) and the test part ({@code TEST}: the protocol's last 20%).
 * Per slice it prints HR@10, its gain over online users only with the gain's paired standard error (±), the worst
 * gain over the slice's four quarters in time, and RMSE. Choices are to be made on the first three only; {@code TEST}
 * is printed to report what a choice does.
 *
 * <p>The replay is {@link io.streamrec.trainer.eval.ServingReplay}'s loop (online users + items) with the item
 * retrieval step open to variants; with no knob set it equals ServingReplay's row bit for bit (set FIDELITY=1 to
 * print both; REF=spec to print each variant's gain over that variant too, with its paired
 * standard error). Usage, from {@code trainer/} after {@code test-compile}:
 * <pre>
 *   java -cp target/test-classes:target/classes:$(classpath) io.streamrec.trainer.train.ItemStepStudy \
 *       DATA_DIR VARIANTS_FILE "0.1,0.01;1.0;0.03;0.1;0"
 * </pre>
 * The last argument is the online step {@code train} chose (user rating rate,L2; user retrieval rate; item rating
 * rate; item retrieval rate; τ); without it the training part's tuning runs first. A variants file has one spec per
 * line: {@code users} (online users only), {@code base} (the given settings), or comma-separated knobs of
 * {@link Variant}: {@code vr} item retrieval rate, {@code vs}/{@code bs} scale of its vector/bias step, {@code tau}
 * activity damping, {@code kappa} step weight κ/(κ + the movie's events), {@code unit} (u/|u| in the step),
 * {@code cap} (largest norm of one event's vector change), {@code maxn} (learn only from users with fewer events),
 * {@code anchor}/{@code anchorb} (L2 toward the batch vector/bias instead of toward 0), {@code feat} (the ranker's
 * item features re-encoded with the learned biases after each step), {@code pop} (their popularity counts the
 * movie's online events too), and the sources of the item-side inputs ({@link ItemSourcePipeline}): {@code retr=batch}
 * (candidates and their retrieval score from the load-time index), {@code rank=batch} (the network's item vector and
 * user∘item from the load-time vectors), {@code pair=batch} / {@code pair=online} ({@code mf_rating} and
 * {@code retrieval_score} both from the load-time / online arrays), {@code list=batch} (the list score's retrieval term
 * from the load-time vectors), {@code via} (no change of source, through ItemSourcePipeline: must equal {@code base});
 * and the weight of the step by what the user's vector knows, n being the user state's event count before the event
 * (a warm-started user's training events included): {@code minn=N} (the item retrieval step only when n ≥ N),
 * {@code minnr=N} (the item rating step too), {@code ramp=T} (the retrieval step scaled by n/(n + T)), {@code minnv=N} (below N
 * events the retrieval step moves the bias only, not the vector), {@code neg=K}
 * (the first K of the user step's sampled negatives move by −η·g·u too, gated, weighted and capped like the positive).
 */
public final class ItemStepStudy {
    static final int K = 10, WINDOWS = 4;

    /** An item-step variant: knobs over the item-side step applied after each event's list (class comment). */
    record Variant(String spec, boolean items, float rr, float vr, float vs, float bs, float tau, float kappa,
                   boolean kappaRating, boolean unit, float cap, int maxUserEvents, float vreg, float anchor, float anchorBias,
                   boolean features, boolean popularity, float impressions, ItemSourcePipeline.Sources sources,
                   boolean viaSources, int minUserEvents, boolean minUserEventsRating, int minUserEventsVector, float ramp,
                   int negatives) {
        static Variant parse(String spec, OnlineConfig chosen) {
            Map<String, String> kv = new HashMap<>();
            boolean items = !spec.trim().equals("users");
            if (items && !spec.isBlank()) {
                for (String p : spec.split(",")) {
                    String[] a = p.trim().split("=");
                    kv.put(a[0], a.length > 1 ? a[1] : "1");
                }
            }
            return new Variant(spec, items,
                    f(kv, "rr", chosen.itemRating().learningRate()),
                    f(kv, "vr", chosen.itemRetrieval().learningRate()),
                    f(kv, "vs", 1f), f(kv, "bs", 1f),
                    f(kv, "tau", chosen.itemDampingEvents()),
                    f(kv, "kappa", 0f), kv.containsKey("kapr"), kv.containsKey("unit"),
                    f(kv, "cap", 0f), (int) f(kv, "maxn", 0f),
                    f(kv, "vreg", chosen.itemRetrieval().factorReg()), f(kv, "anchor", 0f), f(kv, "anchorb", 0f),
                    kv.containsKey("feat"), kv.containsKey("pop"), f(kv, "imp", 0f),
                    new ItemSourcePipeline.Sources(batch(kv, "retr"), batch(kv, "rank"), pair(kv), batch(kv, "list")),
                    kv.containsKey("via") || kv.containsKey("retr") || kv.containsKey("rank") || kv.containsKey("pair")
                            || kv.containsKey("list"),
                    (int) f(kv, "minnr", f(kv, "minn", 0f)), kv.containsKey("minnr"), (int) f(kv, "minnv", 0f), f(kv, "ramp", 0f),
                    (int) f(kv, "neg", 0f));
        }

        /**
         * The weight of this event's item steps from what the user's state already holds ({@code n}: its event count
         * before the event, training history of a warm-started user included): 0 below {@code minn} / {@code minnr},
         * times n/(n + T) with {@code ramp=T}; 1 with neither knob.
         */
        float userKnowledgeWeight(long n) {
            if (minUserEvents > 0 && n < minUserEvents) return 0f;
            return ramp > 0f ? n / (n + ramp) : 1f;
        }

        /** {@code KEY=batch} (the load-time item vectors) or absent (the served source). */
        static boolean batch(Map<String, String> kv, String k) {
            String v = kv.get(k);
            if (v == null) return false;
            if (!v.equals("batch")) throw new IllegalArgumentException(k + "=" + v + ": only " + k + "=batch is known");
            return true;
        }

        static ItemSourcePipeline.Pair pair(Map<String, String> kv) {
            String v = kv.get("pair");
            return v == null ? ItemSourcePipeline.Pair.DEFAULT : ItemSourcePipeline.Pair.valueOf(v.toUpperCase(java.util.Locale.ROOT));
        }

        static float f(Map<String, String> kv, String k, float dflt) {
            return kv.containsKey(k) ? Float.parseFloat(kv.get(k)) : dflt;
        }
    }

    /** One slice's replay setup. */
    record Slice(String name, RecommenderModel model, Ranker ranker, float rankerWeight, int candidates,
                 IntFunction<UserState> warm, Interactions events, int[] busy) {}

    record Outcome(double hr, double rmse, double[] windowHr, double busyHr, double restHr, BitSet hitEvents, int events) {
        /**
         * The standard error of this outcome's HR@10 gain over {@code other}'s on the same events (paired: each event
         * is a hit in both, one or neither; only the events where they differ carry the gain's noise).
         */
        double pairedGainError(Outcome other) {
            BitSet a = (BitSet) hitEvents.clone(), b = (BitSet) other.hitEvents.clone();
            a.andNot(other.hitEvents);
            b.andNot(hitEvents);
            double n = events, mean = (a.cardinality() - b.cardinality()) / n;
            double var = (a.cardinality() + b.cardinality()) / n - mean * mean;
            return Math.sqrt(var / n);
        }
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]), variants = Path.of(args[1]);
        Dataset all = MovieLensLoader.load(data);
        TrainConfig cfg = TrainConfig.defaults();
        Interactions sorted = all.events().sortedByTime();
        int cut = (int) Math.floor(sorted.size() * 0.8);
        Interactions trainEv = sorted.slice(0, cut), test = sorted.slice(cut, sorted.size());
        Dataset train = new Dataset(all.name() + " (first 80% in time)", all.movies(), trainEv, all.summary());
        Indexed idx = Indexed.of(all);
        EpochListener quiet = (phase, e, max, tl, vl) -> {};
        if (args.length > 2) cfg = cfg.withOnline(parseOnline(args[2], cfg.online())).withOnlineTuning(false);
        long t0 = System.nanoTime();
        TrainedModel tm = ModelTrainer.train(train, idx, cfg, "eval-streaming", quiet);
        OnlineConfig chosen = tm.model().online();
        System.out.printf("trained in %.0f s; online %s%n", (System.nanoTime() - t0) / 1e9, chosen);
        System.out.println("choices " + tm.choices());
        MfTrainer.Params mfParams = cfg.mf().withReg(((Number) tm.choices().get("mfReg")).floatValue())
                .withEpochs(((Number) tm.choices().get("mfEpochs")).intValue());

        // validation slice: what OnlineTuning replays
        Interactions tsorted = trainEv.sortedByTime();
        int vcut = (int) Math.floor(tsorted.size() * 0.8);
        Interactions early = tsorted.slice(0, vcut), late = tsorted.slice(vcut, tsorted.size());
        boolean ownRankers = System.getenv("OWN_RANKERS") != null;
        if (ownRankers) System.out.println("OWN_RANKERS: each training-part slice has its own ranker, trained on its early part only");
        Slice val = trainingSlice("validation", "online-tuning", early, late, ownRankers, all, idx, mfParams, cfg, tm, chosen);

        // test part: the model directory read back as the app reads it, ONNX ranker
        Path dir = Files.createTempDirectory("streamrec-study-");
        ModelDirectory.write(dir, tm.contents(Map.of()));
        ModelDirectory.Loaded loaded = ModelDirectory.read(dir);
        WarmStarts warmT = new WarmStarts(loaded.model(), tm.mf(), tm.bpr(), idx, trainEv);
        OnnxRanker onnx = OnnxRanker.load(loaded.onnx(), loaded.model().featureSpec(), cfg.candidates(), 1);
        Slice tst = new Slice("test", loaded.model(), onnx, loaded.rankerWeight(), cfg.candidates(), warmT, test, busiest(test, 5));

        // fidelity: this harness's replay equals ServingReplay for both modes
        for (Slice s : System.getenv("FIDELITY") != null ? List.of(val, tst) : List.<Slice>of()) {
            ServingReplay sr = new ServingReplay(s.model(), s.ranker(), s.rankerWeight(), s.candidates(), s.warm());
            ServingReplay.Result u = sr.run(s.events(), ServingReplay.Mode.ONLINE_USERS, true);
            ServingReplay.Result i = sr.run(s.events(), ServingReplay.Mode.ONLINE_USERS_AND_ITEMS, true);
            System.out.printf("ServingReplay %s: users HR %.4f RMSE %.4f | items HR %.4f RMSE %.4f%n", s.name(),
                    u.hitRate(), u.rmse(), i.hitRate(), i.rmse());
        }
        List<Slice> slices = new ArrayList<>(List.of(val));
        for (double from : new double[] {0.6, 0.4}) {
            int a = (int) Math.floor(tsorted.size() * from), b = (int) Math.floor(tsorted.size() * (from + 0.2));
            Interactions fe = tsorted.slice(0, a), fl = tsorted.slice(a, b);
            slices.add(trainingSlice("fold" + from, "fold-" + from, fe, fl, ownRankers, all, idx, mfParams, cfg, tm, chosen));
        }
        slices.add(tst);
        for (Slice s : slices) printUserKnowledge(s);
        Outcome[] usersOnly = runAll(slices, Variant.parse("users", chosen));
        print("users", usersOnly, usersOnly);
        // REF=spec: a second reference; each variant's line then also prints its gain over it with the paired error
        String refSpec = System.getenv("REF");
        Outcome[] ref = null;
        if (refSpec != null) {
            ref = runAll(slices, Variant.parse(refSpec, chosen));
            print(refSpec + " (REF)", ref, usersOnly);
        }
        for (String line : Files.readAllLines(variants)) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Outcome[] o = runAll(slices, Variant.parse(line, chosen));
            print(line, o, usersOnly);
            if (ref != null) printAgainst(line, o, ref, refSpec);
            System.out.flush();
        }
        onnx.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }

    /**
     * A slice of the training part: models fitted on {@code early}, replay of {@code late}. By default (what
     * {@link OnlineTuning} does) its ranker is the trained model's, whose examples came from the whole training part,
     * {@code late} included; with {@code ownRankers} (env OWN_RANKERS) the slice is trained as {@code train} would train
     * on {@code early} alone (its own ranker and ranker weight, nothing from {@code late}), with the online step given.
     */
    static Slice trainingSlice(String name, String version, Interactions early, Interactions late, boolean ownRankers,
                               Dataset all, Indexed idx, MfTrainer.Params mfParams, TrainConfig cfg, TrainedModel tm, OnlineConfig chosen) {
        EpochListener quiet = (phase, e, max, tl, vl) -> {};
        if (ownRankers) {
            Dataset d = new Dataset(all.name() + " (" + name + " early part)", all.movies(), early, all.summary());
            TrainedModel own = ModelTrainer.train(d, idx, cfg.withOnline(chosen).withOnlineTuning(false), "own-" + version, quiet);
            System.out.printf("%s: own ranker weight %.2f, choices %s%n", name, own.rankerWeight(), own.choices());
            return new Slice(name, own.model(), own.ranker(), own.rankerWeight(), cfg.candidates(),
                    new WarmStarts(own.model(), own.mf(), own.bpr(), idx, early), late, busiest(late, 5));
        }
        ModelTrainer.Fitted f = ModelTrainer.fit(early, idx, mfParams, cfg, version, quiet);
        return new Slice(name, f.model().withOnline(chosen), tm.ranker(), tm.rankerWeight(), cfg.candidates(),
                new WarmStarts(f.model(), f.mf(), f.bpr(), idx, early), late, busiest(late, 5));
    }

    /**
     * How much the user's state knows when its events make their item steps: the share of the slice's events whose
     * user state held fewer than 5 / 10 / 20 / 50 / 100 events before it (a warm-started user's training events
     * included), and the share from users the slice's model does not know (they start from the prior).
     */
    static void printUserKnowledge(Slice sl) {
        int[] bounds = {5, 10, 20, 50, 100};
        long[] below = new long[bounds.length];
        Map<Integer, Long> count = new HashMap<>();
        java.util.Set<Integer> newUsers = new java.util.HashSet<>();
        long fromNew = 0;
        Interactions ev = sl.events();
        for (int e = 0; e < ev.size(); e++) {
            int userId = ev.userId(e);
            if (!count.containsKey(userId)) {
                UserState warm = sl.warm().apply(userId);
                if (warm == null) newUsers.add(userId); // starts from the prior: UserState.empty, no events
                count.put(userId, warm == null ? 0L : warm.eventCount());
            }
            long n = count.get(userId);
            if (newUsers.contains(userId)) fromNew++;
            for (int i = 0; i < bounds.length; i++) if (n < bounds[i]) below[i]++;
            count.put(userId, n + 1);
        }
        StringBuilder b = new StringBuilder(String.format("%s: %d events, %.3f from users new to the model; n before the event <",
                sl.name(), ev.size(), (double) fromNew / ev.size()));
        for (int i = 0; i < bounds.length; i++) b.append(String.format(" %d: %.3f", bounds[i], (double) below[i] / ev.size()));
        System.out.println(b);
    }

    static Outcome[] runAll(List<Slice> slices, Variant v) {
        Outcome[] o = new Outcome[slices.size()];
        for (int i = 0; i < o.length; i++) o[i] = run(slices.get(i), v);
        return o;
    }

    static OnlineConfig parseOnline(String s, OnlineConfig base) {
        // rating lr,l2 ; retrieval lr ; item rating lr ; item retrieval lr ; tau
        String[] p = s.split(";");
        String[] r = p[0].split(",");
        SgdParams rating = new SgdParams(Float.parseFloat(r[0]), Float.parseFloat(r[1]), Float.parseFloat(r[1]));
        SgdParams ret = new SgdParams(Float.parseFloat(p[1]), base.retrieval().factorReg(), base.retrieval().biasReg());
        SgdParams ir = new SgdParams(Float.parseFloat(p[2]), base.itemRating().factorReg(), base.itemRating().biasReg());
        SgdParams iv = new SgdParams(Float.parseFloat(p[3]), base.itemRetrieval().factorReg(), base.itemRetrieval().biasReg());
        return base.withRating(rating).withRetrieval(ret).withItemRating(ir).withItemRetrieval(iv).withItemDamping(Float.parseFloat(p[4]));
    }

    static void print(String spec, Outcome[] o, Outcome[] base) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-36s", spec));
        String[] names = {"VAL", "F60", "F40", "TEST"};
        for (int s = 0; s < o.length; s++) {
            double worst = Double.MAX_VALUE;
            for (int w = 0; w < WINDOWS; w++) worst = Math.min(worst, o[s].windowHr()[w] - base[s].windowHr()[w]);
            b.append(String.format(" | %s %.4f %+.4f ±%.4f w%+.4f r%.4f", s < names.length ? names[s] : "?", o[s].hr(),
                    o[s].hr() - base[s].hr(), o[s].pairedGainError(base[s]), worst, o[s].rmse()));
        }
        System.out.println(b);
    }

    static void printAgainst(String spec, Outcome[] o, Outcome[] ref, String refSpec) {
        StringBuilder b = new StringBuilder(String.format("%-36s", "  against " + refSpec));
        String[] names = {"VAL", "F60", "F40", "TEST"};
        for (int s = 0; s < o.length; s++) {
            b.append(String.format(" | %s %+.4f ±%.4f", s < names.length ? names[s] : "?", o[s].hr() - ref[s].hr(),
                    o[s].pairedGainError(ref[s])));
        }
        System.out.println(b);
    }

    static int[] busiest(Interactions ev, int n) {
        Map<Integer, Integer> c = new HashMap<>();
        for (int e = 0; e < ev.size(); e++) c.merge(ev.userId(e), 1, Integer::sum);
        return c.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n).mapToInt(Map.Entry::getKey).toArray();
    }

    /** ServingReplay's ONLINE_USERS / ONLINE_USERS_AND_ITEMS loop with the item step replaced by the variant's. */
    static Outcome run(Slice sl, Variant v) {
        RecommenderModel m = v.items() ? sl.model().withOwnItemArrays() : sl.model();
        OnlineConfig cfg = m.online().withItemDamping(v.tau());
        m = m.withOnline(cfg);
        OnlineLearner learner = new OnlineLearner(m);
        UpdatableRetriever retriever = CandidateRetriever.forModel(m);
        ListSource pipeline;
        if (v.viaSources()) {
            // the item-side inputs' sources chosen (ItemSourcePipeline); sl.model() keeps the load-time arrays
            ItemSourcePipeline p = new ItemSourcePipeline(m, sl.model(), retriever, CandidateRetriever.forModel(sl.model()),
                    sl.ranker(), sl.candidates(), sl.rankerWeight(), v.sources());
            pipeline = p::recommend;
        } else {
            pipeline = new RecommendationPipeline(m, retriever, sl.ranker(), sl.candidates(), sl.rankerWeight())::recommend;
        }
        ItemFeedback fb = new ItemFeedback(m.ratingDim(), m.dim());
        Map<Integer, UserState> states = new HashMap<>();
        Map<Integer, int[]> held = new HashMap<>();
        int[] top = new int[K];
        float[] scores = new float[K];
        long[] online = new long[m.itemCount()];
        ErrorStats errors = new ErrorStats();
        Interactions events = sl.events();
        BitSet hitEvents = new BitSet();
        BitSet busy = new BitSet();
        for (int u : sl.busy()) busy.set(u);
        long hits = 0, busyHits = 0, busyEvents = 0;
        long[] wHits = new long[WINDOWS], wEvents = new long[WINDOWS];
        SgdParams ir = new SgdParams(v.rr(), cfg.itemRating().factorReg(), cfg.itemRating().biasReg());
        float ivLr = v.vr(), ivReg = v.vreg(), ivBiasReg = cfg.itemRetrieval().biasReg();
        float[] v0 = sl.model().retrievalVectors(), c0 = sl.model().retrievalBiases();
        float[] delta = new float[m.dim()];
        int[] trainedItems = m.trainedAtLoad(), negItem = new int[Math.max(1, v.negatives())];
        float[] negGrad = new float[negItem.length];
        for (int e = 0; e < events.size(); e++) {
            int userId = events.userId(e), movieId = events.movieId(e);
            float rating = events.rating(e);
            UserState s = states.get(userId);
            if (s == null) {
                UserState start = sl.warm().apply(userId);
                s = start != null ? start : UserState.empty(m);
                if (s.modelVersion().isEmpty()) s.modelVersion(m.version());
                s.historyFromSeen(ServingReplay.HISTORY_EVENTS);
                states.put(userId, s);
            }
            long userEventsBefore = s.eventCount();
            int item = m.items().indexOf(movieId);
            if (!Float.isNaN(rating)) errors.add(RatingScale.clip(learner.predictRating(s, item)), rating);
            int[] list = held.get(userId);
            if (list == null) {
                list = new int[K + 1];
                fill(list, pipeline, s, top, scores, m);
                held.put(userId, list);
            }
            int w = (int) ((long) e * WINDOWS / events.size());
            wEvents[w]++;
            boolean isBusy = busy.get(userId);
            if (isBusy) busyEvents++;
            if (rankOf(list, movieId) >= 0) {
                hits++;
                wHits[w]++;
                hitEvents.set(e);
                if (isBusy) busyHits++;
            }
            if (v.items() && v.impressions() > 0) {
                // impression negatives: the movies of the list the user held and did not pick step away from u
                float[] u = s.retrievalVector();
                int d = m.dim();
                float[] vv = m.retrievalVectors(), c = m.retrievalBiases();
                for (int r = 0; r < list[0]; r++) {
                    if (list[r + 1] == movieId) continue;
                    int jt = m.items().indexOf(list[r + 1]);
                    float g = -v.impressions();
                    for (int k = 0; k < d; k++) vv[jt * d + k] += ivLr * (g * u[k] - ivReg * vv[jt * d + k]);
                    c[jt] += ivLr * (g - ivBiasReg * c[jt]);
                    retriever.update(jt, vv, jt * d, c[jt]);
                }
            }
            if (v.items() && v.negatives() > 0) sampleNegatives(v.negatives(), userId, userEventsBefore, item, s, m, learner,
                    rating, events.completion(e), trainedItems, negItem, negGrad);
            learner.learn(userId, s, movieId, item, rating, events.completion(e), events.timestamp(e), v.items() ? fb : null);
            s.rememberEvent(movieId, rating, events.completion(e), ServingReplay.HISTORY_EVENTS);
            fill(list, pipeline, s, top, scores, m);
            if (v.items() && !fb.isEmpty() && (v.maxUserEvents() == 0 || userEventsBefore < v.maxUserEvents())) {
                int it = fb.item(), d = m.dim(), rd = m.ratingDim();
                float conf = v.kappa() > 0 ? v.kappa() / (v.kappa() + m.popularity(it) + online[it]) : 1f;
                online[it]++;
                float uw = v.userKnowledgeWeight(userEventsBefore);
                if (fb.hasRating() && (!v.minUserEventsRating() || uw > 0f)) {
                    float scale = v.kappaRating() ? conf : 1f;
                    m.ratingBiases()[it] = BiasedMf.itemStep(fb.ratingError() * scale, m.ratingVectors(), it * rd,
                            m.ratingBiases()[it], fb.userRatingVector(), 0, rd, ir);
                }
                float g = fb.retrievalGradient() * conf * uw;
                if (g != 0f) {
                    float[] u = fb.userRetrievalVector(), vv = m.retrievalVectors(), c = m.retrievalBiases();
                    float un = 1f;
                    if (v.unit()) {
                        double n2 = 0;
                        for (float x : u) n2 += x * x;
                        un = n2 > 0 ? (float) (1 / Math.sqrt(n2)) : 0f;
                    }
                    double dn2 = 0;
                    for (int k = 0; k < d; k++) {
                        float x = vv[it * d + k];
                        delta[k] = v.vs() * ivLr * (g * u[k] * un - ivReg * x - v.anchor() * (x - v0[it * d + k]));
                        dn2 += delta[k] * delta[k];
                    }
                    // minnv: the bias step only
                    if (userEventsBefore >= v.minUserEventsVector()) addCapped(vv, it, d, delta, dn2, v.cap());
                    c[it] = c[it] + v.bs() * ivLr * (g - ivBiasReg * c[it] - v.anchorBias() * (c[it] - c0[it]));
                    retriever.update(it, vv, it * d, c[it]);
                }
                for (int k = 0; k < v.negatives(); k++) {
                    // the item side of the user's sampled negatives: each moves by −η·g_j·u (vector part capped like the
                    // positive's), g_j the BPR gradient scale of that pair with the user's vector before the step
                    int jt = negItem[k];
                    float gj = negGrad[k] * conf * uw;
                    if (jt < 0 || gj == 0f) continue;
                    float[] u = fb.userRetrievalVector(), vv = m.retrievalVectors(), c = m.retrievalBiases();
                    double dn2 = 0;
                    for (int q = 0; q < d; q++) {
                        delta[q] = v.vs() * ivLr * (-gj * u[q] - ivReg * vv[jt * d + q]);
                        dn2 += delta[q] * delta[q];
                    }
                    addCapped(vv, jt, d, delta, dn2, v.cap());
                    c[jt] = c[jt] + v.bs() * ivLr * (-gj - ivBiasReg * c[jt]);
                    retriever.update(jt, vv, jt * d, c[jt]);
                }
                if (v.features() || v.popularity()) {
                    // the ranker's item features: the learned biases (feat) and/or training + online events (pop)
                    RecommenderModel orig = sl.model();
                    FeatureSpec.encodeItem(m.movie(it), m.popularity(it) + (v.popularity() ? online[it] : 0),
                            v.features() ? m.ratingBiases()[it] : orig.ratingBiases()[it],
                            v.features() ? m.retrievalBiases()[it] : orig.retrievalBiases()[it],
                            m.itemFeatures(), it * FeatureSpec.ITEM_SIZE);
                }
            }
        }
        double[] wHr = new double[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) wHr[w] = (double) wHits[w] / Math.max(1, wEvents[w]);
        return new Outcome((double) hits / events.size(), errors.rmse(), wHr, (double) busyHits / Math.max(1, busyEvents),
                (double) (hits - busyHits) / Math.max(1, events.size() - busyEvents), hitEvents, events.size());
    }

    /** Adds {@code delta} (squared norm {@code dn2}) to row {@code row} of {@code vv}, scaled down to norm {@code cap} when longer (cap 0: none). */
    static void addCapped(float[] vv, int row, int d, float[] delta, double dn2, float cap) {
        float clip = cap > 0 && dn2 > cap * cap ? (float) (cap / Math.sqrt(dn2)) : 1f;
        for (int k = 0; k < d; k++) vv[row * d + k] += clip * delta[k];
    }

    /**
     * The {@code count} negatives the user step samples for this event ({@link OnlineLearner#negative}: the first
     * {@code count} of its draws), each with the BPR gradient scale of
     * (positive, negative) against the user's retrieval vector before the step (the user step moves u between its
     * negatives; the item side here uses the vector before all of them, as the positive's feedback does). Index −1
     * where no step is made (an unknown movie, a draw equal to the positive).
     */
    static void sampleNegatives(int count, long userId, long eventsBefore, int pos, UserState s, RecommenderModel m,
                                OnlineLearner learner, float rating, float completion, int[] trainedItems, int[] negItem,
                                float[] negGrad) {
        java.util.Arrays.fill(negItem, -1);
        if (pos < 0 || !m.trained(pos) || trainedItems.length < 2) return;
        int d = m.dim();
        float[] u = s.retrievalVector(), vv = m.retrievalVectors(), c = m.retrievalBiases();
        float w = Float.isNaN(rating) ? learner.watchWeight(completion) : 1f;
        float itemWeight = m.online().itemWeight(eventsBefore);
        for (int k = 0; k < count; k++) {
            int neg = learner.negative(userId, eventsBefore, k);
            if (neg == pos) continue;
            float sp = io.streamrec.core.learn.ImplicitMf.score(u, 0, vv, pos * d, c[pos], d);
            float sn = io.streamrec.core.learn.ImplicitMf.score(u, 0, vv, neg * d, c[neg], d);
            negItem[k] = neg;
            negGrad[k] = io.streamrec.core.learn.ImplicitMf.bprGradient(sp, sn, w) * itemWeight;
        }
    }

    /** What makes a user's list: the served pipeline, or {@link ItemSourcePipeline}. */
    interface ListSource {
        int recommend(UserState user, int k, int[] itemsOut, float[] scoresOut);
    }

    static void fill(int[] list, ListSource pipeline, UserState s, int[] top, float[] scores, RecommenderModel m) {
        int n = pipeline.recommend(s, K, top, scores);
        list[0] = n;
        for (int r = 0; r < n; r++) list[r + 1] = m.items().movieId(top[r]);
    }

    static int rankOf(int[] list, int movieId) {
        for (int r = 0; r < list[0]; r++) if (list[r + 1] == movieId) return r;
        return -1;
    }
}
