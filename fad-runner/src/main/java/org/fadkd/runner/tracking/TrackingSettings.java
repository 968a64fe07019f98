package org.fadkd.runner.tracking;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

/**
 * Where tracking goes: the MLflow server (config {@code tracking.uri}, else the environment's
 * {@code MLFLOW_TRACKING_URI}), its credentials ({@code MLFLOW_TRACKING_TOKEN}, or {@code
 * MLFLOW_TRACKING_USERNAME} and {@code MLFLOW_TRACKING_PASSWORD}, or user and password in the URI),
 * the experiment ({@code tracking.experiment}, default the experiment file's name), how often
 * system metrics are sampled ({@code tracking.system-metrics-interval-s}, 0 for never) and how
 * long an HTTP call may take: {@code tracking.connect-timeout-s} (default 10) to connect, {@code
 * tracking.request-timeout-s} (else the environment's {@code MLFLOW_HTTP_REQUEST_TIMEOUT}, as
 * MLflow's own clients read it; default 60) for the answer. Without a URI, tracking is local: the
 * spools and the HTML report.
 *
 * <p>Credentials never leave this object except as an HTTP header: {@link #toString()}, {@link
 * #displayUri()} and {@link #redact} leave them out, and {@link #redact} also removes them from
 * params and tags. A URI whose user info is {@link Redaction#USER_INFO} (one read back from a
 * {@code config.conf} the runner redacted) carries no credentials: they come from the environment.
 */
public final class TrackingSettings {
    public static final String URI_VARIABLE = "MLFLOW_TRACKING_URI";
    public static final String TOKEN_VARIABLE = "MLFLOW_TRACKING_TOKEN";
    public static final String USERNAME_VARIABLE = "MLFLOW_TRACKING_USERNAME";
    public static final String PASSWORD_VARIABLE = "MLFLOW_TRACKING_PASSWORD";
    /** Seconds MLflow's clients wait for an answer; read here when {@code tracking.request-timeout-s} is unset. */
    public static final String REQUEST_TIMEOUT_VARIABLE = "MLFLOW_HTTP_REQUEST_TIMEOUT";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** What takes the place of a secret in params, tags and messages. */
    public static final String REDACTED = "[redacted]";

    /** Keys whose values are secrets whatever they hold. */
    private static final Pattern SECRET_KEY =
            Pattern.compile("(?i).*(password|passwd|token|secret|credential|api[-_.]?key|authorization).*");
    private static final Duration DEFAULT_SYSTEM_METRICS_INTERVAL = Duration.ofSeconds(10);

