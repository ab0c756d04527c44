package io.streamrec.app.config;

import java.util.Locale;

/**
 * The known key nearest to a misspelt one. Hand-written (a bounded Levenshtein distance, a dozen lines) rather than
 * a dependency such as commons-text for one start-up check.
 */
final class DidYouMean {
    /** Suggestions are at most this many single-character edits away. */
    static final int MAX_DISTANCE = 2;

    private DidYouMean() {
    }

    /** The first of {@code known} nearest to {@code key} within {@link #MAX_DISTANCE} edits, or {@code null}. */
    static String closest(String key, Iterable<String> known) {
        String lower = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : known) {
            int d = editDistance(lower, candidate, bestDistance);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance of {@code a} and {@code b}, or {@code limit} if it is at least that. */
    static int editDistance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return Math.min(prev[b.length()], limit);
    }
}
