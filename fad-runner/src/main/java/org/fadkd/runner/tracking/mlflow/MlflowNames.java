package org.fadkd.runner.tracking.mlflow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MLflow's rules for keys and values, as a 2.17 server enforces them (see the fixtures): keys of
 * params, metrics and tags hold only letters, digits, {@code _ - . / : } and spaces, must be a
 * normalised relative path and at most 250 characters, or the whole request fails; param values
 * over 6000 and tag values over 8000 characters are cut silently by the server. Here keys are made
 * valid the same way every time (so a key is named identically in every job of a sweep) and long
 * values are cut with a visible marker.
 *
 * <p>And FAD's own rules, so that MLflow's compare views line up: param keys are config paths
 * separated by {@code .} ({@link #paramKey}), metric keys group by {@code /}, and each quantity
 * has one name ({@link #isTrackedSummaryMetric}).
 */
public final class MlflowNames {
    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    public static final int MAX_TAG_VALUE_LENGTH = 8000;

    private static final Pattern INVALID_KEY_CHARACTERS = Pattern.compile("[^A-Za-z0-9_\\-. /:]");
    /**
     * Numbers of a job's summary that are not sent as metrics because another key already holds
     * the quantity: resident memory is {@code system/process_rss_megabytes}, sampled through the
     * run (they stay in {@code summary.json}).
     */
    private static final Set<String> UNTRACKED_SUMMARY_METRICS = Set.of("rss_mb_epoch1", "rss_mb_last_epoch");

    private MlflowNames() {}

    /**
     * A valid MLflow key for {@code key}: other characters become {@code _}, empty path segments
     * (leading, trailing or doubled {@code /}) are dropped and {@code .} or {@code ..} segments become
     * {@code _}; a key still over 250 characters keeps its start and ends in a hash of the whole.
     */
    public static String key(String key) {
        String cleaned = INVALID_KEY_CHARACTERS.matcher(key).replaceAll("_");
        List<String> segments = new ArrayList<>();
        for (String segment : cleaned.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            segments.add(segment.equals(".") || segment.equals("..") ? "_" : segment);
        }
        String valid = segments.isEmpty() ? "_" : String.join("/", segments);
        if (valid.length() <= MAX_KEY_LENGTH) {
            return valid;
        }
        String hash = "-" + sha256(key).substring(0, 8);
        return valid.substring(0, MAX_KEY_LENGTH - hash.length()) + hash;
    }

    /**
     * A valid MLflow key for a param: like {@link #key}, with every {@code /} written {@code .},
     * as every other param is a {@code .}-separated config path (the engine logs a few, such as
     * {@code measurement/device}, with {@code /}).
     */
    public static String paramKey(String key) {
        return key(key.replace('/', '.'));
    }

    /** Whether a number of a job's summary is sent as a metric (see {@link #UNTRACKED_SUMMARY_METRICS}). */
    public static boolean isTrackedSummaryMetric(String key) {
        return !UNTRACKED_SUMMARY_METRICS.contains(key);
    }

    /** A param value MLflow keeps whole; longer ones end in a marker saying how long they were. */
    public static String paramValue(String value) {
        return cut(value, MAX_PARAM_VALUE_LENGTH);
    }

    /** A tag value MLflow keeps whole; longer ones end in a marker saying how long they were. */
    public static String tagValue(String value) {
        return cut(value, MAX_TAG_VALUE_LENGTH);
    }

    private static String cut(String value, int limit) {
        if (value.length() <= limit) {
            return value;
        }
        // Deterministic, so that the same long value logged again is the same param, not a conflict.
        String marker = "...[cut from " + value.length() + " characters]";
        return value.substring(0, limit - marker.length()) + marker;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
