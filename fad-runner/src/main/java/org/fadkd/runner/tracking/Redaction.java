package org.fadkd.runner.tracking;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the user info ({@code user:password@}) of every URL in a text, so that a tracking URI
 * such as {@code http://ada:secret@mlflow.example:5000} can be printed and written to files: the
 * console, {@code config.conf}, {@code overrides.txt}, {@code multirun.conf}, the spool. The
 * credentials stay usable for the HTTP calls through {@link TrackingSettings}, which reads them
 * before anything is redacted.
 *
 * <p>A redacted URL keeps its shape, {@code http://***@mlflow.example:5000}, and stays a valid
 * URI: read back from a {@code config.conf} (by {@code --resume} or {@code runner sync}), its
 * {@code ***} user info is recognised and ignored, and the credentials then come from {@code
 * MLFLOW_TRACKING_USERNAME} and {@code MLFLOW_TRACKING_PASSWORD} (or {@code MLFLOW_TRACKING_TOKEN}).
 */
public final class Redaction {
    /** What takes the place of a URL's user info. */
    public static final String USER_INFO = "***";

    /**
     * The user-info part of a URL, {@code scheme://user:password@}: up to the last {@code @} before
     * the path, so that a password holding an unescaped {@code @} goes too.
     */
    private static final Pattern URL_USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\\s\"']+@");

    private Redaction() {}

    /**
     * The text with the user info of every URL in it replaced by {@link #USER_INFO}: {@code
     * http://user:pass@host:5000/x} becomes {@code http://***@host:5000/x}, {@code
     * tracking.uri=https://u@h} becomes {@code tracking.uri=https://***@h}. Text without URLs, and
     * null, come back unchanged.
     */
    public static String redact(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        return URL_USER_INFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(USER_INFO) + "@");
    }

    /** Whether a URI's raw user info is the mark {@link #redact} leaves, not credentials. */
    static boolean isRedactedUserInfo(String rawUserInfo) {
        return USER_INFO.equals(rawUserInfo) || "%2A%2A%2A".equalsIgnoreCase(rawUserInfo);
    }
}
