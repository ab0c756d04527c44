package io.streamrec.bench;

import java.util.Arrays;

/** The CPU-time harnesses' summary of their rounds: the median, which one disturbed round does not move. */
final class Median {
    private Median() {}

    /** The median of {@code xs} (the upper one of an even count); {@code xs} is not changed. */
    static double of(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
