package io.streamrec.core.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The explicit-rating SGD maths against hand-computed 2-d vectors. Shared example:
 * <pre>
 *   mu = 3.5, bu = 0.1, bi = -0.2, p = (0.5, -1), q = (2, 1), r = 4
 *   lr = 0.1, factorReg = 0.05, biasReg = 0.02
 *   p·q  = 0.5·2 + (-1)·1 = 0
 *   r̂    = 3.5 + 0.1 - 0.2 + 0 = 3.4
 *   err  = 4 - 3.4 = 0.6
 * </pre>
 */
class BiasedMfTest {
    private static final float EPS = 1e-6f;
    private static final SgdParams S = new SgdParams(0.1f, 0.05f, 0.02f);
    private static final float MU = 3.5f, BU = 0.1f, BI = -0.2f, ERR = 0.6f;

    private static float[] p() { return new float[] {0.5f, -1f}; }
    private static float[] q() { return new float[] {2f, 1f}; }

    @Test
    void dotAndPredictByHand() {
        assertEquals(0f, BiasedMf.dot(p(), 0, q(), 0, 2), EPS);
        // (1,2,3)·(4,5,6) = 4 + 10 + 18 = 32
        assertEquals(32f, BiasedMf.dot(new float[] {1, 2, 3}, 0, new float[] {4, 5, 6}, 0, 3), EPS);
        assertEquals(3.4f, BiasedMf.predict(MU, BU, BI, p(), 0, q(), 0, 2), EPS);
        // a non-zero dot: p = (1, 2), q = (0.5, 0.25) -> 0.5 + 0.5 = 1 -> 3.4 + 1 = 4.4
        assertEquals(4.4f, BiasedMf.predict(MU, BU, BI, new float[] {1, 2}, 0, new float[] {0.5f, 0.25f}, 0, 2), EPS);
    }

    @Test
    void predictReadsVectorsAtTheirOffsetsInsideAFlatMatrix() {
        // row 1 of a 3 × 2 user matrix and row 2 of a 3 × 2 item matrix
        float[] users = {9, 9, 0.5f, -1f, 9, 9};
        float[] items = {7, 7, 7, 7, 2f, 1f};
        assertEquals(3.4f, BiasedMf.predict(MU, BU, BI, users, 2, items, 4, 2), EPS);
        // dim 1 only reads the first component: 0.5·2 = 1 -> 4.4
        assertEquals(4.4f, BiasedMf.predict(MU, BU, BI, users, 2, items, 4, 1), EPS);
    }

    @Test
    void userStepByHand() {
        // p0 = 0.5 + 0.1·(0.6·2 - 0.05·0.5)  = 0.5 + 0.1·1.175 = 0.6175
        // p1 = -1  + 0.1·(0.6·1 - 0.05·(-1)) = -1 + 0.1·0.65  = -0.935
        // bu = 0.1 + 0.1·(0.6 - 0.02·0.1)     = 0.1 + 0.0598   = 0.1598
        float[] p = p(), q = q();
        float bu = BiasedMf.userStep(ERR, p, 0, BU, q, 0, 2, S);
        assertArrayEquals(new float[] {0.6175f, -0.935f}, p, EPS);
        assertEquals(0.1598f, bu, EPS);
        assertArrayEquals(q(), q, 0f, "the item side is held fixed");
    }

    @Test
    void userStepOnlyTouchesItsOwnRow() {
        float[] users = {9, 9, 0.5f, -1f, 8, 8};
        float[] items = {2f, 1f};
        BiasedMf.userStep(ERR, users, 2, BU, items, 0, 2, S);
        assertArrayEquals(new float[] {9, 9, 0.6175f, -0.935f, 8, 8}, users, EPS);
    }

