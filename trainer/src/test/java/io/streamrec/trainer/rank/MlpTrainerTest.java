package io.streamrec.trainer.rank;

import io.streamrec.core.rank.Mlp;

import io.streamrec.trainer.train.EpochListener;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MlpTrainerTest {
    private static final HeadLoss[] BOTH = {HeadLoss.LOGISTIC, HeadLoss.SQUARED};

    /** sizes {2,2,2}: W1 = [[1,-1],[0.5,2]], b1 = [0,-1]; W2 = [[1,-0.5],[0.5,0.5]], b2 = [0.25, 0]. */
    private static Mlp handNet() {
        return new Mlp(new int[] {2, 2, 2},
                new float[][] {{1f, -1f, 0.5f, 2f}, {1f, -0.5f, 0.5f, 0.5f}},
                new float[][] {{0f, -1f}, {0.25f, 0f}});
    }

    @Test
    void forwardByHand() {
        Mlp m = handNet();
        float[] out = new float[3];
        // x = (2, 1): hidden pre = (2 - 1, 1 + 2 - 1) = (1, 2) -> relu (1, 2)
        //   z0 = 1 - 1 + 0.25 = 0.25 ; z1 = 0.5 + 1 = 1.5
        m.forward(new float[] {2, 1}, 0, out, 1, m.newWorkspace());
        assertArrayEquals(new float[] {0f, 0.25f, 1.5f}, out, 1e-6f);
        // x = (1, 2): hidden pre = (-1, 0.5 + 4 - 1) = (-1, 3.5) -> relu (0, 3.5)
        //   z0 = -1.75 + 0.25 = -1.5 ; z1 = 1.75  (output layer is linear: negative allowed)
        m.forward(new float[] {9, 1, 2}, 1, out, 0, m.newWorkspace());
        assertEquals(-1.5f, out[0], 1e-6f);
        assertEquals(1.75f, out[1], 1e-6f);
    }

    @Test
    void scalingOneOutputLeavesTheOtherAndTheOriginal() {
        Mlp m = handNet();
        Mlp off = m.withOutputScaled(1, 0f), half = m.withOutputScaled(1, 0.5f);
        float[] out = new float[2];
        off.forward(new float[] {2, 1}, 0, out, 0, off.newWorkspace());
        assertArrayEquals(new float[] {0.25f, 0f}, out, 1e-6f);
        half.forward(new float[] {2, 1}, 0, out, 0, half.newWorkspace());
        assertArrayEquals(new float[] {0.25f, 0.75f}, out, 1e-6f);
        m.forward(new float[] {2, 1}, 0, out, 0, m.newWorkspace());
        assertArrayEquals(new float[] {0.25f, 1.5f}, out, 1e-6f);
    }

    @Test
    void evaluateByHandWithWeightsAndOffsets() {
        // row 1: x = (2,1), z = (0.25, 1.5), y = (1, 2), w = (1, 1), b = (0, 0.5)
        //   logistic: softplus(0.25) - 1·0.25 = 0.8259394 - 0.25 = 0.5759394
        //   squared : (1.5 + 0.5 - 2)² = 0
        // row 2: x = (1,2), z = (-1.5, 1.75), y = (0, 1), w = (2, 0), b = (0.5, 0)
        //   logistic: softplus(-1.5 + 0.5) - 0 = ln(1 + e^-1) = 0.3132617, weight 2
        //   squared : weight 0, ignored
        // per head: (0.5759394 + 2·0.3132617) / 3 = 0.4008209 ; 0 / 1 = 0
        // total   : (0.5759394 + 0.6265234 + 0) / 4 = 0.3006157
        Examples ex = new Examples(2, 2, 2, new float[] {2, 1, 1, 2}, new float[] {1, 2, 0, 1},
                new float[] {1, 1, 2, 0}, new float[] {0, 0.5f, 0.5f, 0});
        double[] perHead = new double[2];
        double loss = new MlpTrainer(BOTH, MlpTrainer.Options.defaults()).evaluate(handNet(), ex, perHead);
        assertEquals(0.3006157, loss, 1e-6);
        assertEquals(0.4008209, perHead[0], 1e-6);
        assertEquals(0.0, perHead[1], 1e-9);
    }

    @Test
    void evaluateWithNoWeightIsNaN() {
        Examples ex = new Examples(2, 2, 1, new float[] {2, 1}, new float[] {1, 2}, new float[] {1, 0}, new float[2]);
        double[] perHead = new double[2];
        new MlpTrainer(BOTH, MlpTrainer.Options.defaults()).evaluate(handNet(), ex, perHead);
        assertTrue(Double.isNaN(perHead[1]), "a head no example speaks about has no loss");
        assertFalse(Double.isNaN(perHead[0]));
    }

    // ---- gradient check through the public API ---------------------------------------------

    /** Double-precision forward of the network with the given (flattened) parameters. */
    private static double[] forward(int[] sizes, double[][] w, double[][] b, float[] x, int xOff) {
        double[] a = new double[sizes[0]];
        for (int i = 0; i < a.length; i++) a[i] = x[xOff + i];
        for (int l = 0; l < sizes.length - 1; l++) {
            int in = sizes[l], out = sizes[l + 1];
            double[] next = new double[out];
            for (int o = 0; o < out; o++) {
                double z = b[l][o];
                for (int i = 0; i < in; i++) z += w[l][o * in + i] * a[i];
                next[o] = l < sizes.length - 2 ? Math.max(0, z) : z;
            }
            a = next;
        }
        return a;
    }

    /**
     * The objective the trainer descends, per the documented heads: the batch mean of
     * Σ_o w·ℓ_o with ℓ = softplus(z) − t·z for LOGISTIC and ½(z − t)² for SQUARED (the SQUARED
     * gradient is documented as halved), where z = raw output + offset.
     */
    private static double objective(int[] sizes, double[][] w, double[][] b, Examples ex, HeadLoss[] heads) {
        double sum = 0;
        int out = heads.length;
        for (int r = 0; r < ex.rows(); r++) {
            double[] z = forward(sizes, w, b, ex.x(), r * ex.inputSize());
            for (int o = 0; o < out; o++) {
                double wt = ex.w()[r * out + o];
                if (wt == 0) continue;
                double zz = z[o] + ex.b()[r * out + o], t = ex.y()[r * out + o];
                double l = heads[o] == HeadLoss.SQUARED ? 0.5 * (zz - t) * (zz - t)
                        : (zz > 0 ? zz + Math.log1p(Math.exp(-zz)) : Math.log1p(Math.exp(zz))) - t * zz;
                sum += wt * l;
            }
        }
        return sum / ex.rows();
    }

    private static double[][] toDouble(float[][] a) {
        double[][] d = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            d[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) d[i][j] = a[i][j];
        }
        return d;
    }

    /**
     * AdamW's first step moves every parameter by −lr·ĝ/(|ĝ| + 1e-8) (bias-corrected moments
     * are ĝ and ĝ²). Scaling all example weights by ω so that |ĝ| is about 1e-8 makes that step
     * proportional to the gradient rather than its sign, so one epoch over one batch exposes the
     * trainer's back-propagated gradient, which is compared with central finite differences.
     */
    @Test
    void backpropagationMatchesFiniteDifferences() {
        int[] sizes = {3, 4, 2};
        int rows = 8;
        SplittableRandom rnd = new SplittableRandom(11);
        Mlp init = Mlp.initialise(sizes, 5);
        float[][] w0 = new float[init.layers()][], b0 = new float[init.layers()][];
        for (int l = 0; l < init.layers(); l++) {
            w0[l] = init.weights(l);
            b0[l] = new float[sizes[l + 1]];
            for (int o = 0; o < b0[l].length; o++) b0[l][o] = (float) (0.3 * rnd.nextGaussian());
        }
        init = new Mlp(sizes, w0, b0);

        float[] x = new float[rows * 3], y = new float[rows * 2], mask = new float[rows * 2], off = new float[rows * 2];
        float[] choices = {0f, 0.5f, 1f, 2f};
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        for (int r = 0; r < rows; r++) {
            y[2 * r] = rnd.nextBoolean() ? 1f : 0f;
            y[2 * r + 1] = (float) rnd.nextGaussian();
            off[2 * r] = (float) (0.5 * rnd.nextGaussian());
            off[2 * r + 1] = (float) (0.5 * rnd.nextGaussian());
            mask[2 * r] = choices[rnd.nextInt(4)];
            mask[2 * r + 1] = choices[rnd.nextInt(4)];
        }
        Examples unit = new Examples(3, 2, rows, x, y, mask, off);

        // finite-difference gradient of the objective, in double
        double[][] w = toDouble(w0), b = toDouble(b0);
        List<double[]> params = new ArrayList<>();
        for (int l = 0; l < init.layers(); l++) {
            params.add(w[l]);
            params.add(b[l]);
        }
        double h = 1e-5;
        List<double[]> fd = new ArrayList<>();
        double maxAbs = 0;
        for (double[] p : params) {
            double[] g = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                double keep = p[i];
                p[i] = keep + h;
                double plus = objective(sizes, w, b, unit, BOTH);
                p[i] = keep - h;
                double minus = objective(sizes, w, b, unit, BOTH);
                p[i] = keep;
                g[i] = (plus - minus) / (2 * h);
                maxAbs = Math.max(maxAbs, Math.abs(g[i]));
            }
            fd.add(g);
        }
        assertTrue(maxAbs > 0.01, "a non-trivial gradient");

        double omega = 1e-8 / maxAbs;
        float[] scaled = new float[mask.length];
        for (int i = 0; i < mask.length; i++) scaled[i] = (float) (mask[i] * omega);
        Examples tiny = new Examples(3, 2, rows, x, y, scaled, off);
        float lr = 0.01f;
        MlpTrainer trainer = new MlpTrainer(BOTH, new MlpTrainer.Options(1, rows, lr, 0f, 1, 3L));
        Mlp after = trainer.train(init, tiny, tiny, "test", EpochListener.NONE).best();

        int k = 0, checked = 0;
        for (int l = 0; l < init.layers(); l++) {
            float[][] before = {init.weights(l), init.biases(l)};
            float[][] now = {after.weights(l), after.biases(l)};
            for (int part = 0; part < 2; part++, k++) {
                double[] g = fd.get(k);
                for (int i = 0; i < g.length; i++) {
                    double gs = omega * g[i];
                    double expected = gs / (Math.abs(gs) + 1e-8);        // in [-0.5, 0.5]
                    double actual = -((double) now[part][i] - before[part][i]) / lr;
                    assertEquals(expected, actual, 2e-4,
                            "layer " + l + (part == 0 ? " weight " : " bias ") + i + " fd=" + g[i]);
                    if (Math.abs(expected) > 0.05) checked++;
                }
            }
        }
        assertTrue(checked >= 10, "enough parameters with a sizeable gradient: " + checked);
    }

    // ---- learning ---------------------------------------------------------------------------

    @Test
    void learnsALinearRegressionExactly() {
        // y = 2·x1 - x2 + 0.5 with a single linear layer
        SplittableRandom rnd = new SplittableRandom(1);
        int rows = 200;
        float[] x = new float[rows * 2], y = new float[rows], w = new float[rows], b = new float[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = (float) rnd.nextGaussian();
            x[2 * r + 1] = (float) rnd.nextGaussian();
            y[r] = 2 * x[2 * r] - x[2 * r + 1] + 0.5f;
            w[r] = 1f;
        }
        Examples ex = new Examples(2, 1, rows, x, y, w, b);
        MlpTrainer trainer = new MlpTrainer(new HeadLoss[] {HeadLoss.SQUARED},
                new MlpTrainer.Options(300, 20, 0.02f, 0f, 300, 7L));
        MlpTrainer.Result res = trainer.train(Mlp.initialise(new int[] {2, 1}, 3), ex, ex, "test", EpochListener.NONE);
        double loss = trainer.evaluate(res.best(), ex, new double[1]);
        assertTrue(loss < 1e-4, "loss " + loss);
        assertArrayEquals(new float[] {2f, -1f}, res.best().weights(0), 0.02f);
        assertEquals(0.5f, res.best().biases(0)[0], 0.02f);
    }

    private static Examples quadrants(int rows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[rows * 2], y = new float[rows], w = new float[rows], b = new float[rows];
        for (int r = 0; r < rows; r++) {
            float a = (float) rnd.nextDouble(-1, 1), c = (float) rnd.nextDouble(-1, 1);
            x[2 * r] = a;
            x[2 * r + 1] = c;
            y[r] = a * c > 0 ? 1f : 0f; // XOR of the signs
            w[r] = 1f;
        }
        return new Examples(2, 1, rows, x, y, w, b);
    }

    @Test
    void learnsXorOfSigns() {
        Examples train = quadrants(512, 1), val = quadrants(256, 2);
        MlpTrainer trainer = new MlpTrainer(new HeadLoss[] {HeadLoss.LOGISTIC},
                new MlpTrainer.Options(200, 32, 0.01f, 1e-4f, 20, 42L));
        Mlp init = Mlp.initialise(new int[] {2, 16, 1}, 9);
        double initialLoss = trainer.evaluate(init, val, new double[1]);
        MlpTrainer.Result res = trainer.train(init, train, val, "test", EpochListener.NONE);
        double finalLoss = trainer.evaluate(res.best(), val, new double[1]);
        assertTrue(finalLoss < 0.25, "validation loss " + finalLoss);
        assertTrue(finalLoss < initialLoss / 2, initialLoss + " -> " + finalLoss);

        // classify points away from the axes
        Mlp.Workspace ws = res.best().newWorkspace();
        float[] out = new float[1];
        int correct = 0, total = 0;
        for (float a : new float[] {-0.8f, -0.5f, -0.3f, 0.3f, 0.5f, 0.8f}) {
            for (float c : new float[] {-0.8f, -0.5f, -0.3f, 0.3f, 0.5f, 0.8f}) {
                res.best().forward(new float[] {a, c}, 0, out, 0, ws);
                if ((out[0] > 0) == (a * c > 0)) correct++;
                total++;
            }
        }
        assertTrue(correct >= total - 1, correct + "/" + total);
    }

    @Test
    void offsetsMakeTheNetworkLearnOnlyTheCorrection() {
        // target y = 3x + 1, base model (offset) 3x: the network only has to learn the +1
        SplittableRandom rnd = new SplittableRandom(4);
        int rows = 100;
        float[] x = new float[rows], y = new float[rows], w = new float[rows], b = new float[rows];
        for (int r = 0; r < rows; r++) {
            x[r] = (float) rnd.nextGaussian();
            y[r] = 3 * x[r] + 1;
            b[r] = 3 * x[r];
            w[r] = 1f;
        }
        Examples ex = new Examples(1, 1, rows, x, y, w, b);
        MlpTrainer trainer = new MlpTrainer(new HeadLoss[] {HeadLoss.SQUARED}, new MlpTrainer.Options(300, 10, 0.02f, 0f, 300, 1L));
        Mlp net = new Mlp(new int[] {1, 1}, new float[][] {{0.7f}}, new float[][] {{0f}});
        Mlp best = trainer.train(net, ex, ex, "test", EpochListener.NONE).best();
        assertEquals(0f, best.weights(0)[0], 0.02f, "the slope is already in the base model");
        assertEquals(1f, best.biases(0)[0], 0.02f);
    }

    @Test
    void offsetsEqualToTheTargetsLeaveTheRawOutputSquared() {
        // SQUARED with b = y: loss = (z + y - y)² = z², the loss of the raw outputs against 0
        Mlp net = Mlp.initialise(new int[] {3, 4, 1}, 12);
        SplittableRandom rnd = new SplittableRandom(6);
        int rows = 20;
        float[] x = new float[rows * 3], y = new float[rows], w = new float[rows], zeros = new float[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        for (int r = 0; r < rows; r++) {
            y[r] = (float) (3 * rnd.nextGaussian());
            w[r] = 1f;
        }
        MlpTrainer trainer = new MlpTrainer(new HeadLoss[] {HeadLoss.SQUARED}, MlpTrainer.Options.defaults());
        double withOffsets = trainer.evaluate(net, new Examples(3, 1, rows, x, y, w, y), new double[1]);
        double raw = trainer.evaluate(net, new Examples(3, 1, rows, x, zeros, w, zeros), new double[1]);
        double byHand = 0, againstTargets = 0;
        float[] out = new float[1];
        Mlp.Workspace ws = net.newWorkspace();
        for (int r = 0; r < rows; r++) {
            net.forward(x, r * 3, out, 0, ws);
            byHand += (double) out[0] * out[0];
            againstTargets += ((double) out[0] - y[r]) * ((double) out[0] - y[r]);
        }
        assertEquals(raw, withOffsets, 1e-5);
        assertEquals(byHand / rows, raw, 1e-9);
        assertTrue(raw > 0.01);
        // without offsets the same outputs are scored against the targets: a different loss
        double noOffsets = trainer.evaluate(net, new Examples(3, 1, rows, x, y, w, zeros), new double[1]);
        assertEquals(againstTargets / rows, noOffsets, 1e-6);
        assertTrue(Math.abs(noOffsets - withOffsets) > 0.1, noOffsets + " vs " + withOffsets);
    }

    @Test
    void aZeroNetworkOnPerfectOffsetsStaysPut() {
        // base model already perfect: zero loss, zero gradient, nothing to learn
        float[] x = {1, 2, 3, -1}, y = {0.5f, -2f, 4f, 1f}, w = {1, 1, 1, 1};
        Examples ex = new Examples(1, 1, 4, x, y, w, y.clone());
        Mlp zero = new Mlp(new int[] {1, 3, 1}, new float[][] {new float[3], new float[3]}, new float[][] {new float[3], new float[1]});
        MlpTrainer trainer = new MlpTrainer(new HeadLoss[] {HeadLoss.SQUARED}, new MlpTrainer.Options(5, 2, 0.1f, 0f, 5, 1L));
        MlpTrainer.Result res = trainer.train(zero, ex, ex, "test", EpochListener.NONE);
        assertEquals(0.0, trainer.evaluate(res.best(), ex, new double[1]), 0.0);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(zero.weights(l), res.best().weights(l), 0f);
            assertArrayEquals(zero.biases(l), res.best().biases(l), 0f);
        }
    }

    @Test
    void trainingReducesTheLossOnAFixedDataset() {
        Examples ex = twoHeadData(300, 8);
        MlpTrainer trainer = new MlpTrainer(BOTH, new MlpTrainer.Options(15, 32, 3e-3f, 1e-4f, 15, 5L));
        Mlp init = Mlp.initialise(new int[] {4, 8, 2}, 2);
        double before = trainer.evaluate(init, ex, new double[2]);
        MlpTrainer.Result res = trainer.train(init, ex, ex, "test", EpochListener.NONE);
        double after = trainer.evaluate(res.best(), ex, new double[2]);
        assertTrue(after < 0.7 * before, before + " -> " + after);
        List<MlpTrainer.EpochLoss> h = res.history();
        assertTrue(h.get(h.size() - 1).train() < h.get(0).train());
    }

    private static Examples twoHeadData(int rows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[rows * 4], y = new float[rows * 2], w = new float[rows * 2], b = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < 4; i++) x[r * 4 + i] = (float) rnd.nextGaussian();
            y[2 * r] = x[r * 4] + x[r * 4 + 1] > 0 ? 1f : 0f;
            y[2 * r + 1] = x[r * 4 + 2] - 0.5f * x[r * 4 + 3];
            w[2 * r] = 1f;
            w[2 * r + 1] = 1f;
        }
        return new Examples(4, 2, rows, x, y, w, b);
    }

    @Test
    void anOutputWithZeroWeightEverywhereIsNotTrained() {
        Examples full = twoHeadData(100, 3);
        float[] w = full.w().clone();
        for (int r = 0; r < full.rows(); r++) w[2 * r + 1] = 0f; // no example speaks about head 1
        Examples ex = new Examples(4, 2, full.rows(), full.x(), full.y(), w, full.b());
        MlpTrainer trainer = new MlpTrainer(BOTH, new MlpTrainer.Options(5, 16, 1e-2f, 0f, 5, 1L));
        Mlp init = Mlp.initialise(new int[] {4, 8, 2}, 2);
        Mlp best = trainer.train(init, ex, ex, "test", EpochListener.NONE).best();
        float[] w1 = init.weights(1), w1b = best.weights(1);
        // last layer row 1 (the rating head) = weights [8..16), bias 1: untouched
        assertArrayEquals(Arrays.copyOfRange(w1, 8, 16), Arrays.copyOfRange(w1b, 8, 16), 0f);
        assertEquals(init.biases(1)[1], best.biases(1)[1], 0f);
        // while row 0 did learn
        assertFalse(Arrays.equals(Arrays.copyOfRange(w1, 0, 8), Arrays.copyOfRange(w1b, 0, 8)));
    }

    @Test
    void weightDecayShrinksWeightsButNotBiases() {
        // head 1 has no weight anywhere, so its output row gets a zero gradient; AdamW then only
        // applies the decoupled decay p ← p − lr·wd·p to its weights, once per mini-batch step,
        // and leaves its bias alone
        Examples full = twoHeadData(100, 3);
        float[] w = full.w().clone();
        for (int r = 0; r < full.rows(); r++) w[2 * r + 1] = 0f;
        Examples ex = new Examples(4, 2, full.rows(), full.x(), full.y(), w, full.b());
        float lr = 1e-2f, wd = 0.5f;
        MlpTrainer trainer = new MlpTrainer(BOTH, new MlpTrainer.Options(3, 16, lr, wd, 3, 1L));
        float[][] biases = {new float[8], {0.3f, -0.7f}};
        Mlp init = new Mlp(new int[] {4, 8, 2}, new float[][] {Mlp.initialise(new int[] {4, 8, 2}, 2).weights(0),
                Mlp.initialise(new int[] {4, 8, 2}, 2).weights(1)}, biases);
        MlpTrainer.Result res = trainer.train(init, ex, ex, "test", EpochListener.NONE);
        int steps = res.bestEpoch() * 7; // ceil(100 / 16) = 7 mini-batches per epoch
        float[] expected = Arrays.copyOfRange(init.weights(1), 8, 16);
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < expected.length; i++) expected[i] -= lr * (0f + wd * expected[i]);
        }
        assertArrayEquals(expected, Arrays.copyOfRange(res.best().weights(1), 8, 16), 1e-6f);
        assertTrue(Math.abs(expected[0]) < Math.abs(init.weights(1)[8]), "decay did shrink");
        assertEquals(-0.7f, res.best().biases(1)[1], 0f, "biases are not decayed");
    }

    @Test
    void deterministicAndDoesNotMutateTheInitialNetwork() {
        Examples ex = twoHeadData(100, 3);
        Mlp init = Mlp.initialise(new int[] {4, 8, 2}, 2);
        Mlp copy = init.copy();
        MlpTrainer.Options o = new MlpTrainer.Options(4, 16, 1e-2f, 1e-3f, 4, 99L);
        Mlp a = new MlpTrainer(BOTH, o).train(init, ex, ex, "test", EpochListener.NONE).best();
        Mlp b = new MlpTrainer(BOTH, o).train(init, ex, ex, "test", EpochListener.NONE).best();
        for (int l = 0; l < init.layers(); l++) {
            assertArrayEquals(a.weights(l), b.weights(l), 0f);
            assertArrayEquals(a.biases(l), b.biases(l), 0f);
            assertArrayEquals(copy.weights(l), init.weights(l), 0f);
            assertArrayEquals(copy.biases(l), init.biases(l), 0f);
        }
        // another shuffling seed gives another result
        Mlp c = new MlpTrainer(BOTH, new MlpTrainer.Options(4, 16, 1e-2f, 1e-3f, 4, 100L)).train(init, ex, ex, "test", EpochListener.NONE).best();
        assertFalse(Arrays.equals(a.weights(0), c.weights(0)));
    }

    @Test
    void keepsTheBestEpochAndStopsEarly() {
        // validation labels are the opposite of training labels: validation loss gets worse as
        // the network learns, so training stops `patience` epochs after the best
        Examples train = quadrants(256, 1);
        float[] flipped = train.y().clone();
        for (int i = 0; i < flipped.length; i++) flipped[i] = 1f - flipped[i];
        Examples val = new Examples(2, 1, train.rows(), train.x(), flipped, train.w(), train.b());
        int patience = 3, maxEpochs = 50;
        MlpTrainer trainer = new MlpTrainer(new HeadLoss[] {HeadLoss.LOGISTIC},
                new MlpTrainer.Options(maxEpochs, 16, 0.01f, 0f, patience, 1L));
        List<Integer> seen = new ArrayList<>();
        MlpTrainer.Result res = trainer.train(Mlp.initialise(new int[] {2, 16, 1}, 9), train, val, "test",
                (phase, epoch, max, trainLoss, validationLoss) -> {
                    seen.add(epoch);
                    assertEquals(maxEpochs, max);
                });
        List<MlpTrainer.EpochLoss> h = res.history();
        assertTrue(h.size() < maxEpochs, "stopped early after " + h.size());
        assertEquals(res.bestEpoch() + patience, h.size());
        assertEquals(h.size(), seen.size());
        for (int e = 0; e < h.size(); e++) assertEquals(e + 1, h.get(e).epoch());
        double min = h.stream().mapToDouble(MlpTrainer.EpochLoss::validation).min().orElseThrow();
        assertEquals(min, h.get(res.bestEpoch() - 1).validation(), 0.0);
        assertEquals(min, trainer.evaluate(res.best(), val, new double[1]), 1e-12, "the best weights are returned");
        assertNotEquals(h.get(h.size() - 1).validation(), min);
    }

    @Test
    void shapeMismatchIsRejected() {
        Examples ex = twoHeadData(10, 1);
        MlpTrainer trainer = new MlpTrainer(BOTH, MlpTrainer.Options.defaults());
        assertThrows(IllegalArgumentException.class, () -> trainer.train(Mlp.initialise(new int[] {3, 2}, 1), ex, ex, "test", EpochListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> trainer.train(Mlp.initialise(new int[] {4, 3}, 1), ex, ex, "test", EpochListener.NONE));
        MlpTrainer oneHead = new MlpTrainer(new HeadLoss[] {HeadLoss.SQUARED}, MlpTrainer.Options.defaults());
        assertThrows(IllegalArgumentException.class, () -> oneHead.train(Mlp.initialise(new int[] {4, 2}, 1), ex, ex, "test", EpochListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> new Examples(4, 2, 10, new float[39], new float[20], new float[20], new float[20]));
    }
}
