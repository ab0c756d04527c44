package io.streamrec.core.rank;

import io.streamrec.core.features.FeatureSpec;

/** The ranking network's forward pass in Java: the reference the ONNX export is checked against. */
public final class RankerNetwork implements Ranker {
    private final FeatureSpec spec;
    private final Mlp mlp;
    private final Mlp.Workspace ws;
    private final float[] row;

    public RankerNetwork(FeatureSpec spec, Mlp mlp) {
        if (mlp.inputSize() != spec.inputSize()) {
            throw new IllegalArgumentException("network input " + mlp.inputSize() + " != feature spec input " + spec.inputSize());
        }
        this.spec = spec;
        this.mlp = mlp;
        this.ws = mlp.newWorkspace();
        this.row = new float[spec.inputSize()];
    }

    public FeatureSpec spec() {
        return spec;
    }

    public Mlp mlp() {
        return mlp;
    }

    @Override
    public void score(int rows, float[] user, float[] item, float[] itemFeatures, float[] userFeatures,
                      float[] pairFeatures, float[] out) {
        int d = spec.dim();
        for (int r = 0; r < rows; r++) {
            spec.assemble(user, r * d, item, r * d, itemFeatures, r * FeatureSpec.ITEM_SIZE,
                    userFeatures, r * FeatureSpec.USER_SIZE, pairFeatures, r * FeatureSpec.PAIR_SIZE, row, 0);
            mlp.forward(row, 0, out, r * mlp.outputSize(), ws);
        }
    }
}
