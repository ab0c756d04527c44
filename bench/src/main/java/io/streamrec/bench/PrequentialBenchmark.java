package io.streamrec.bench;

import io.streamrec.core.events.RatingScale;
import io.streamrec.model.GeneratedModel;
import io.streamrec.core.learn.BiasedMf;
import io.streamrec.core.learn.ImplicitMf;
import io.streamrec.core.learn.OnlineConfig;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.learn.SgdParams;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import io.streamrec.trainer.data.DataSource;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.train.Indexed;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Prequential (test-then-train) replay: events in (timestamp, line) order, each one first
 * predicted, then learned. One benchmark operation is one event, so the score is events/s; the
 * stream is replayed in a loop, from nothing at each iteration.
 * <ul>
 *   <li>{@code biasedMf}: the protocol River's online BiasedMF runs (predict μ + b_u + b_i + p_u·q_i,
 *       then one SGD step on both user and item factors and biases; μ a running mean), with the
 *       core's {@link BiasedMf} functions — the like-for-like comparison.</li>
 *   <li>{@code biasedMfAndBpr}: what our prequential evaluation's model learns per event: the
 *       above plus BPR steps (the model's negatives) on the retrieval vectors, both sides.</li>
 *   <li>{@code servingLearner}: the streaming app's learner, {@link OnlineLearner#predictRating}
 *       then {@link OnlineLearner#learn} on per-user {@link UserState}s, items fixed.</li>
 * </ul>
 * {@code data} is {@code synthetic} (the trainer's default generated set, ~160k events) or a
 * MovieLens directory, e.g. {@code -p data=../shared/data/ml-latest-small}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class PrequentialBenchmark {
    @Param({"synthetic"})
    String data;

    @Param({"32"})
    int dim;

    int events;
    int[] user, item, movieId;
    float[] rating, completion;
    long[] time;
    int users, items;
    OnlineConfig online;

    // model state, reset at each iteration
    float[] bu, bi, p, q, u, v, c;
    double ratingSum;
    long ratingN;
    SplittableRandom rnd;
    int next;

    RecommenderModel servingModel;
    OnlineLearner learner;
    UserState[] states;

    @Setup(Level.Trial)
    public void load() {
        Dataset d = DataSource.load("synthetic".equals(data) ? null : Path.of(data));
        Indexed idx = Indexed.of(d);
        Interactions ev = d.events().sortedByTime();
        events = ev.size();
        users = idx.userCount();
        items = idx.itemCount();
        user = new int[events];
        item = new int[events];
        movieId = new int[events];
        rating = new float[events];
        completion = new float[events];
        time = new long[events];
        for (int e = 0; e < events; e++) {
            user[e] = idx.user(ev.userId(e));
            item[e] = idx.item(ev.movieId(e));
            movieId[e] = item[e] + 1; // the generated serving model's ids are 1..items
            rating[e] = ev.rating(e);
            completion[e] = ev.completion(e);
            time[e] = ev.timestamp(e);
        }
        online = OnlineConfig.defaults();
        servingModel = GeneratedModel.model(items, dim, 42);
        learner = new OnlineLearner(servingModel);
    }

    @Setup(Level.Iteration)
    public void reset() {
        rnd = new SplittableRandom(42);
        bu = new float[users];
        bi = new float[items];
        p = gaussian(users * dim);
        q = gaussian(items * dim);
        u = gaussian(users * dim);
        v = gaussian(items * dim);
        c = new float[items];
        ratingSum = 0;
        ratingN = 0;
        next = 0;
        states = new UserState[users];
        for (int k = 0; k < users; k++) states[k] = new UserState(dim, online.seenCapacity());
    }

    private float[] gaussian(int n) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) a[k] = (float) (rnd.nextGaussian() * 0.05);
        return a;
    }

    private int nextEvent() {
        int e = next;
        next = e + 1 == events ? 0 : e + 1;
        return e;
    }

    /** Predicts then learns the rating model; returns the prediction (NaN for a watch). */
    private float rateStep(int e) {
        float r = rating[e];
        if (Float.isNaN(r)) return r;
        int us = user[e], it = item[e], d = dim;
        float mu = ratingN == 0 ? 3.5f : (float) (ratingSum / ratingN);
        float raw = BiasedMf.predict(mu, bu[us], bi[it], p, us * d, q, it * d, d);
        float pred = RatingScale.clip(raw);
        SgdParams rs = online.rating();
        float err = r - raw;
        bu[us] = BiasedMf.biasStep(err, bu[us], rs);
        bi[it] = BiasedMf.biasStep(err, bi[it], rs);
        BiasedMf.factorStep(err, p, us * d, q, it * d, d, rs);
        ratingSum += r;
        ratingN++;
        return pred;
    }

    @Benchmark
    public float biasedMf() {
        return rateStep(nextEvent());
    }

    @Benchmark
    public float biasedMfAndBpr() {
        int e = nextEvent();
        float pred = rateStep(e);
        int us = user[e], it = item[e], d = dim;
        float w = Float.isNaN(rating[e]) ? Math.max(online.minWatchWeight(), completion[e]) : 1f;
        for (int n = 0; n < online.negatives(); n++) {
            int neg = rnd.nextInt(items);
            if (neg == it) continue;
            float g = ImplicitMf.bprGradient(ImplicitMf.score(u, us * d, v, it * d, c[it], d),
                    ImplicitMf.score(u, us * d, v, neg * d, c[neg], d), w);
            ImplicitMf.jointStep(g, u, us * d, v, it, neg, c, d, online.retrieval());
        }
        return pred;
    }

    @Benchmark
    public float servingLearner() {
        int e = nextEvent();
        UserState s = states[user[e]];
        float pred = Float.isNaN(rating[e]) ? Float.NaN : learner.predictRating(s, item[e]);
        learner.learn(user[e], s, movieId[e], item[e], rating[e], completion[e], time[e]);
        return pred;
    }
}
