package org.fadkd.runner.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.fadkd.runner.tracking.SpoolEvent;
import org.fadkd.runner.tracking.SpoolReader;
import org.fadkd.runner.tracking.SpoolRun;
import org.fadkd.runner.tracking.TrackingSettings;
import org.fadkd.runner.tracking.TrackingSpool;
import org.mlflow.api.proto.Service;

/**
 * Sends one spool to one MLflow server and experiment, exactly once: every request that the
 * server acknowledges advances {@link SyncState} beside the spool before the next one is sent, so
 * running the replay again, after a crash, a lost connection or a refused request, sends only what
 * was not acknowledged. The run itself is created once: its spool id is a tag that a second replay
 * searches for before creating anything. Metric points of a request whose answer was lost are
 * compared with the server's history before they are sent again.
 *
 * <p>Requests follow the spool's order. Consecutive params, metrics and tags go in one {@code
 * log-batch} within MLflow's limits (100 params, 100 tags, 1000 metrics, 1000 entries); an
 * artifact or a status change is a request of its own.
 *
 * <p>What is sent is what the spool holds, with MLflow's and FAD's naming rules ({@link
 * MlflowNames}) applied and secrets redacted; params of the {@code tracking} section, which spools
 * written before they were left out may hold, are not sent (a run replayed to another server
 * would still name the first).
 *
 * <p>A replay object may be called again and again while its spool grows (the live sender does);
 * it is not thread-safe.
 */
public final class SpoolReplay {
    static final int MAX_PARAMS = 100;
    static final int MAX_TAGS = 100;
    static final int MAX_METRICS = 1000;
    static final int MAX_ENTRIES = 1000;
    /** The tag that holds why a run failed or was killed. */
    public static final String STATUS_REASON_TAG = "fad.status_reason";

    private static final double LARGEST = Double.MAX_VALUE;

    private final Path directory;
    private final MlflowServer server;
    private final String experiment;
    private final TrackingSettings settings;
    private final ParentRuns parents;
    private final Consumer<String> warnings;
    private final SpoolReader reader;
    /** Events read but not acknowledged yet, in spool order. */
    private final List<SpoolEvent> pending = new ArrayList<>();
    private final String targetKey;
    private SyncState state;
    private SpoolRun identity;
    private long firstTimestamp;
    private boolean warnedAboutArtifacts;
    private boolean warnedAboutSkippedLines;

    /** Finds (creating if needed) the MLflow run of a parent spool, by the parent's directory. */
    @FunctionalInterface
    public interface ParentRuns {
        String runId(Path parentDirectory);
    }

    /**
     * @param directory the directory of the spool ({@code tracking.jsonl}); the sync state is written there
     * @param warnings receives what the user should know but that does not stop the replay
     */
    public SpoolReplay(Path directory, MlflowServer server, String experiment, TrackingSettings settings,
            ParentRuns parents, Consumer<String> warnings) {
        this.directory = requireNonNull(directory, "directory is null");
        this.server = requireNonNull(server, "server is null");
        this.experiment = requireNonNull(experiment, "experiment is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.parents = requireNonNull(parents, "parents is null");
        this.warnings = requireNonNull(warnings, "warnings is null");
        this.reader = new SpoolReader(directory.resolve(TrackingSpool.FILE_NAME));
        this.targetKey = SyncState.targetKey(server.displayUri(), experiment);
    }

    public Path directory() {
        return directory;
    }

    /** Lines of the spool the server has acknowledged. */
    public int acknowledgedLines() {
        return target().acknowledgedLines;
    }

    /** The MLflow run id, or null before the run exists. */
    public String runId() {
        return state == null ? null : target().runId;
    }

    /** Whether every complete line read so far is acknowledged. */
    public boolean isUpToDate() {
        return pending.isEmpty();
    }

    /**
     * Sends every line not acknowledged yet, including lines appended since the last call.
     *
     * @return the number of lines acknowledged by this call
     * @throws TrackingUnavailableException the server is unreachable; what was acknowledged is kept
     * @throws TrackingRejectedException the server refused a request; the replay stops before it
     */
    public int replay() {
        readNewLines();
        int before = target().acknowledgedLines;
        ensureRun();
        while (!pending.isEmpty()) {
            SpoolEvent next = pending.get(0);
            if (next instanceof SpoolEvent.Artifact artifact) {
                upload(artifact);
                acknowledge(artifact.line() + 1, 1);
            } else if (next instanceof SpoolEvent.Status status) {
                sendStatus(status);
                acknowledge(status.line() + 1, 1);
            } else {
                sendBatch();
            }
        }
        return target().acknowledgedLines - before;
    }

    /** Creates the run, or finds the one an earlier replay created, and returns its id. */
    public String ensureRun() {
        readNewLines();
        SyncState.Target target = target();
        if (target.runId != null) {
            return target.runId;
        }
        if (identity == null && pending.isEmpty()) {
            throw new IllegalStateException("the spool in " + directory + " is empty: nothing to create a run from");
        }
        String spoolId = identity != null ? identity.id() : fallbackSpoolId();
        String experimentId = server.experimentId(experiment);
        Service.RunInfo run = server.findRun(experimentId, spoolId).orElse(null);
        if (run == null) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(MlflowServer.SPOOL_ID_TAG, spoolId);
            tags.put("mlflow.source.name", "org.fadkd.runner.Main");
            tags.put("mlflow.source.type", "LOCAL");
            tags.put("mlflow.user", System.getProperty("user.name", ""));
            if (identity != null && identity.parent() != null) {
                tags.put("mlflow.parentRunId", parents.runId(directory.resolve(identity.parent()).normalize()));
            }
            run = server.createRun(experimentId, MlflowNames.tagValue(runName()), firstTimestamp, tags);
        }
        target.experimentId = experimentId;
        target.runId = run.getRunId();
        target.artifactUri = run.getArtifactUri();
        target.status = "RUNNING";
        state.write(directory);
        // The run line is what the creation acknowledged.
        while (!pending.isEmpty() && pending.get(0) instanceof SpoolEvent.RunStarted started) {
            acknowledge(started.line() + 1, 1);
        }
        return target.runId;
    }

