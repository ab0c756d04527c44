package io.streamrec.core.model;

/**
 * IEEE 754 binary16 ("half") conversions: how a user's vectors are stored (the state store and its changelog,
 * {@code UserStateSerde} version 5), and the rounding the streaming protocol applies so that it serves exactly what the
 * app serves ({@link UserState#roundVectorsToStored()}).
 *
 * <p>Hand-written because the project builds for Java 17: {@code Float.floatToFloat16} / {@code float16ToFloat}
 * arrived in Java 20. This is the same algorithm (round to nearest, ties to even; subnormals kept), on the hot path of
 * every state read and write (a few hundred values per event). One difference, safe by default: a finite value beyond
 * the half range ({@code |x| ≥ 65520}) saturates to ±{@value #MAX} instead of becoming infinite, so a vector that grew
 * too large still scores as a number. NaN and the infinities stay what they are.
 */
public final class Float16 {
    /** The largest finite half, 65504. */
    public static final float MAX = 65504f;

    private Float16() {}

    /** The half nearest {@code f} (ties to even) as its 16 bits; see the class comment for values out of range. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        short sign = (short) ((bits >>> 16) & 0x8000);
        int abs = bits & 0x7fff_ffff;
        if (abs >= 0x3880_0000 && abs < 0x477f_f000) {
            // the common case, a normal half that does not round up to infinity: re-bias the exponent (127 → 15) and
            // round the 13 dropped bits to nearest, ties to even (adding 0xfff plus the kept lsb carries exactly when
            // the dropped part is above half, or half with an odd lsb; a carry out of the significand bumps the exponent)
            return (short) (sign | ((abs + 0xfff + ((abs >>> 13) & 1) - 0x3800_0000) >>> 13));
        }
        if (f != f) return (short) (sign | 0x7e00 | ((bits & 0x007f_e000) >>> 13)); // NaN, kept quiet
        float magnitude = Math.abs(f);
        if (magnitude == Float.POSITIVE_INFINITY) return (short) (sign | 0x7c00);
        if (magnitude >= 65520f) return (short) (sign | 0x7bff); // would round to infinity: saturate
        if (magnitude <= 0x1.0p-25f) return sign; // half of the smallest subnormal or less: zero (the tie goes to even 0)
        int exp = Math.getExponent(f);
        int shift = 13;
        int significand = bits & 0x007f_ffff;
        if (exp < -14) { // a subnormal half: the implicit bit becomes explicit and the rest shifts right
            shift += -14 - exp;
            exp = -15;
            significand |= 0x0080_0000;
        }
        int half = significand >>> shift;
        int lsb = significand & (1 << shift);
        int round = significand & (1 << (shift - 1));
        int sticky = significand & ((1 << (shift - 1)) - 1);
        if (round != 0 && (lsb | sticky) != 0) half++; // a carry moves into the exponent, as it should
        return (short) (sign | (((exp + 15) << 10) + half));
    }

    /** The float of half bits {@code h} (exact: every half is a float). */
    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        if (exp != 0 && exp != 0x1f) return Float.intBitsToFloat(sign | (((bits & 0x7fff) << 13) + 0x3800_0000)); // normal
        int significand = bits & 0x03ff;
        if (exp == 0) {
            float magnitude = 0x1.0p-24f * significand; // zero or subnormal: exact
            return sign != 0 ? -magnitude : magnitude;
        }
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f80_0000 | (significand << 13)); // infinity or NaN
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (significand << 13));
    }

    /** {@code f} rounded to the nearest half, as a float: what storing and reading it back gives. */
    public static float round(float f) {
        return toFloat(fromFloat(f));
    }

    /** Rounds every value of {@code v} in place ({@link #round}). */
    public static void roundInPlace(float[] v) {
        for (int i = 0; i < v.length; i++) v[i] = round(v[i]);
    }
}
