package io.streamrec.trainer.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeadLossTest {

    @Test
    void squaredByHand() {
        // (1.5 - 2)² = 0.25 ; gradient documented as halved: 1.5 - 2 = -0.5
        assertEquals(0.25, HeadLoss.SQUARED.loss(1.5f, 2f), 1e-12);
        assertEquals(-0.5f, HeadLoss.SQUARED.gradient(1.5f, 2f), 0f);
        assertEquals(0.0, HeadLoss.SQUARED.loss(3f, 3f), 0.0);
    }

    @Test
    void logisticByHand() {
        // z = 0: log 2 whatever the target ; gradient σ(0) - t = 0.5 - t
        assertEquals(Math.log(2), HeadLoss.LOGISTIC.loss(0f, 1f), 1e-12);
        assertEquals(Math.log(2), HeadLoss.LOGISTIC.loss(0f, 0f), 1e-12);
        assertEquals(-0.5f, HeadLoss.LOGISTIC.gradient(0f, 1f), 1e-7f);
        assertEquals(0.5f, HeadLoss.LOGISTIC.gradient(0f, 0f), 1e-7f);
        // z = 2, t = 1: log(1 + e^-2) = 0.1269280 ; gradient σ(2) - 1 = -0.1192029
        assertEquals(0.1269280, HeadLoss.LOGISTIC.loss(2f, 1f), 1e-6);
        assertEquals(-0.1192029f, HeadLoss.LOGISTIC.gradient(2f, 1f), 1e-6f);
        // z = 2, t = 0: log(1 + e^2) = 2.1269280
        assertEquals(2.1269280, HeadLoss.LOGISTIC.loss(2f, 0f), 1e-6);
    }

    @Test
    void logisticIsStableForLargeLogits() {
        assertEquals(1000.0, HeadLoss.LOGISTIC.loss(1000f, 0f), 1e-9);
        assertEquals(0.0, HeadLoss.LOGISTIC.loss(1000f, 1f), 1e-9);
        assertEquals(0.0, HeadLoss.LOGISTIC.loss(-1000f, 0f), 1e-9);
        assertEquals(1000.0, HeadLoss.LOGISTIC.loss(-1000f, 1f), 1e-9);
        assertEquals(1f, HeadLoss.LOGISTIC.gradient(1000f, 0f), 0f);
        assertEquals(-1f, HeadLoss.LOGISTIC.gradient(-1000f, 1f), 0f);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        double h = 1e-3;
        for (float z = -4f; z <= 4f; z += 0.37f) {
            for (float t : new float[] {0f, 1f, 0.3f}) {
                double fdLog = (HeadLoss.LOGISTIC.loss((float) (z + h), t) - HeadLoss.LOGISTIC.loss((float) (z - h), t)) / (2 * h);
                assertEquals(fdLog, HeadLoss.LOGISTIC.gradient(z, t), 1e-3, "z=" + z + " t=" + t);
                double fdSq = (HeadLoss.SQUARED.loss((float) (z + h), t) - HeadLoss.SQUARED.loss((float) (z - h), t)) / (2 * h);
                assertEquals(fdSq / 2, HeadLoss.SQUARED.gradient(z, t), 1e-3, "halved, z=" + z + " t=" + t);
            }
        }
        assertTrue(HeadLoss.LOGISTIC.loss(0f, 1f) > HeadLoss.LOGISTIC.loss(1f, 1f));
    }
}
