package org.fadkd.runner.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.tracking.TrackingSettings;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * One MLflow tracking server, as the spool replay needs it. Runs, params, metrics, tags and status
 * go through {@code org.mlflow:mlflow-client}'s REST client; artifacts go straight to the server's
 * proxied artifact endpoint ({@code PUT /api/2.0/mlflow-artifacts/artifacts/...}) with the same
 * {@code Authorization} header, because the Java client's own artifact calls start a Python process.
 *
 * <p>Every failure is one of two exceptions: {@link TrackingUnavailableException} when the server
 * cannot be reached or fails on its side (try again later), {@link TrackingRejectedException} when
 * it refuses the request (trying again changes nothing). Messages never hold credentials.
 *
 * <p>Not thread-safe; the replay uses one server per thread.
 */
public final class MlflowServer implements AutoCloseable {
    /** The run tag that names the spool a run was created from; how sync finds it again. */
    public static final String SPOOL_ID_TAG = "fad.spool_id";

    private static final String ARTIFACT_SCHEME = "mlflow-artifacts:";
    /** Artifacts uploaded as text, secrets redacted: the job's config, overrides, log, summary, error. */
    private static final List<String> TEXT_ARTIFACTS = List.of(".conf", ".txt", ".log", ".json", ".jsonl");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MINIMUM_UPLOAD_TIMEOUT = Duration.ofMinutes(1);
    /** The slowest upload rate assumed when sizing an upload's timeout. */
    private static final long SLOWEST_BYTES_PER_SECOND = 1 << 20;

    private final TrackingSettings settings;
    private final String uri;
    private final MlflowClient client;
    private final HttpClient http;

    /**
     * Connects lazily: nothing is sent before the first call.
     *
     * @param settings settings with a URI ({@link TrackingSettings#isRemote()})
     */
    public MlflowServer(TrackingSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.uri = settings.uri().orElseThrow(() -> new IllegalArgumentException("tracking is local only: no URI"));
        this.client = new MlflowClient(
                new BasicMlflowHostCreds(uri, settings.username(), settings.password(), settings.token(), false));
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The server's URL for messages, without credentials. */
    public String displayUri() {
        return settings.displayUri();
    }

    /** The id of the experiment with this name, created when it does not exist yet. */
    public String experimentId(String name) {
        Optional<Service.Experiment> existing = call("look up experiment '" + name + "'",
                () -> client.getExperimentByName(name));
        if (existing.isPresent()) {
            return existing.get().getExperimentId();
        }
        try {
            return call("create experiment '" + name + "'", () -> client.createExperiment(name));
        } catch (TrackingRejectedException e) {
            if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
                throw e;
            }
            // Another process created it between our look-up and our create.
            return call("look up experiment '" + name + "'", () -> client.getExperimentByName(name))
                    .orElseThrow(() -> e)
                    .getExperimentId();
        }
    }

    /** The run created from the spool with this id, if there is one. */
    public Optional<Service.RunInfo> findRun(String experimentId, String spoolId) {
        List<Service.Run> runs = call("search the runs of experiment " + experimentId,
                () -> client.searchRuns(List.of(experimentId), "tags." + SPOOL_ID_TAG + " = '" + spoolId + "'",
                        Service.ViewType.ACTIVE_ONLY, 1).getItems());
        return runs.stream().findFirst().map(Service.Run::getInfo);
    }

    /** Creates a run in status RUNNING with its tags (run name, parent, spool id...). */
    public Service.RunInfo createRun(String experimentId, String name, long startTime, Map<String, String> tags) {
        Service.CreateRun.Builder request = Service.CreateRun.newBuilder()
                .setExperimentId(experimentId)
                .setRunName(name)
                .setStartTime(startTime)
                .setUserId(System.getProperty("user.name", ""));
        tags.forEach((key, value) -> request.addTags(Service.RunTag.newBuilder().setKey(key).setValue(value)));
        return call("create run '" + name + "'", () -> client.createRun(request.build()));
    }

    /** Logs one batch; the caller keeps it within MLflow's limits. */
    public void logBatch(String runId, List<Service.Metric> metrics, List<Service.Param> params,
            List<Service.RunTag> tags) {
        call("log a batch to run " + runId, () -> {
            client.logBatch(runId, metrics, params, tags);
            return null;
        });
    }

    /** Sets a run's status; FINISHED, FAILED and KILLED also set its end time. */
    public void setStatus(String runId, Service.RunStatus status, long endTime) {
        call("set run " + runId + " to " + status, () -> {
            client.setTerminated(runId, status, endTime);
            return null;
        });
    }

    /** Sets a run back to RUNNING, as when a failed job is resumed; its end time stays as it was. */
    public void setRunning(String runId) {
        call("set run " + runId + " to RUNNING", () -> client.sendPost("runs/update",
                Json.MAPPER.createObjectNode().put("run_id", runId).put("status", "RUNNING").toString()));
    }

    /** Every point logged for one metric of a run. */
    public List<Service.Metric> history(String runId, String key) {
        return call("read the history of metric '" + key + "' of run " + runId,
                () -> new ArrayList<>(client.getMetricHistory(runId, key)));
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
     * user-info removed: a job's {@code config.conf} holds {@code tracking.uri}, which may carry
     * {@code user:password@}.
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
        String url = uri + "/api/2.0/mlflow-artifacts/artifacts/" + encodePath(root) + "/" + encodePath(artifactPath);
        String what = "upload artifact '" + artifactPath + "'";
        try {
            long size = Files.size(file);
            HttpRequest.BodyPublisher body = isText(file)
                    ? HttpRequest.BodyPublishers.ofString(settings.redactSecrets(Files.readString(file)))
                    : HttpRequest.BodyPublishers.ofFile(file);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(MINIMUM_UPLOAD_TIMEOUT.plusSeconds(size / SLOWEST_BYTES_PER_SECOND))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(body);
            settings.authorizationHeader().ifPresent(header -> request.header("Authorization", header));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw failure(what, response.statusCode(), response.body(), null);
            }
        } catch (IOException e) {
            throw new TrackingUnavailableException(String.format("Could not %s to MLflow at %s: %s",
                    what, displayUri(), settings.redactSecrets(String.valueOf(e.getMessage()))), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingUnavailableException("Interrupted while trying to " + what, e);
        }
    }

    private static String encodePath(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return String.join("/", segments);
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (MlflowHttpException e) {
            throw failure(what, e.getStatusCode(), e.getBodyMessage(), e);
        } catch (MlflowClientException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new TrackingUnavailableException(String.format("Could not %s: MLflow at %s is unreachable (%s)",
                    what, displayUri(), settings.redactSecrets(String.valueOf(cause))), e);
        }
    }

    private RuntimeException failure(String what, int status, String body, Throwable cause) {
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
                    what, displayUri(), status, errorCode.isEmpty() ? message : errorCode + ": " + message), cause);
        }
        String hint = status == 401 || status == 403
                ? " Check MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD."
                : errorCode.isEmpty()
                        ? " This does not look like an MLflow tracking server's answer: check the tracking URI."
                        : "";
        return new TrackingRejectedException(String.format("MLflow at %s refused to %s: HTTP %d %s%s",
                displayUri(), what, status, errorCode.isEmpty() ? message : errorCode + ": " + message, hint),
                status, errorCode, cause);
    }

    @Override
    public void close() {
        client.close();
    }
}
