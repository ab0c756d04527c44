package io.streamrec.trainer.rank;

import io.streamrec.core.rank.Mlp;

import io.streamrec.trainer.train.EpochListener;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains an {@link Mlp} with AdamW on mini-batches, one loss per output head, and stops early
 * when the validation loss has not improved for {@code patience} epochs (keeping the best
 * weights seen).
 */
public final class MlpTrainer {

    public record Options(int maxEpochs, int batchSize, float learningRate, float weightDecay, int patience, long seed) {
        public static Options defaults() {
            return new Options(30, 256, 1e-3f, 1e-4f, 3, 42L);
        }
    }

    /** Mean weighted loss per head and overall, for one epoch. */
    public record EpochLoss(int epoch, double train, double validation, double[] validationPerHead) {}

    public record Result(Mlp best, List<EpochLoss> history, int bestEpoch) {}

    private final HeadLoss[] heads;
    private final Options options;

    public MlpTrainer(HeadLoss[] heads, Options options) {
        this.heads = heads.clone();
        this.options = options;
    }

    public Result train(Mlp initial, Examples train, Examples validation, String phase, EpochListener listener) {
        if (train.inputSize() != initial.inputSize() || train.outputSize() != heads.length || initial.outputSize() != heads.length) {
            throw new IllegalArgumentException("examples/heads do not match the network shape");
        }
        Mlp model = initial.copy();
        Adam adam = new Adam(model, options);
        Gradients grads = new Gradients(model);
        Mlp.Workspace ws = model.newWorkspace();
        float[][] deltas = new float[model.layers() + 1][];
        for (int l = 0; l <= model.layers(); l++) deltas[l] = new float[model.size(l)];

        SplittableRandom rnd = new SplittableRandom(options.seed());
        int[] order = new int[train.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;

        List<EpochLoss> history = new ArrayList<>();
        Mlp best = model.copy();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0, sinceBest = 0;
        for (int epoch = 1; epoch <= options.maxEpochs(); epoch++) {
            shuffle(order, rnd);
            double trainLoss = 0, trainWeight = 0;
            for (int start = 0; start < order.length; start += options.batchSize()) {
                int end = Math.min(order.length, start + options.batchSize());
                grads.clear();
                for (int k = start; k < end; k++) {
                    double[] lw = backward(model, train, order[k], ws, deltas, grads);
                    trainLoss += lw[0];
                    trainWeight += lw[1];
                }
                adam.step(model, grads, end - start);
            }
            double[] perHead = new double[heads.length];
            double valLoss = evaluate(model, validation, perHead);
            EpochLoss loss = new EpochLoss(epoch, trainLoss / Math.max(1e-12, trainWeight), valLoss, perHead);
            history.add(loss);
            listener.epochDone(phase, loss.epoch(), options.maxEpochs(), loss.train(), loss.validation());
            if (valLoss < bestLoss - 1e-6) {
                bestLoss = valLoss;
                best = model.copy();
                bestEpoch = epoch;
                sinceBest = 0;
            } else if (++sinceBest >= options.patience()) {
                break;
            }
        }
        return new Result(best, history, bestEpoch);
    }

    /** Weighted mean loss over all heads; per-head means written to {@code perHead}. */
    public double evaluate(Mlp model, Examples data, double[] perHead) {
        Mlp.Workspace ws = model.newWorkspace();
        int out = heads.length;
        float[] z = new float[out];
        double[] sum = new double[out], weight = new double[out];
        for (int r = 0; r < data.rows(); r++) {
            model.forward(data.x(), r * data.inputSize(), z, 0, ws);
            for (int o = 0; o < out; o++) {
                float w = data.w()[r * out + o];
                if (w == 0f) continue;
                sum[o] += w * heads[o].loss(z[o] + data.b()[r * out + o], data.y()[r * out + o]);
                weight[o] += w;
            }
        }
        double total = 0, totalWeight = 0;
        for (int o = 0; o < out; o++) {
            perHead[o] = weight[o] == 0 ? Double.NaN : sum[o] / weight[o];
            total += sum[o];
            totalWeight += weight[o];
        }
        return totalWeight == 0 ? Double.NaN : total / totalWeight;
    }

    /** Forward and backward for one row, accumulating into grads; returns {weighted loss, weight}. */
    private double[] backward(Mlp m, Examples data, int row, Mlp.Workspace ws, float[][] deltas, Gradients g) {
        int layers = m.layers(), in0 = m.inputSize(), out = heads.length;
        float[][] a = ws.activations, pre = ws.preActivations;
        System.arraycopy(data.x(), row * in0, a[0], 0, in0);
        for (int l = 0; l < layers; l++) m.layer(l, a[l], 0, a[l + 1], 0, pre[l + 1], l < layers - 1);

        double loss = 0, weight = 0;
        float[] top = deltas[layers];
        for (int o = 0; o < out; o++) {
            float w = data.w()[row * out + o], y = data.y()[row * out + o], z = a[layers][o] + data.b()[row * out + o];
            top[o] = w == 0f ? 0f : w * heads[o].gradient(z, y);
            if (w != 0f) {
                loss += w * heads[o].loss(z, y);
                weight += w;
            }
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = m.size(l), outs = m.size(l + 1);
            float[] w = m.weights[l], gw = g.weights[l], gb = g.biases[l], d = deltas[l + 1], x = a[l];
            for (int o = 0, rowOff = 0; o < outs; o++, rowOff += in) {
                float dv = d[o];
                if (dv == 0f) continue;
                gb[o] += dv;
                for (int i = 0; i < in; i++) gw[rowOff + i] += dv * x[i];
            }
            if (l > 0) {
                float[] prev = deltas[l], z = pre[l];
                for (int i = 0; i < in; i++) prev[i] = 0f;
                for (int o = 0, rowOff = 0; o < outs; o++, rowOff += in) {
                    float dv = d[o];
                    if (dv == 0f) continue;
                    for (int i = 0; i < in; i++) prev[i] += w[rowOff + i] * dv;
                }
                for (int i = 0; i < in; i++) if (z[i] <= 0f) prev[i] = 0f;
            }
        }
        return new double[] {loss, weight};
    }

    private static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
    }

