package org.fadkd.runner.tracking.mlflow;

import org.fadkd.runner.tracking.SpoolReader;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.tracking.TrackingSettings;
import org.mlflow.api.proto.Service;

/**
 * One MLflow tracking server, as the spool replay needs it: MLflow's REST API ({@code
 * /api/2.0/mlflow/...}) for experiments, runs, params, metrics, tags and status, and the server's
 * proxied artifact endpoint ({@code PUT /api/2.0/mlflow-artifacts/artifacts/...}) for files, all
 * through one {@link HttpClient} with the same {@code Authorization} header (Basic from a user and
 * password, else Bearer from a token). Requests and answers are MLflow 2.x's JSON, as recorded in
 * the fixtures; the protobuf classes of {@code org.mlflow:mlflow-client} only carry the values.
 *
 * <p>Every call is bounded: the connection must be accepted within the settings' {@link
 * TrackingSettings#connectTimeout() connect timeout} and the answer must arrive within their
 * {@link TrackingSettings#requestTimeout() request timeout} (an upload gets one more second per
 * MiB). MLflow's Java client sets neither, so a server that accepts connections and never
 * answers would hang it forever; that is why this class speaks HTTP itself.
 *
 * <p>Every failure is one of two exceptions: {@link TrackingUnavailableException} when the server
 * cannot be reached, does not answer in time ({@link TrackingUnavailableException#timedOut()}) or
 * fails on its side (try again later), {@link TrackingRejectedException} when it refuses the
 * request (trying again changes nothing). Messages never hold credentials.
 *
 * <p>Not thread-safe, but for {@link #abort()}; the replay uses one server per thread.
 */
public final class MlflowServer implements AutoCloseable {
    /** The run tag that names the spool a run was created from; how sync finds it again. */
    public static final String SPOOL_ID_TAG = "fad.spool_id";

    private static final String API = "/api/2.0/mlflow/";
    private static final String ARTIFACT_API = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final String ARTIFACT_SCHEME = "mlflow-artifacts:";
    /** Artifacts uploaded as text, secrets redacted: the job's config, overrides, summary, error. */
    private static final List<String> TEXT_ARTIFACTS = List.of(".conf", ".txt", ".log", ".json", ".jsonl");
    /** The slowest upload rate assumed when sizing an upload's timeout. */
    private static final long SLOWEST_BYTES_PER_SECOND = 1 << 20;

    private final TrackingSettings settings;
    private final String uri;
    private final HttpClient http;
    private final String userId = System.getProperty("user.name", "");
    /** The request being waited for, for {@link #abort()}. */
    private volatile CompletableFuture<?> inFlight;
    private volatile boolean aborted;

    /**
     * Connects lazily: nothing is sent before the first call.
     *
     * @param settings settings with a URI ({@link TrackingSettings#isRemote()})
     */
    public MlflowServer(TrackingSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.uri = settings.uri().orElseThrow(() -> new IllegalArgumentException("tracking is local only: no URI"));
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The server's URL for messages, without credentials. */
    public String displayUri() {
        return settings.displayUri();
    }

    /** The id of the experiment with this name, created when it does not exist yet. */
    public String experimentId(String name) {
        Optional<String> existing = findExperiment(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            JsonNode created = post("experiments/create", object().put("name", name),
                    "create experiment '" + name + "'");
            return created.path("experiment_id").asText();
        } catch (TrackingRejectedException e) {
            if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
                throw e;
            }
            // Another process created it between our look-up and our create.
            return findExperiment(name).orElseThrow(() -> e);
        }
    }