    private String runName() {
        if (identity != null && !identity.name().isBlank()) {
            return identity.name();
        }
        // A spool from before run lines: name it after its place, e.g. "14-03-22/3".
        Path parent = directory.toAbsolutePath().getParent();
        String name = directory.getFileName().toString();
        return parent == null ? name : parent.getFileName() + "/" + name;
    }

    private String fallbackSpoolId() {
        if (state.spoolId == null) {
            state.spoolId = java.util.UUID.randomUUID().toString().replace("-", "");
            state.write(directory); // before the run exists, so that a crash cannot orphan it
        }
        return state.spoolId;
    }

    private SyncState.Target target() {
        if (state == null) {
            state = SyncState.read(directory);
        }
        return state.target(targetKey);
    }

    private void readNewLines() {
        int acknowledged = target().acknowledgedLines;
        int skipped = 0;
        for (SpoolEvent event : reader.readNew()) {
            if (event instanceof SpoolEvent.RunStarted started && identity == null) {
                identity = started.run();
            }
            if (firstTimestamp == 0 && event.timestamp() > 0) {
                firstTimestamp = event.timestamp();
            }
            if (event instanceof SpoolEvent.Skipped) {
                skipped++;
            }
            if (event.line() >= acknowledged) {
                pending.add(event);
            }
        }
        if (skipped > 0 && !warnedAboutSkippedLines) {
            warnedAboutSkippedLines = true;
            warnings.accept(String.format("%d unreadable line%s in %s skipped (torn by a crash?)",
                    skipped, skipped == 1 ? "" : "s", reader));
        }
    }

    private void acknowledge(int linesUpTo, int events) {
        SyncState.Target target = target();
        pending.subList(0, events).clear();
        target.acknowledgedLines = linesUpTo;
        if (target.inFlight != null) {
            target.inFlight = target.inFlight[1] > linesUpTo ? new int[] {linesUpTo, target.inFlight[1]} : null;
        }
        state.write(directory);
    }

    /** Sends the next run of params, metrics and tags as one batch within MLflow's limits. */
    private void sendBatch() {
        List<Service.Metric> metrics = new ArrayList<>();
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        int events = 0;
        int lastLine = -1;
        for (SpoolEvent event : pending) {
            if (event instanceof SpoolEvent.Artifact || event instanceof SpoolEvent.Status) {
                break;
            }
            if (!fits(event, metrics, params, tags)) {
                break;
            }
            add(event, metrics, params, tags);
            events++;
            lastLine = event.line();
        }
        if (events == 0) {
            // One event larger than a batch (a summary with over 1000 numbers): send what fits.
            SpoolEvent event = pending.get(0);
            add(event, metrics, params, tags);
            trim(metrics);
            events = 1;
            lastLine = event.line();
        }
        int from = pending.get(0).line();
        int to = lastLine + 1;
        SyncState.Target target = target();
        if (!metrics.isEmpty()) {
            if (target.inFlight != null && target.inFlight[0] < to) {
                metrics = withoutPointsOnServer(metrics);
            }
            int until = target.inFlight == null ? to : Math.max(to, target.inFlight[1]);
            target.inFlight = new int[] {from, until};
            state.write(directory);
        }
        if (!metrics.isEmpty() || !params.isEmpty() || !tags.isEmpty()) {
            try {
                server.logBatch(target.runId, metrics, params(params), tags(tags));
            } catch (TrackingRejectedException e) {
                throw explained(e, from, to);
            }
        }
        acknowledge(to, events);
    }

