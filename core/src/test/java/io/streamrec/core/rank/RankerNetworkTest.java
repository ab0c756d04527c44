package io.streamrec.core.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamrec.core.features.FeatureSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankerNetworkTest {

    @Test
    void scoresEachRowAsTheMlpOnTheAssembledInput() {
        int dim = 3, rows = 5;
        FeatureSpec spec = new FeatureSpec(dim);
        Mlp mlp = Mlp.initialise(new int[] {spec.inputSize(), 8, Ranker.OUTPUTS}, 4);
        RankerNetwork net = new RankerNetwork(spec, mlp);
        SplittableRandom rnd = new SplittableRandom(2);
        float[] user = fill(rnd, rows * dim), item = fill(rnd, rows * dim);
        float[] itf = fill(rnd, rows * FeatureSpec.ITEM_SIZE), uf = fill(rnd, rows * FeatureSpec.USER_SIZE);
        float[] pf = fill(rnd, rows * FeatureSpec.PAIR_SIZE);
        float[] out = new float[rows * Ranker.OUTPUTS];
        net.score(rows, user, item, itf, uf, pf, out);

        for (int r = 0; r < rows; r++) {
            // build the row by hand in the documented order [u | v | u∘v | item | user | pair]
            float[] row = new float[spec.inputSize()];
            int k = 0;
            for (int f = 0; f < dim; f++) row[k++] = user[r * dim + f];
            for (int f = 0; f < dim; f++) row[k++] = item[r * dim + f];
            for (int f = 0; f < dim; f++) row[k++] = user[r * dim + f] * item[r * dim + f];
            for (int f = 0; f < FeatureSpec.ITEM_SIZE; f++) row[k++] = itf[r * FeatureSpec.ITEM_SIZE + f];
            for (int f = 0; f < FeatureSpec.USER_SIZE; f++) row[k++] = uf[r * FeatureSpec.USER_SIZE + f];
            for (int f = 0; f < FeatureSpec.PAIR_SIZE; f++) row[k++] = pf[r * FeatureSpec.PAIR_SIZE + f];
            assertEquals(spec.inputSize(), k);
            float[] expected = new float[2];
            mlp.forward(row, 0, expected, 0, mlp.newWorkspace());
            assertArrayEquals(expected, new float[] {out[2 * r], out[2 * r + 1]}, 0f, "row " + r);
        }
    }

    private static float[] fill(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    @Test
    void inputSizeMustMatchTheSpec() {
        FeatureSpec spec = new FeatureSpec(2);
        assertThrows(IllegalArgumentException.class,
                () -> new RankerNetwork(spec, Mlp.initialise(new int[] {spec.inputSize() + 1, 2}, 1)));
    }
}