    private Optional<String> findExperiment(String name) {
        try {
            JsonNode found = get("experiments/get-by-name", Map.of("experiment_name", name),
                    "look up experiment '" + name + "'");
            return Optional.of(found.path("experiment").path("experiment_id").asText());
        } catch (TrackingRejectedException e) {
            if (e.status() == 404 && "RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The run created from the spool with this id, if there is one. */
    public Optional<Service.RunInfo> findRun(String experimentId, String spoolId) {
        ObjectNode request = object();
        request.putArray("experiment_ids").add(experimentId);
        request.put("filter", "tags." + SPOOL_ID_TAG + " = '" + spoolId + "'");
        request.put("run_view_type", "ACTIVE_ONLY");
        request.put("max_results", 1);
        JsonNode runs = post("runs/search", request, "search the runs of experiment " + experimentId).path("runs");
        return runs.isArray() && !runs.isEmpty() ? Optional.of(runInfo(runs.get(0).path("info"))) : Optional.empty();
    }

    /** Creates a run in status RUNNING with its tags (run name, parent, spool id...). */
    public Service.RunInfo createRun(String experimentId, String name, long startTime, Map<String, String> tags) {
        ObjectNode request = object()
                .put("experiment_id", experimentId)
                .put("run_name", name)
                .put("start_time", startTime)
                .put("user_id", userId);
        ArrayNode list = request.putArray("tags");
        tags.forEach((key, value) -> list.addObject().put("key", key).put("value", value));
        return runInfo(post("runs/create", request, "create run '" + name + "'").path("run").path("info"));
    }

    /** Logs one batch; the caller keeps it within MLflow's limits. Empty lists are left out, as MLflow's clients do. */
    public void logBatch(String runId, List<Service.Metric> metrics, List<Service.Param> params,
            List<Service.RunTag> tags) {
        ObjectNode request = object().put("run_id", runId);
        if (!metrics.isEmpty()) {
            ArrayNode list = request.putArray("metrics");
            for (Service.Metric metric : metrics) {
                ObjectNode point = list.addObject().put("key", metric.getKey());
                putNumber(point, "value", metric.getValue());
                point.put("timestamp", metric.getTimestamp()).put("step", metric.getStep());
            }
        }
        if (!params.isEmpty()) {
            ArrayNode list = request.putArray("params");
            params.forEach(param -> list.addObject().put("key", param.getKey()).put("value", param.getValue()));
        }
        if (!tags.isEmpty()) {
            ArrayNode list = request.putArray("tags");
            tags.forEach(tag -> list.addObject().put("key", tag.getKey()).put("value", tag.getValue()));
        }
        post("runs/log-batch", request, "log a batch to run " + runId);
    }

    /** Sets a run's status; FINISHED, FAILED and KILLED also set its end time. */
    public void setStatus(String runId, Service.RunStatus status, long endTime) {
        post("runs/update", object().put("run_id", runId).put("status", status.name()).put("end_time", endTime),
                "set run " + runId + " to " + status);
    }

    /** Sets a run back to RUNNING, as when a failed job is resumed; its end time stays as it was. */
    public void setRunning(String runId) {
        post("runs/update", object().put("run_id", runId).put("status", "RUNNING"), "set run " + runId + " to RUNNING");
    }

    /** Every point logged for one metric of a run. */
    public List<Service.Metric> history(String runId, String key) {
        List<Service.Metric> points = new ArrayList<>();
        String pageToken = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("run_id", runId);
            query.put("metric_key", key);
            if (pageToken != null) {
                query.put("page_token", pageToken);
            }
            JsonNode page = get("metrics/get-history", query,
                    "read the history of metric '" + key + "' of run " + runId);
            for (JsonNode point : page.path("metrics")) {
                points.add(Service.Metric.newBuilder()
                        .setKey(point.path("key").asText(key))
                        .setValue(SpoolReader.number(point.path("value")))
                        .setTimestamp(point.path("timestamp").asLong())
                        .setStep(point.path("step").asLong())
                        .build());
            }
            pageToken = page.hasNonNull("next_page_token") && !page.get("next_page_token").asText().isEmpty()
                    ? page.get("next_page_token").asText() : null;
        } while (pageToken != null);
        return points;
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        return TEXT_ARTIFACTS.stream().anyMatch(name::endsWith);
    }

    /** Whether runs of this server keep their artifacts behind the server's artifact proxy. */
    public static boolean isProxied(String artifactUri) {
        return artifactUri.startsWith(ARTIFACT_SCHEME);
    }

    /**
     * Uploads one file. Text files ({@link #TEXT_ARTIFACTS}) go up with the known secrets and URL
     * user-info removed: a job's {@code config.conf} may hold a {@code tracking.uri} with {@code
     * user:password@} (written by a runner that did not redact it yet).
     *
     * @param artifactUri the run's {@code artifact_uri}, {@code mlflow-artifacts:/<experiment>/<run>/artifacts}
     * @param artifactPath the file's path inside the run's artifacts, {@code /}-separated
     */
    public void putArtifact(String artifactUri, String artifactPath, Path file) {
        if (!isProxied(artifactUri)) {
            throw new IllegalArgumentException("artifact URI '" + artifactUri + "' is not served by the tracking server");
        }
        String root = artifactUri.substring(ARTIFACT_SCHEME.length());
        if (root.startsWith("//")) {
            root = root.substring(root.indexOf('/', 2)); // mlflow-artifacts://host:port/path keeps only the path
        }
        String url = uri + ARTIFACT_API + encodePath(root) + "/" + encodePath(artifactPath);
        String what = "upload artifact '" + artifactPath + "'";
        HttpRequest.BodyPublisher body;
        long size;
        try {
            size = Files.size(file);
            body = isText(file)
                    ? HttpRequest.BodyPublishers.ofString(settings.redactSecrets(Files.readString(file)))
                    : HttpRequest.BodyPublishers.ofFile(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the artifact " + file, e);
        }
        Duration timeout = settings.requestTimeout().plusSeconds(size / SLOWEST_BYTES_PER_SECOND);
        HttpRequest.Builder request = request(url, timeout)
                .header("Content-Type", "application/octet-stream")
                .PUT(body);
        HttpResponse<String> response = send(what, request.build(), timeout);
        if (response.statusCode() / 100 != 2) {
            throw failure(what, response.statusCode(), response.body());
        }
    }

    private static String encodePath(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(encode(segment));
            }
        }
        return String.join("/", segments);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Stops waiting for the request in flight, if any, and makes every later call fail at once
     * with {@link TrackingUnavailableException}: for a sender that is closing and must not wait
     * for a server that did not answer before. Thread-safe.
     */
    public void abort() {
        aborted = true;
        CompletableFuture<?> current = inFlight;
        if (current != null) {
            current.cancel(true);
        }
    }

    /** Whether {@link #abort()} was called. */
    public boolean isAborted() {
        return aborted;
    }

    private JsonNode post(String endpoint, ObjectNode body, String what) {
        String json;
        try {
            json = Json.COMPACT.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the request to " + what, e);
        }
        HttpRequest request = request(uri + API + endpoint, settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return answer(what, send(what, request, settings.requestTimeout()));
    }

    private JsonNode get(String endpoint, Map<String, String> query, String what) {
        StringJoiner parameters = new StringJoiner("&");
        query.forEach((name, value) -> parameters.add(encode(name) + "=" + encode(value)));
        HttpRequest request = request(uri + API + endpoint + "?" + parameters, settings.requestTimeout())
                .GET()
                .build();
        return answer(what, send(what, request, settings.requestTimeout()));
    }

    private HttpRequest.Builder request(String url, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("User-Agent", "fad-runner");
        settings.authorizationHeader().ifPresent(header -> request.header("Authorization", header));
        return request;
    }

    /** The body of a 2xx answer as JSON (an empty body as {}); anything else is a failure. */
    private JsonNode answer(String what, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw failure(what, response.statusCode(), response.body());
        }
        String body = response.body() == null ? "" : response.body().strip();
        if (body.isEmpty()) {
            return object();
        }
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json != null && json.isObject()) {
                return json;
            }
        } catch (IOException notJson) {
            // below
        }
        throw new TrackingRejectedException(String.format("MLflow at %s answered the request to %s with HTTP %d"
                + " but no JSON object: this does not look like an MLflow tracking server's answer; check the"
                + " tracking URI.", displayUri(), what, response.statusCode()), response.statusCode(), "", null);
    }

