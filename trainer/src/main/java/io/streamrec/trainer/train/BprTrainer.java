package io.streamrec.trainer.train;

import io.streamrec.core.learn.ImplicitMf;
import io.streamrec.core.learn.SgdParams;

import java.util.SplittableRandom;

/**
 * Batch BPR for the retrieval embeddings: each positive is contrasted with uniformly sampled
 * trained items. Uniform negatives make the item bias learn popularity, the prior that serves
 * users with no history yet.
 */
public final class BprTrainer {
    private BprTrainer() {}

    public record Params(int dim, int epochs, float learningRate, float reg, float biasReg, int negatives, long seed) {
        public static Params defaults(int dim) {
            return new Params(dim, 30, 0.05f, 0.01f, 0.0f, 4, 42L);
        }

        public Params withEpochs(int e) {
            return new Params(dim, e, learningRate, reg, biasReg, negatives, seed);
        }
    }

    public record Model(int dim, float[] u, float[] v, float[] bias, boolean[] itemTrained) {
        public float score(int user, int item) {
            return ImplicitMf.score(u, user * dim, v, item * dim, bias[item], dim);
        }
    }

    public static Model train(Positives data, int users, int items, Params params, EpochListener listener) {
        int d = params.dim();
        SplittableRandom rnd = new SplittableRandom(params.seed());
        float[] u = new float[users * d], v = new float[items * d], bias = new float[items];
        for (int i = 0; i < u.length; i++) u[i] = (float) (rnd.nextGaussian() * 0.1);
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * 0.1);
        boolean[] trained = new boolean[items];
        for (int it : data.items()) trained[it] = true;
        int[] trainedItems = java.util.stream.IntStream.range(0, items).filter(i -> trained[i]).toArray();
        if (trainedItems.length < 2) return new Model(d, u, v, bias, trained);

        int[] order = MfTrainer.identity(data.size());
        for (int epoch = 1; epoch <= params.epochs(); epoch++) {
            MfTrainer.shuffle(order, rnd);
            // linear decay of the step keeps late epochs from undoing early progress
            float lr = params.learningRate() * (1f - 0.9f * (epoch - 1) / Math.max(1, params.epochs()));
            SgdParams s = new SgdParams(lr, params.reg(), params.biasReg());
            double loss = 0;
            for (int k : order) {
                int user = data.users()[k], pos = data.items()[k];
                float w = data.weights()[k];
                for (int n = 0; n < params.negatives(); n++) {
                    int neg = trainedItems[rnd.nextInt(trainedItems.length)];
                    if (neg == pos) continue;
                    float sp = ImplicitMf.score(u, user * d, v, pos * d, bias[pos], d);
                    float sn = ImplicitMf.score(u, user * d, v, neg * d, bias[neg], d);
                    float g = ImplicitMf.bprGradient(sp, sn, w);
                    loss += Math.log1p(Math.exp(-(sp - sn)));
                    ImplicitMf.jointStep(g, u, user * d, v, pos, neg, bias, d, s);
                }
            }
            listener.epochDone("retrieval BPR", epoch, params.epochs(), loss / Math.max(1, (long) data.size() * params.negatives()), Double.NaN);
        }
        return new Model(d, u, v, bias, trained);
    }
}