    private boolean fits(SpoolEvent event, List<Service.Metric> metrics, Map<String, String> params,
            Map<String, String> tags) {
        int newMetrics = 0;
        int newParams = 0;
        int newTags = 0;
        if (event instanceof SpoolEvent.Param param) {
            if (!sent(param)) {
                return true;
            }
            String key = MlflowNames.paramKey(param.key());
            String previous = params.get(key);
            if (previous != null) {
                // The same value twice would be a duplicate key in one batch (refused); a changed value
                // must reach the server on its own so that its refusal names it.
                return previous.equals(paramValue(param));
            }
            newParams = 1;
        } else if (event instanceof SpoolEvent.Tag tag) {
            if (tags.containsKey(MlflowNames.key(tag.key()))) {
                return false; // the later value must win, so it goes in the next batch
            }
            newTags = 1;
        } else if (event instanceof SpoolEvent.Metric) {
            newMetrics = 1;
        } else if (event instanceof SpoolEvent.Summary summary) {
            newMetrics = summaryMetrics(summary).size();
        }
        return metrics.size() + newMetrics <= MAX_METRICS
                && params.size() + newParams <= MAX_PARAMS
                && tags.size() + newTags <= MAX_TAGS
                && metrics.size() + params.size() + tags.size() + newMetrics + newParams + newTags <= MAX_ENTRIES;
    }

    private void add(SpoolEvent event, List<Service.Metric> metrics, Map<String, String> params,
            Map<String, String> tags) {
        if (event instanceof SpoolEvent.Param param) {
            if (sent(param)) {
                params.put(MlflowNames.paramKey(param.key()), paramValue(param));
            }
        } else if (event instanceof SpoolEvent.Tag tag) {
            tags.put(MlflowNames.key(tag.key()), MlflowNames.tagValue(settings.redact(tag.key(), tag.value())));
        } else if (event instanceof SpoolEvent.Metric metric) {
            metrics.add(metric(metric.key(), metric.value(), metric.step(), metric.timestamp()));
        } else if (event instanceof SpoolEvent.Summary summary) {
            summaryMetrics(summary).forEach((key, value) -> metrics.add(metric(key, value, 0, summary.timestamp())));
        }
        // Run lines past the first (a job resumed in its directory) and skipped lines send nothing.
    }

    /** Whether a param is sent at all: not those of the {@code tracking} section. */
    private static boolean sent(SpoolEvent.Param param) {
        return !TrackingSettings.isTrackingKey(param.key());
    }

    private String paramValue(SpoolEvent.Param param) {
        return MlflowNames.paramValue(settings.redact(param.key(), param.value()));
    }

    private static void trim(List<Service.Metric> metrics) {
        if (metrics.size() > MAX_METRICS) {
            metrics.subList(MAX_METRICS, metrics.size()).clear();
        }
    }

    /**
     * The summary's numbers ({@code metrics} section; booleans as 0 and 1) as summary metrics, but
     * those another key already tracks ({@link MlflowNames#isTrackedSummaryMetric}).
     */
    static Map<String, Double> summaryMetrics(SpoolEvent.Summary summary) {
        Map<String, Double> numbers = new LinkedHashMap<>();
        if (summary.summary().get("metrics") instanceof Map<?, ?> metrics) {
            metrics.forEach((key, value) -> {
                if (!MlflowNames.isTrackedSummaryMetric(String.valueOf(key))) {
                    return;
                }
                if (value instanceof Number number) {
                    numbers.put(String.valueOf(key), number.doubleValue());
                } else if (value instanceof Boolean flag) {
                    numbers.put(String.valueOf(key), flag ? 1.0 : 0.0);
                }
            });
        }
        return numbers;
    }

    private static Service.Metric metric(String key, double value, long step, long timestamp) {
        return Service.Metric.newBuilder()
                .setKey(MlflowNames.key(key))
                .setValue(value)
                .setStep(step)
                .setTimestamp(timestamp)
                .build();
    }

    private static List<Service.Param> params(Map<String, String> params) {
        List<Service.Param> list = new ArrayList<>();
        params.forEach((key, value) -> list.add(Service.Param.newBuilder().setKey(key).setValue(value).build()));
        return list;
    }

    private static List<Service.RunTag> tags(Map<String, String> tags) {
        List<Service.RunTag> list = new ArrayList<>();
        tags.forEach((key, value) -> list.add(Service.RunTag.newBuilder().setKey(key).setValue(value).build()));
        return list;
    }