    /**
     * Sends a request and waits at most {@code timeout} for the whole answer; the client's own
     * timeouts bound the connection and the wait for the answer's head, this bounds the body too.
     */
    private HttpResponse<String> send(String what, HttpRequest request, Duration timeout) {
        if (aborted) {
            throw new TrackingUnavailableException(String.format(
                    "Did not %s: stopped waiting for MLflow at %s", what, displayUri()), null, true);
        }
        CompletableFuture<HttpResponse<String>> future =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        inFlight = future;
        try {
            if (aborted) {
                future.cancel(true);
            }
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(what, false, timeout, e);
        } catch (CancellationException e) {
            throw new TrackingUnavailableException(String.format(
                    "Did not %s: stopped waiting for MLflow at %s", what, displayUri()), e, true);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TrackingUnavailableException(String.format(
                    "Interrupted while waiting for MLflow at %s to %s", displayUri(), what), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof CancellationException) {
                // abort() cancelled the request while the client was completing it exceptionally.
                throw new TrackingUnavailableException(String.format(
                        "Did not %s: stopped waiting for MLflow at %s", what, displayUri()), cause, true);
            }
            if (cause instanceof HttpConnectTimeoutException) {
                throw timedOut(what, true, settings.connectTimeout(), cause);
            }
            if (cause instanceof HttpTimeoutException) {
                throw timedOut(what, false, timeout, cause);
            }
            if (cause instanceof IOException) {
                String reason = cause.getMessage() == null || cause.getMessage().isBlank()
                        ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
                throw new TrackingUnavailableException(String.format("Could not %s: MLflow at %s is unreachable (%s)",
                        what, displayUri(), settings.redactSecrets(reason)), cause);
            }
            throw new IllegalStateException(settings.redactSecrets("Could not " + what + ": " + cause), cause);
        } finally {
            inFlight = null;
        }
    }

