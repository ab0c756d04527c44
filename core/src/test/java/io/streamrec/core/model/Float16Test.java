package io.streamrec.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every one of the 65,536 halves, and every rounding boundary between two neighbours. */
class Float16Test {

    private static String hex(short h) {
        return String.format("%04x", h & 0xffff);
    }

    @Test
    void everyHalfRoundTripsExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float f = Float16.toFloat(h);
            boolean nan = (bits & 0x7c00) == 0x7c00 && (bits & 0x03ff) != 0;
            if (nan) {
                assertTrue(Float.isNaN(f), hex(h));
                assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f))), hex(h));
            } else {
                assertEquals(bits, Float16.fromFloat(f) & 0xffff, hex(h));
            }
        }
    }

    @Test
    void knownValues() {
        assertEquals(0x3c00, Float16.fromFloat(1f) & 0xffff);
        assertEquals(0xc000, Float16.fromFloat(-2f) & 0xffff);
        assertEquals(0x7bff, Float16.fromFloat(65504f) & 0xffff);
        assertEquals(0x0001, Float16.fromFloat(0x1.0p-24f) & 0xffff, "smallest subnormal");
        assertEquals(0x0400, Float16.fromFloat(0x1.0p-14f) & 0xffff, "smallest normal");
        assertEquals(0x3555, Float16.fromFloat(1f / 3) & 0xffff);
        assertEquals(0x8000, Float16.fromFloat(-0f) & 0xffff);
        assertEquals(0x7c00, Float16.fromFloat(Float.POSITIVE_INFINITY) & 0xffff);
        assertEquals(0xfc00, Float16.fromFloat(Float.NEGATIVE_INFINITY) & 0xffff);
        assertTrue(Float.isNaN(Float16.round(Float.NaN)));
        assertEquals(1f / 3, Float16.round(1f / 3), 0x1.0p-12f);
    }

    /**
     * Between each pair of neighbouring positive finite halves a and b, the midpoint (a float exactly) goes to the
     * one with an even significand, anything above it to b and anything below to a — the IEEE rule, checked at every
     * boundary of the format, subnormals included; negative values mirror it.
     */
    @Test
    void roundsToNearestTiesToEvenAtEveryBoundary() {
        for (int a = 0; a < 0x7bff; a++) {
            int b = a + 1;
            float fa = Float16.toFloat((short) a), fb = Float16.toFloat((short) b);
            float mid = (fa + fb) / 2; // exact: a half has 11 significant bits, a float 24
            int even = (a & 1) == 0 ? a : b;
            assertEquals(even, Float16.fromFloat(mid) & 0xffff, "tie between " + hex((short) a) + " and " + hex((short) b));
            assertEquals(b, Float16.fromFloat(Math.nextUp(mid)) & 0xffff, "just above the tie " + hex((short) a));
            assertEquals(a, Float16.fromFloat(Math.nextDown(mid)) & 0xffff, "just below the tie " + hex((short) a));
            assertEquals(a | 0x8000, Float16.fromFloat(-Math.nextDown(mid)) & 0xffff, "negative " + hex((short) a));
        }
    }

    @Test
    void beyondTheRangeSaturatesAndTinyValuesGoToZero() {
        assertEquals(0x7bff, Float16.fromFloat(65519.99f) & 0xffff);
        assertEquals(0x7bff, Float16.fromFloat(65520f) & 0xffff, "IEEE would give infinity: saturated");
        assertEquals(0xfbff, Float16.fromFloat(-1e30f) & 0xffff);
        assertEquals(0x0000, Float16.fromFloat(0x1.0p-25f) & 0xffff, "the tie below the smallest subnormal goes to even zero");
        assertEquals(0x0001, Float16.fromFloat(Math.nextUp(0x1.0p-25f)) & 0xffff);
        assertEquals(0x8000, Float16.fromFloat(-Float.MIN_VALUE) & 0xffff);
    }

    @Test
    void randomFloatsGoToTheNearestHalf() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float f = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-6, 5)));
            if (Math.abs(f) >= 65504f) continue;
            float h = Float16.round(f);
            int bits = Float16.fromFloat(f) & 0xffff, magnitude = bits & 0x7fff;
            for (int neighbour : new int[] {magnitude - 1, magnitude + 1}) {
                if (neighbour < 0 || neighbour > 0x7bff) continue;
                float other = Float16.toFloat((short) ((bits & 0x8000) | neighbour));
                assertTrue(Math.abs(h - f) <= Math.abs(other - f), f + " -> " + h + " but " + other + " is nearer");
            }
        }
    }
}
