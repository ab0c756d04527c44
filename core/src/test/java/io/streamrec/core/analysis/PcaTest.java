package io.streamrec.core.analysis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PcaTest {
    @Test
    void pointsOnALineProjectOntoThatLine() {
        // (1,1), (2,2), (3,3) centred at (2,2): the first axis is (1,1)/√2, coordinates -√2, 0, √2
        float[] rows = {1, 1, 2, 2, 3, 3};
        double[] p = Pca.project(rows, 3, 2, 1);
        assertArrayEquals(new double[]{-Math.sqrt(2), 0, Math.sqrt(2)}, p, 1e-9);
    }

    @Test
    void secondComponentIsTheRemainingSpread() {
        // spread 3 along x, 1 along y: first coordinate is x - mean, second is y - mean
        float[] rows = {-3, 0, 3, 0, 0, -1, 0, 1};
        double[] p = Pca.project(rows, 4, 2, 2);
        assertArrayEquals(new double[]{-3, 0, 3, 0, 0, -1, 0, 1}, p, 1e-9);
    }

    @Test
    void badShapesNameTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> Pca.project(new float[5], 2, 3, 2));
        assertTrue(e.getMessage().startsWith("rows:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pca.project(new float[6], 2, 3, 4));
        assertTrue(e.getMessage().startsWith("components:"), e.getMessage());
    }
}