    private TrackingUnavailableException timedOut(String what, boolean connecting, Duration timeout, Throwable cause) {
        return new TrackingUnavailableException(String.format(connecting
                        ? "MLflow at %s did not accept a connection within %s s (trying to %s)"
                        : "MLflow at %s did not answer within %s s (trying to %s)",
                displayUri(), seconds(timeout), what), cause, true);
    }

    /** Seconds as a person writes them: 60, 0.25. */
    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    private RuntimeException failure(String what, int status, String body) {
        String errorCode = "";
        String message = body == null ? "" : body.strip();
        try {
            JsonNode error = Json.MAPPER.readTree(body == null ? "" : body);
            if (error != null && error.hasNonNull("error_code")) {
                errorCode = error.get("error_code").asText();
                message = error.path("message").asText();
            }
        } catch (IOException notJson) {
            // an HTML page from the web framework: a wrong URL or a proxy in the way
        }
        if (message.length() > 500) {
            message = message.substring(0, 500) + "...";
        }
        message = settings.redactSecrets(message);
        if (status >= 500 || status == 429) {
            return new TrackingUnavailableException(String.format("Could not %s: MLflow at %s answered HTTP %d %s",
                    what, displayUri(), status, errorCode.isEmpty() ? message : errorCode + ": " + message), null);
        }
        String hint = status == 401 || status == 403
                ? " Check MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD."
                : errorCode.isEmpty()
                        ? " This does not look like an MLflow tracking server's answer: check the tracking URI."
                        : "";
        return new TrackingRejectedException(String.format("MLflow at %s refused to %s: HTTP %d %s%s",
                displayUri(), what, status, errorCode.isEmpty() ? message : errorCode + ": " + message, hint),
                status, errorCode, null);
    }

    private static ObjectNode object() {
        return Json.MAPPER.createObjectNode();
    }

    /** A double as MLflow's JSON takes it: a number, or "NaN", "Infinity", "-Infinity" quoted. */
    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.put(field, Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static Service.RunInfo runInfo(JsonNode info) {
        String runId = info.hasNonNull("run_id") ? info.get("run_id").asText() : info.path("run_uuid").asText();
        if (runId.isEmpty()) {
            throw new TrackingRejectedException("MLflow's answer names no run id: this does not look like an MLflow"
                    + " tracking server's answer; check the tracking URI.", 200, "", null);
        }
        Service.RunInfo.Builder run = Service.RunInfo.newBuilder()
                .setRunId(runId)
                .setExperimentId(info.path("experiment_id").asText())
                .setArtifactUri(info.path("artifact_uri").asText());
        if (info.hasNonNull("run_name")) {
            run.setRunName(info.get("run_name").asText());
        }
        return run.build();
    }

    /** Nothing to release: the HTTP client's connections close when it is no longer used. */
    @Override
    public void close() {}
}