    /**
     * The points the server does not hold yet. Only asked after a request whose answer was lost:
     * MLflow stores a metric point as often as it is sent.
     */
    private List<Service.Metric> withoutPointsOnServer(List<Service.Metric> metrics) {
        Set<String> keys = new HashSet<>();
        metrics.forEach(metric -> keys.add(metric.getKey()));
        Set<String> onServer = new HashSet<>();
        for (String key : keys) {
            for (Service.Metric point : server.history(target().runId, key)) {
                onServer.add(identify(point.getKey(), point.getStep(), point.getTimestamp(), point.getValue()));
            }
        }
        List<Service.Metric> missing = new ArrayList<>();
        for (Service.Metric metric : metrics) {
            // MLflow clamps infinities to the largest double, so compare what it would have stored.
            double stored = Math.max(-LARGEST, Math.min(LARGEST, metric.getValue()));
            if (!onServer.contains(identify(metric.getKey(), metric.getStep(), metric.getTimestamp(), stored))) {
                missing.add(metric);
            }
        }
        return missing;
    }

    private static String identify(String key, long step, long timestamp, double value) {
        return key + '\u0000' + step + '\u0000' + timestamp + '\u0000'
                + (Double.isNaN(value) ? "NaN" : Long.toString(Double.doubleToLongBits(value)));
    }

    private RuntimeException explained(TrackingRejectedException e, int from, int to) {
        String advice;
        if (e.getMessage().contains("Changing param values is not allowed")) {
            advice = String.format(" MLflow params cannot change once logged. The spool %s (lines %d to %d) holds"
                    + " another value than run %s has; params of a new configuration belong in a new run.",
                    reader, from + 1, to, target().runId);
        } else if ("RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
            advice = String.format(" Run %s, recorded in %s, is gone from the server; remove its entry there to"
                    + " create a new run.", target().runId, SyncState.file(directory));
        } else {
            advice = String.format(" Lines %d to %d of %s were not sent.", from + 1, to, reader);
        }
        return new TrackingRejectedException(e.getMessage() + advice, e.status(), e.errorCode(), e);
    }

    private void sendStatus(SpoolEvent.Status status) {
        SyncState.Target target = target();
        String name = status.status();
        if ("RUNNING".equals(name)) {
            if (!"RUNNING".equals(target.status)) {
                server.setRunning(target.runId);
            }
        } else {
            Service.RunStatus terminal;
            try {
                terminal = Service.RunStatus.valueOf(name);
            } catch (IllegalArgumentException e) {
                warnings.accept(String.format("Status '%s' in %s is not an MLflow run status; not sent", name, reader));
                return;
            }
            if (status.reason() != null) {
                server.logBatch(target.runId, List.of(), List.of(), List.of(Service.RunTag.newBuilder()
                        .setKey(STATUS_REASON_TAG)
                        .setValue(MlflowNames.tagValue(settings.redactSecrets(status.reason())))
                        .build()));
            }
            server.setStatus(target.runId, terminal, status.timestamp());
        }
        target.status = name;
    }

    private void upload(SpoolEvent.Artifact artifact) {
        SyncState.Target target = target();
        if (!MlflowServer.isProxied(target.artifactUri)) {
            if (!warnedAboutArtifacts) {
                warnedAboutArtifacts = true;
                warnings.accept(String.format("Artifacts of run %s not uploaded: MLflow at %s stores them at '%s',"
                        + " not behind its artifact proxy (start the server with --serve-artifacts)",
                        target.runId, server.displayUri(), target.artifactUri));
            }
            return;
        }
        Path source = directory.resolve(artifact.path()).normalize();
        if (!source.startsWith(directory.normalize()) || !Files.exists(source)) {
            warnings.accept(String.format("Artifact '%s' of %s is missing or outside the run directory; not uploaded",
                    artifact.path(), reader));
            return;
        }
        Path base = source.getParent();
        for (Path file : files(source)) {
            String relative = base.relativize(file).toString().replace('\\', '/');
            String destination = artifact.artifactDirectory().isEmpty()
                    ? relative
                    : artifact.artifactDirectory().replaceAll("/+$", "") + "/" + relative;
            server.putArtifact(target.artifactUri, destination, file);
        }
    }

    private static List<Path> files(Path source) {
        if (!Files.isDirectory(source)) {
            return List.of(source);
        }
        try (Stream<Path> walk = Files.walk(source)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the artifact directory " + source, e);
        }
    }

    @Override
    public String toString() {
        return directory.resolve(TrackingSpool.FILE_NAME).toString();
    }
}
