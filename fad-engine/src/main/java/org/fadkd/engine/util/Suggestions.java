package org.fadkd.engine.util;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Nearest-name suggestions for error messages ("Did you mean 'kd'?"), shared by config composition
 * and component lookup so that every message suggests names the same way.
 *
 * <p>Distances are optimal-string-alignment Damerau-Levenshtein distances, ignoring case: a swapped
 * pair of letters ({@code minst}/{@code mnist}) counts as one edit. A candidate is only suggested
 * when it is close enough to be a plausible typo, or when it starts with what was typed ({@code
 * resnet} for {@code resnet50}). Ties go to the alphabetically first candidate, so messages are
 * deterministic.
 */
public final class Suggestions {
    private Suggestions() {}

    /**
     * Returns the candidate nearest to {@code given}, if one is close enough to be a plausible
     * typo.
     *
     * @param given what the user wrote, never null
     * @param candidates the valid names, never null
     * @return the suggestion, or empty when nothing is close
     */
    public static Optional<String> nearest(String given, Collection<String> candidates) {
        requireNonNull(given, "given is null");
        requireNonNull(candidates, "candidates is null");
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(candidates)) {
            if (candidate.equals(given)) {
                continue;
            }
            int distance = distance(given, candidate);
            if (distance <= threshold(given) && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null && given.length() >= 3) {
            String lower = given.toLowerCase(Locale.ROOT);
            best =
                    candidates.stream()
                            .filter(candidate -> !candidate.equals(given))
                            .filter(
                                    candidate ->
                                            candidate.toLowerCase(Locale.ROOT).startsWith(lower))
                            .min(
                                    Comparator.comparingInt(String::length)
                                            .thenComparing(Comparator.naturalOrder()))
                            .orElse(null);
        }
        return Optional.ofNullable(best);
    }

    /**
     * Returns the config path nearest to {@code givenPath}. The whole path is compared first
     * ({@code trainer.epoch} suggests {@code trainer.epochs}); failing that, the last segment is
     * compared with the last segments of every path, so a key put under the wrong parent or given
     * without one ({@code temperature}) suggests where it lives ({@code method.temperature}).
     *
     * @param givenPath a HOCON path expression as the user wrote it, never null
     * @param paths the existing paths, as {@link ConfigUtil#joinPath} writes them, never null
     * @return the suggestion, or empty when nothing is close
     */
    public static Optional<String> nearestPath(String givenPath, Collection<String> paths) {
        Optional<String> whole = nearest(givenPath, paths);
        if (whole.isPresent()) {
            return whole;
        }
        String last = lastSegment(givenPath);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String path : new TreeSet<>(paths)) {
            if (path.equals(givenPath)) {
                continue;
            }
            int distance = distance(last, lastSegment(path));
            // Among equally near paths the shortest is the likeliest intent.
            if (distance <= threshold(last)
                    && (distance < bestDistance
                            || (distance == bestDistance && path.length() < best.length()))) {
                best = path;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Formats a suggestion for appending to a sentence that ends with a period.
     *
     * @param given what the user wrote, never null
     * @param candidates the valid names, never null
     * @return {@code " Did you mean 'x'?"} with a leading space, or the empty string when nothing
     *     is close
     */
    public static String didYouMean(String given, Collection<String> candidates) {
        return format(nearest(given, candidates));
    }

    /**
     * Formats a suggestion for appending to a sentence that ends with a period.
     *
     * @param suggestion the suggested name, or empty
     * @return {@code " Did you mean 'x'?"} with a leading space, or the empty string
     */
    public static String format(Optional<String> suggestion) {
        return suggestion.map(name -> " Did you mean '" + name + "'?").orElse("");
    }

    /**
     * Returns the optimal-string-alignment distance between two strings, ignoring case: the number
     * of insertions, deletions, substitutions and swaps of adjacent characters that turn one into
     * the other.
     *
     * @param a a string, never null
     * @param b another string, never null
     * @return the distance, at least 0
     */
    public static int distance(String a, String b) {
        String s = a.toLowerCase(Locale.ROOT);
        String t = b.toLowerCase(Locale.ROOT);
        int[][] d = new int[s.length() + 1][t.length() + 1];
        for (int i = 0; i <= s.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= t.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            for (int j = 1; j <= t.length(); j++) {
                int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
                int value =
                        Math.min(
                                Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1
                        && j > 1
                        && s.charAt(i - 1) == t.charAt(j - 2)
                        && s.charAt(i - 2) == t.charAt(j - 1)) {
                    value = Math.min(value, d[i - 2][j - 2] + 1);
                }
                d[i][j] = value;
            }
        }
        return d[s.length()][t.length()];
    }

    // One edit per three characters, at least one and at most four: "kdd" -> "kd", but not "ab" ->
    // "kd".
    private static int threshold(String given) {
        return Math.max(1, Math.min(4, given.length() / 3));
    }

    private static String lastSegment(String path) {
        try {
            List<String> segments = ConfigUtil.splitPath(path);
            return segments.get(segments.size() - 1);
        } catch (ConfigException e) {
            int dot = path.lastIndexOf('.');
            return dot < 0 ? path : path.substring(dot + 1);
        }
    }
}
