package io.streamrec.core.rank;

import io.streamrec.core.simd.FloatKernels;

import java.util.SplittableRandom;

/**
 * A fully connected network: ReLU hidden layers, a linear output layer (raw scores/logits).
 * Layer l maps sizes[l] inputs to sizes[l+1] outputs with weights stored row-major as
 * [out][in] in one flat array, the layout the ONNX exporter transposes into a Gemm.
 * Hand-written rather than a framework: it is small, it is what ONNX Runtime replaces at
 * serving time, and float[] loops (the forward pass on the project's SIMD kernels) train it on
 * ml-latest-small's 36,558 examples in about 2 s (8 epochs, early stop) on one core.
 */
public final class Mlp {
    private final int[] sizes;
    // Public because the trainer (another module) updates them in place with its optimiser; serving only reads them.
    public final float[][] weights;
    public final float[][] biases;

    public Mlp(int[] sizes, float[][] weights, float[][] biases) {
        if (sizes.length < 2) throw new IllegalArgumentException("need at least an input and an output size");
        this.sizes = sizes.clone();
        this.weights = weights;
        this.biases = biases;
        for (int l = 0; l < layers(); l++) {
            if (weights[l].length != sizes[l] * sizes[l + 1] || biases[l].length != sizes[l + 1]) {
                throw new IllegalArgumentException("layer " + l + " shape does not match sizes");
            }
        }
    }

    /** He-initialised weights, zero biases. */
    public static Mlp initialise(int[] sizes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] w = new float[sizes.length - 1][];
        float[][] b = new float[sizes.length - 1][];
        for (int l = 0; l < sizes.length - 1; l++) {
            int in = sizes[l], out = sizes[l + 1];
            w[l] = new float[in * out];
            b[l] = new float[out];
            double std = Math.sqrt(2.0 / in);
            for (int i = 0; i < w[l].length; i++) w[l][i] = (float) (gaussian(rnd) * std);
        }
        return new Mlp(sizes, w, b);
    }

    static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble(), u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    public int layers() {
        return sizes.length - 1;
    }

    public int size(int layer) {
        return sizes[layer];
    }

    public int inputSize() {
        return sizes[0];
    }

    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    public int[] sizes() {
        return sizes.clone();
    }

    /** Copy of layer l's weights, row-major [out][in]. */
    public float[] weights(int layer) {
        return weights[layer].clone();
    }

    public float[] biases(int layer) {
        return biases[layer].clone();
    }

    public Mlp copy() {
        float[][] w = new float[layers()][], b = new float[layers()][];
        for (int l = 0; l < layers(); l++) {
            w[l] = weights[l].clone();
            b[l] = biases[l].clone();
        }
        return new Mlp(sizes, w, b);
    }

    /**
     * A copy whose output {@code o} is multiplied by {@code factor} (its row of the last layer's
     * weights and its bias scaled; the output layer is linear, so this is exact).
     */
    public Mlp withOutputScaled(int o, float factor) {
        Mlp m = copy();
        int last = layers() - 1, in = sizes[last];
        for (int i = 0; i < in; i++) m.weights[last][o * in + i] *= factor;
        m.biases[last][o] *= factor;
        return m;
    }

    /** Per-thread buffers for the forward pass, so scoring allocates nothing. */
    public Workspace newWorkspace() {
        return new Workspace(sizes);
    }

    /** Forward pass of one input row at {@code x[xOff..]}; outputs written to {@code out[outOff..]}. */
    public void forward(float[] x, int xOff, float[] out, int outOff, Workspace ws) {
        float[] in = x;
        int inOff = xOff;
        for (int l = 0; l < layers(); l++) {
            boolean last = l == layers() - 1;
            float[] dst = last ? out : ws.activations[l + 1];
            int dstOff = last ? outOff : 0;
            layer(l, in, inOff, dst, dstOff, ws.preActivations[l + 1], !last);
            in = dst;
            inOff = dstOff;
        }
    }

    /**
     * z = W·x + b into pre, and ReLU(z) (or z for the output layer) into dst. W·x + b is
     * {@link FloatKernels#blockScores} (SIMD with the Vector API, four rows per pass over x): the trainer's online
     * tuning and evaluation replays score every candidate of every list with this, and the scalar loop (a float sum C2
     * may not reorder) was 88% of a small {@code train}'s CPU (JFR).
     */
    public void layer(int l, float[] x, int xOff, float[] dst, int dstOff, float[] pre, boolean relu) {
        int in = sizes[l], out = sizes[l + 1];
        FloatKernels.blockScores(x, xOff, weights[l], biases[l], 0, out, in, pre);
        for (int o = 0; o < out; o++) dst[dstOff + o] = relu ? Math.max(0f, pre[o]) : pre[o];
    }

    public static final class Workspace {
        public final float[][] activations;
        public final float[][] preActivations;

        Workspace(int[] sizes) {
            activations = new float[sizes.length][];
            preActivations = new float[sizes.length][];
            for (int l = 0; l < sizes.length; l++) {
                activations[l] = new float[sizes[l]];
                preActivations[l] = new float[sizes[l]];
            }
        }
    }
}
