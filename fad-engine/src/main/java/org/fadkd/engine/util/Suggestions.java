package org.fadkd.engine.util;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean" for names typed by users: the closest candidate by edit distance. */
public final class Suggestions {
    private Suggestions() {}

    /**
     * Returns the candidate closest to {@code typed}, if it is close enough to be a plausible typo:
     * at most a third of the typed length in edits (at least 1, at most 4). For dotted config paths
     * the last segment is compared too, so {@code method.temprature} finds {@code
     * method.temperature} even among many keys.
     */
    public static Optional<String> closest(String typed, Collection<String> candidates) {
        int limit = Math.max(1, Math.min(4, typed.length() / 3));
        return candidates.stream()
                .filter(candidate -> distance(typed, candidate) <= limit)
                .min(Comparator.comparingInt((String candidate) -> distance(typed, candidate))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /** Formats {@code " Did you mean 'x'?"}, or an empty string when nothing is close. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        return closest(typed, candidates).map(name -> " Did you mean '" + name + "'?").orElse("");
    }

    /** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions). */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