    private static final class Gradients {
        final float[][] weights, biases;

        Gradients(Mlp m) {
            weights = new float[m.layers()][];
            biases = new float[m.layers()][];
            for (int l = 0; l < m.layers(); l++) {
                weights[l] = new float[m.weights[l].length];
                biases[l] = new float[m.biases[l].length];
            }
        }

        void clear() {
            for (float[] w : weights) java.util.Arrays.fill(w, 0f);
            for (float[] b : biases) java.util.Arrays.fill(b, 0f);
        }
    }

    /** AdamW: Adam moments with decoupled weight decay on weights (not biases). */
    private static final class Adam {
        final float[][] mw, vw, mb, vb;
        final Options o;
        int t;

        Adam(Mlp m, Options o) {
            this.o = o;
            mw = new float[m.layers()][];
            vw = new float[m.layers()][];
            mb = new float[m.layers()][];
            vb = new float[m.layers()][];
            for (int l = 0; l < m.layers(); l++) {
                mw[l] = new float[m.weights[l].length];
                vw[l] = new float[m.weights[l].length];
                mb[l] = new float[m.biases[l].length];
                vb[l] = new float[m.biases[l].length];
            }
        }

        void step(Mlp m, Gradients g, int batch) {
            t++;
            float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
            float c1 = (float) (1 - Math.pow(b1, t)), c2 = (float) (1 - Math.pow(b2, t));
            float lr = o.learningRate(), scale = 1f / batch;
            for (int l = 0; l < m.layers(); l++) {
                update(m.weights[l], g.weights[l], mw[l], vw[l], lr, scale, b1, b2, c1, c2, eps, o.weightDecay());
                update(m.biases[l], g.biases[l], mb[l], vb[l], lr, scale, b1, b2, c1, c2, eps, 0f);
            }
        }

        private static void update(float[] p, float[] g, float[] m, float[] v, float lr, float scale,
                                   float b1, float b2, float c1, float c2, float eps, float wd) {
            for (int i = 0; i < p.length; i++) {
                float gi = g[i] * scale;
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                float mh = m[i] / c1, vh = v[i] / c2;
                p[i] -= lr * (mh / ((float) Math.sqrt(vh) + eps) + wd * p[i]);
            }
        }
    }
}