    private final String uri;
    private final String experiment;
    private final String token;
    private final String username;
    private final String password;
    private final Duration systemMetricsInterval;
    private final String experimentFile;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private TrackingSettings(String uri, String experiment, String token, String username, String password,
            Duration systemMetricsInterval, String experimentFile, Duration connectTimeout, Duration requestTimeout) {
        this.uri = uri;
        this.experiment = requireNonNull(experiment, "experiment is null");
        this.token = token;
        this.username = username;
        this.password = password;
        this.systemMetricsInterval = requireNonNull(systemMetricsInterval, "systemMetricsInterval is null");
        this.experimentFile = requireNonNull(experimentFile, "experimentFile is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
    }

    /**
     * Reads the settings.
     *
     * @param config the resolved job config; its {@code tracking} section may be absent
     * @param environment the process environment ({@code System.getenv()}; a map in tests)
     * @param defaultExperiment the experiment file's name, used when {@code tracking.experiment} is unset
     * @throws FadException CONFIG_INVALID for a URI that is not http(s), an interval below 0 or a
     *     timeout that is not above 0
     */
    public static TrackingSettings from(Config config, Map<String, String> environment, String defaultExperiment) {
        String configured = string(config, "tracking.uri");
        String uri = configured != null ? configured : blankToNull(environment.get(URI_VARIABLE));
        String experiment = string(config, "tracking.experiment");
        Duration interval = DEFAULT_SYSTEM_METRICS_INTERVAL;
        if (config.hasPath("tracking.system-metrics-interval-s")) {
            double seconds = config.getDouble("tracking.system-metrics-interval-s");
            if (seconds < 0) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "tracking.system-metrics-interval-s is '%s' at %s; it must be 0 (off) or more seconds.",
                        seconds, config.origin().description()));
            }
            interval = Duration.ofMillis(Math.round(seconds * 1000));
        }
        Duration connectTimeout = timeout(config, "tracking.connect-timeout-s", null, DEFAULT_CONNECT_TIMEOUT);
        Duration requestTimeout = timeout(config, "tracking.request-timeout-s",
                blankToNull(environment.get(REQUEST_TIMEOUT_VARIABLE)), DEFAULT_REQUEST_TIMEOUT);
        String token = blankToNull(environment.get(TOKEN_VARIABLE));
        String username = blankToNull(environment.get(USERNAME_VARIABLE));
        String password = blankToNull(environment.get(PASSWORD_VARIABLE));
        if (uri != null) {
            URI parsed = parse(uri, configured != null ? "tracking.uri" : URI_VARIABLE);
            String rawUserInfo = parsed.getRawUserInfo();
            // A redacted URI (read back from a config.conf) names the server only: credentials come from the environment.
            if (rawUserInfo != null && !Redaction.isRedactedUserInfo(rawUserInfo)) {
                String[] userInfo = rawUserInfo.split(":", 2);
                if (username == null) {
                    username = decode(userInfo[0]);
                    password = userInfo.length > 1 ? decode(userInfo[1]) : password;
                }
            }
            uri = withoutUserInfo(uri).replaceAll("/+$", "");
        }
        return new TrackingSettings(uri, experiment != null ? experiment : defaultExperiment, token, username,
                password, interval, defaultExperiment, connectTimeout, requestTimeout);
    }

    /** The URI with its user info, if any, removed: what requests go to and messages show. */
    private static String withoutUserInfo(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return uri;
        }
        int authority = scheme + 3;
        int end = authority;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        int at = uri.lastIndexOf('@', end - 1);
        return at < authority ? uri : uri.substring(0, authority) + uri.substring(at + 1);
    }

    /**
     * A timeout in seconds from the config, else from the environment's value, else the default.
     * An empty string in the config counts as unset, as for {@code tracking.uri}.
     *
     * @throws FadException CONFIG_INVALID when it is not a number above 0
     */
    private static Duration timeout(Config config, String path, String environmentValue, Duration fallback) {
        String text;
        String source;
        if (config.hasPath(path) && !config.getValue(path).unwrapped().toString().isBlank()) {
            text = config.getValue(path).unwrapped().toString();
            source = path + " at " + config.origin().description();
        } else if (environmentValue != null) {
            text = environmentValue;
            source = REQUEST_TIMEOUT_VARIABLE;
        } else {
            return fallback;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "The MLflow timeout '%s' (from %s) is not a number of seconds above 0; give one, e.g. 60.",
                    text, source));
        }
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    private static URI parse(String uri, String source) {
        try {
            URI parsed = new URI(uri);
            if (("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme())) && parsed.getHost() != null) {
                return parsed;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                "The MLflow tracking URI '%s' (from %s) is not an http:// or https:// URL of a tracking server;"
                        + " leave it unset to track locally only.", Redaction.redact(uri), source));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String string(Config config, String path) {
        return config.hasPath(path) ? blankToNull(config.getString(path)) : null;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    /** Whether runs go to an MLflow server; otherwise tracking is local only. */
    public boolean isRemote() {
        return uri != null;
    }

    /** The server's base URL, without credentials; empty when tracking is local only. */
    public Optional<String> uri() {
        return Optional.ofNullable(uri);
    }

    /** The base URL for messages and for the sync state's key: never holds credentials. */
    public String displayUri() {
        return uri == null ? "(local only)" : uri;
    }

    public String experiment() {
        return experiment;
    }

    /** How often system metrics are sampled; zero for never. */
    public Duration systemMetricsInterval() {
        return systemMetricsInterval;
    }

    /**
     * The name of the experiment file the runs come from (tag {@code fad.experiment-file}), which
     * {@link #experiment()} defaults to; {@code runner sync} has none and gives a placeholder.
     */
    public String experimentFile() {
        return experimentFile;
    }

    /** How long to wait for the server to accept a connection. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long to wait for the server's answer to one request (an upload gets more per megabyte). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Whether a config key belongs to the {@code tracking} section. Such keys are never logged as
     * params: where a run was logged is no part of what it computed, and a run replayed to another
     * server would still name the first one (and the URI may hold credentials).
     */
    public static boolean isTrackingKey(String key) {
        return key.equals("tracking") || key.startsWith("tracking.");
    }

    /** The value of the HTTP {@code Authorization} header, if any: Basic with user and password, else Bearer. */
    public Optional<String> authorizationHeader() {
        if (username != null && password != null) {
            return Optional.of("Basic " + java.util.Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return token == null ? Optional.empty() : Optional.of("Bearer " + token);
    }

    /** The raw credentials, for the MLflow client; null where unset. Never print them. */
    public String token() {
        return token;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** Returns a copy with another URI, for tests and for {@code runner sync --tracking-uri}. */
    public TrackingSettings withUri(String otherUri, String otherExperiment) {
        return new TrackingSettings(otherUri == null ? null : otherUri.replaceAll("/+$", ""),
                otherExperiment, token, username, password, systemMetricsInterval, experimentFile, connectTimeout,
                requestTimeout);
    }

    /** Returns a copy with other timeouts, for {@code runner sync --connect-timeout-s / --request-timeout-s}. */
    public TrackingSettings withTimeouts(Duration otherConnectTimeout, Duration otherRequestTimeout) {
        return new TrackingSettings(uri, experiment, token, username, password, systemMetricsInterval, experimentFile,
                requireNonNull(otherConnectTimeout, "otherConnectTimeout is null"),
                requireNonNull(otherRequestTimeout, "otherRequestTimeout is null"));
    }

    /**
     * What may be shown of a param or tag: {@link #REDACTED} for keys that name a secret, and any
     * known secret or URL user-info replaced inside other values.
     */
    public String redact(String key, String value) {
        if (value == null) {
            return null;
        }
        if (SECRET_KEY.matcher(key).matches()) {
            return REDACTED;
        }
        return redactSecrets(value);
    }

    /** Removes the known secrets and URL user-info from a text, e.g. an error message. */
    public String redactSecrets(String text) {
        String redacted = Redaction.redact(text);
        for (String secret : secrets()) {
            redacted = redacted.replace(secret, REDACTED);
        }
        return redacted;
    }

    private Set<String> secrets() {
        Set<String> secrets = new LinkedHashSet<>();
        for (String secret : new String[] {token, password}) {
            // Very short secrets would redact ordinary words; they are still never logged as params.
            if (secret != null && secret.length() >= 4) {
                secrets.add(secret);
            }
        }
        authorizationHeader().ifPresent(header -> secrets.add(header.substring(header.indexOf(' ') + 1)));
        return secrets;
    }

    @Override
    public String toString() {
        return "TrackingSettings{uri=" + displayUri() + ", experiment=" + experiment
                + ", auth=" + (username != null && password != null ? "basic" : token != null ? "token" : "none")
                + ", systemMetricsInterval=" + systemMetricsInterval + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + "}";
    }
}