    @Test
    void itemStepByHand() {
        // q0 = 2  + 0.1·(0.6·0.5    - 0.05·2) = 2 + 0.1·0.2     = 2.02
        // q1 = 1  + 0.1·(0.6·(-1)   - 0.05·1) = 1 + 0.1·(-0.65) = 0.935
        // bi = -0.2 + 0.1·(0.6 - 0.02·(-0.2))  = -0.2 + 0.0604  = -0.1396
        float[] p = p(), q = q();
        float bi = BiasedMf.itemStep(ERR, q, 0, BI, p, 0, 2, S);
        assertArrayEquals(new float[] {2.02f, 0.935f}, q, EPS);
        assertEquals(-0.1396f, bi, EPS);
        assertArrayEquals(p(), p, 0f, "the user side is held fixed");
    }

    @Test
    void factorStepUsesPreStepValuesForBothSides() {
        // Both sides from the values before the step, so the results equal userStep's p and
        // itemStep's q above: p = (0.6175, -0.935), q = (2.02, 0.935).
        // Had q been computed from the already-updated p, q0 would be
        // 2 + 0.1·(0.6·0.6175 - 0.1) = 2.02705, and q1 = 1 + 0.1·(0.6·(-0.935) - 0.05) = 0.93890.
        float[] p = p(), q = q();
        BiasedMf.factorStep(ERR, p, 0, q, 0, 2, S);
        assertArrayEquals(new float[] {0.6175f, -0.935f}, p, EPS);
        assertArrayEquals(new float[] {2.02f, 0.935f}, q, EPS);
    }

    @Test
    void factorStepWithOffsetsInSharedMatrices() {
        float[] users = {5, 5, 0.5f, -1f};
        float[] items = {2f, 1f, 6, 6};
        BiasedMf.factorStep(ERR, users, 2, items, 0, 2, S);
        assertArrayEquals(new float[] {5, 5, 0.6175f, -0.935f}, users, EPS);
        assertArrayEquals(new float[] {2.02f, 0.935f, 6, 6}, items, EPS);
    }

    @Test
    void biasStepByHand() {
        // 0.1 + 0.1·(0.6 - 0.02·0.1) = 0.1598 ; -0.2 + 0.1·(0.6 + 0.004) = -0.1396
        assertEquals(0.1598f, BiasedMf.biasStep(ERR, BU, S), EPS);
        assertEquals(-0.1396f, BiasedMf.biasStep(ERR, BI, S), EPS);
        // the bias uses biasReg, not factorReg: with factorReg it would be 0.1 + 0.1·(0.6 - 0.005) = 0.1595
        assertEquals(0.1598f, BiasedMf.biasStep(ERR, BU, new SgdParams(0.1f, 0.9f, 0.02f)), EPS);
    }

    @Test
    void zeroErrorOnlyShrinks() {
        // err = 0: p ← p·(1 - lr·reg) = p·0.995, bias ← bias·(1 - 0.1·0.02) = bias·0.998
        float[] p = p(), q = q();
        float bu = BiasedMf.userStep(0f, p, 0, BU, q, 0, 2, S);
        assertArrayEquals(new float[] {0.4975f, -0.995f}, p, EPS);
        assertEquals(0.0998f, bu, EPS);
    }

    @Test
    void aStepReducesTheSquaredError() {
        float[] p = p(), q = q();
        float before = 4f - BiasedMf.predict(MU, BU, BI, p, 0, q, 0, 2);
        float bu = BiasedMf.userStep(before, p, 0, BU, q, 0, 2, S);
        float after = 4f - BiasedMf.predict(MU, bu, BI, p, 0, q, 0, 2);
        // r̂ = 3.5 + 0.1598 - 0.2 + (0.6175·2 - 0.935·1) = 3.4598 + 0.3 = 3.7598
        assertEquals(0.2402f, after, EPS);
        assertEquals(true, Math.abs(after) < Math.abs(before));
    }

    @Test
    void sgdParamsRejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> new SgdParams(0f, 0.1f, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> new SgdParams(Float.NaN, 0.1f, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> new SgdParams(0.1f, -0.1f, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> new SgdParams(0.1f, 0.1f, -0.1f));
    }
}
