package io.streamrec.core.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * BPR maths against hand-computed 2-d vectors. Shared example:
 * <pre>
 *   g = 0.5, u = (1, 0), v_pos = item 0 = (1, 2), v_neg = item 1 = (0, 1), item 2 = (3, 3)
 *   lr = 0.1, factorReg = 0.1, biasReg = 0.5, c = (0.2, -0.1, 0.7)
 * </pre>
 */
class ImplicitMfTest {
    private static final float EPS = 1e-6f;
    private static final SgdParams S = new SgdParams(0.1f, 0.1f, 0.5f);

    private static float[] items() { return new float[] {1, 2, 0, 1, 3, 3}; }

    @Test
    void score() {
        // c + u·v = 0.2 + (1·1 + 0·2) = 1.2
        assertEquals(1.2f, ImplicitMf.score(new float[] {1, 0}, 0, items(), 0, 0.2f, 2), EPS);
        // item 2 at offset 4: -0.5 + (2·3 + (-1)·3) = 2.5
        assertEquals(2.5f, ImplicitMf.score(new float[] {2, -1}, 0, items(), 4, -0.5f, 2), EPS);
    }

    @Test
    void bprGradientIsHalfTheWeightAtEqualScores() {
        assertEquals(0.5f, ImplicitMf.bprGradient(0f, 0f, 1f), EPS);
        assertEquals(0.35f, ImplicitMf.bprGradient(2.5f, 2.5f, 0.7f), EPS);
        assertEquals(1.5f, ImplicitMf.bprGradient(-4f, -4f, 3f), EPS);
    }

    @Test
    void bprGradientByHand() {
        // x = 1: 1/(1+e) = 0.2689414 ; x = -1: 1/(1+e^-1) = e/(1+e) = 0.7310586
        assertEquals(0.2689414f, ImplicitMf.bprGradient(1f, 0f, 1f), EPS);
        assertEquals(0.7310586f, ImplicitMf.bprGradient(0f, 1f, 1f), EPS);
        // σ(-x) + σ(x) = 1, scaled by the weight
        assertEquals(2f, ImplicitMf.bprGradient(0.3f, -0.4f, 2f) + ImplicitMf.bprGradient(-0.4f, 0.3f, 2f), EPS);
    }

    @Test
    void bprGradientVanishesForWellSeparatedPairsAndSaturatesAtTheWeight() {
        float g = ImplicitMf.bprGradient(30f, 0f, 1f);
        assertTrue(g >= 0f && g < 1e-12f, "g=" + g);
        assertEquals(0f, ImplicitMf.bprGradient(1000f, -1000f, 1f), 0f, "no overflow to NaN");
        assertEquals(0.8f, ImplicitMf.bprGradient(-30f, 0f, 0.8f), EPS);
        assertEquals(0.8f, ImplicitMf.bprGradient(-1000f, 1000f, 0.8f), EPS);
        assertEquals(0f, ImplicitMf.bprGradient(0f, 0f, 0f), 0f);
    }

    @Test
    void bprGradientDecreasesWithTheMargin() {
        float prev = Float.POSITIVE_INFINITY;
        for (float x = -10f; x <= 10f; x += 0.5f) {
            float g = ImplicitMf.bprGradient(x, 0f, 1f);
            assertTrue(g < prev, "x=" + x);
            prev = g;
        }
    }

    @Test
    void userStepByHand() {
        // u0 = 1 + 0.1·(0.5·(1 - 0) - 0.1·1) = 1 + 0.1·0.4 = 1.04
        // u1 = 0 + 0.1·(0.5·(2 - 1) - 0.1·0) = 0.05
        float[] u = {1, 0}, v = items();
        ImplicitMf.userStep(0.5f, u, 0, v, 0, 2, 2, S);
        assertArrayEquals(new float[] {1.04f, 0.05f}, u, EPS);
        assertArrayEquals(items(), v, 0f, "items are held fixed");
    }

    @Test
    void userStepAtAnOffsetWithTheNegativeBeforeThePositive() {
        // positive = item 2 (3,3), negative = item 0 (1,2), u = (−1, 2) at offset 2
        // u0 = -1 + 0.1·(0.5·(3-1) - 0.1·(-1)) = -1 + 0.1·1.1 = -0.89
        // u1 =  2 + 0.1·(0.5·(3-2) - 0.1·2)    =  2 + 0.1·0.3 = 2.03
        float[] u = {7, 7, -1, 2};
        ImplicitMf.userStep(0.5f, u, 2, items(), 4, 0, 2, S);
        assertArrayEquals(new float[] {7, 7, -0.89f, 2.03f}, u, EPS);
    }

    @Test
    void jointStepByHandUsesPreStepValues() {
        // u'    = (1.04, 0.05) as in userStepByHand
        // vp0 = 1 + 0.1·( 0.5·1 - 0.1·1) = 1.04      vp1 = 2 + 0.1·( 0.5·0 - 0.1·2) = 1.98
        // vn0 = 0 + 0.1·(-0.5·1 - 0.1·0) = -0.05     vn1 = 1 + 0.1·(-0.5·0 - 0.1·1) = 0.99
        // (with the updated u, vp0 would be 1 + 0.1·(0.5·1.04 - 0.1) = 1.042)
        // c_pos = 0.2  + 0.1·( 0.5 - 0.5·0.2)    = 0.2  + 0.04   = 0.24
        // c_neg = -0.1 + 0.1·(-0.5 - 0.5·(-0.1)) = -0.1 - 0.045  = -0.145
        float[] u = {1, 0}, v = items(), c = {0.2f, -0.1f, 0.7f};
        ImplicitMf.jointStep(0.5f, u, 0, v, 0, 1, c, 2, S);
        assertArrayEquals(new float[] {1.04f, 0.05f}, u, EPS);
        assertArrayEquals(new float[] {1.04f, 1.98f, -0.05f, 0.99f, 3f, 3f}, v, EPS);
        assertArrayEquals(new float[] {0.24f, -0.145f, 0.7f}, c, EPS);
    }

    @Test
    void jointStepMovesTheItemBiasesInOppositeDirections() {
        float[] c = {0f, 0f, 0f};
        ImplicitMf.jointStep(0.3f, new float[] {0.5f, 0.5f}, 0, items(), 2, 0, c, 2, S);
        // no regularisation effect at 0: +lr·g and -lr·g
        assertEquals(0.03f, c[2], EPS);
        assertEquals(-0.03f, c[0], EPS);
        assertEquals(0f, c[1], 0f);
    }

    @Test
    void jointStepIncreasesTheMarginForASmallStep() {
        float[] u = {0.3f, -0.2f}, v = items(), c = {0.2f, -0.1f, 0.7f};
        SgdParams small = new SgdParams(0.01f, 0f, 0f);
        float before = ImplicitMf.score(u, 0, v, 0, c[0], 2) - ImplicitMf.score(u, 0, v, 4, c[2], 2);
        float g = ImplicitMf.bprGradient(ImplicitMf.score(u, 0, v, 0, c[0], 2), ImplicitMf.score(u, 0, v, 4, c[2], 2), 1f);
        ImplicitMf.jointStep(g, u, 0, v, 0, 2, c, 2, small);
        float after = ImplicitMf.score(u, 0, v, 0, c[0], 2) - ImplicitMf.score(u, 0, v, 4, c[2], 2);
        assertTrue(after > before, before + " -> " + after);
    }
}
