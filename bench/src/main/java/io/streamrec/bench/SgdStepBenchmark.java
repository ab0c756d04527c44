package io.streamrec.bench;

import io.streamrec.model.GeneratedModel;
import io.streamrec.core.learn.BiasedMf;
import io.streamrec.core.learn.OnlineLearner;
import io.streamrec.core.learn.SgdParams;
import io.streamrec.core.model.RecommenderModel;
import io.streamrec.core.model.UserState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One online step on a user's state, at d = 32, 64, 128: the bare rating-model SGD step
 * ({@link BiasedMf#userStep}), and the whole per-event learning of the serving side
 * ({@link OnlineLearner#predictRating} then {@link OnlineLearner#learn}: rating step, BPR steps
 * against the model's sampled negatives, event counters, seen ring).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class SgdStepBenchmark {
    private static final int ITEMS = 10_000;

    @Param({"32", "64", "128"})
    int dim;

    RecommenderModel model;
    OnlineLearner learner;
    UserState state;
    SgdParams params;
    int[] items;
    float[] ratings;
    int next;

    @Setup
    public void setup() {
        model = GeneratedModel.model(ITEMS, dim, 42);
        learner = new OnlineLearner(model);
        state = new UserState(dim, model.online().seenCapacity());
        params = model.online().rating();
        SplittableRandom rnd = new SplittableRandom(7);
        items = new int[4096];
        ratings = new float[items.length];
        for (int k = 0; k < items.length; k++) {
            items[k] = rnd.nextInt(ITEMS);
            ratings[k] = 0.5f * (1 + rnd.nextInt(10));
        }
    }

    private int nextIndex() {
        int k = next;
        next = (k + 1) & (items.length - 1);
        return k;
    }

    @Benchmark
    public float ratingStep() {
        int k = nextIndex();
        int item = items[k];
        float err = ratings[k] - learner.predictRating(state, item);
        float b = BiasedMf.userStep(err, state.ratingVector(), 0, state.ratingBias(), model.ratingVectors(), item * dim, dim, params);
        state.ratingBias(b);
        return b;
    }

    @Benchmark
    public float predictAndLearn() {
        int k = nextIndex();
        int item = items[k];
        float predicted = learner.predictRating(state, item);
        learner.learn(1L, state, model.items().movieId(item), item, ratings[k], Float.NaN, k);
        return predicted;
    }
}
