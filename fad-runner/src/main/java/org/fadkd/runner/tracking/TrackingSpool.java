package org.fadkd.runner.tracking;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fadkd.api.MetricSink;
import org.fadkd.engine.util.Json;

/**
 * A run's append-only tracking log, {@code tracking.jsonl}: one JSON object per line for every
 * event of the run, flushed as it is written so that a crash loses nothing already reported. The
 * spool is the source of truth: the MLflow adapter only ever sends what a spool holds, live from a
 * background thread or later through {@code runner sync}, and remembers how far it got in {@code
 * mlflow-sync.json} beside the spool.
 *
 * <p>Every line has {@code type} and {@code timestamp} (epoch milliseconds). The line types:
 *
 * <ul>
 *   <li>{@code {"type":"run","id":…,"name":…,"kind":"job"|"sweep","job":N,"parent":"..",
 *       "experiment":…}}: who the run is, written first. {@code id} is a random id that makes run
 *       creation idempotent; {@code job} only for jobs of a sweep; {@code parent} is the directory
 *       of the parent run's spool relative to this spool's directory, only for children; {@code
 *       experiment} the MLflow experiment chosen when the run started. Spools written before this
 *       line existed have none; sync then names the run after its directory.
 *   <li>{@code {"type":"param","key":…,"value":…}}: one parameter (a string).
 *   <li>{@code {"type":"metric","key":…,"value":…,"step":…}}: one metric point; {@code value} is a
 *       JSON number, or the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}.
 *   <li>{@code {"type":"tag","key":…,"value":…}}: a tag; a later line with the same key wins.
 *   <li>{@code {"type":"artifact","path":…,"artifact_path":…}}: a file or directory to upload;
 *       {@code path} is relative to the spool's directory and read when the line is sent, {@code
 *       artifact_path} the directory inside the run's artifacts ({@code ""} for the root).
 *   <li>{@code {"type":"summary","summary":{…}}}: the job's summary (the content of summary.json);
 *       its numbers become summary metrics.
 *   <li>{@code {"type":"status","status":…,"reason":…}}: RUNNING, FINISHED, FAILED or KILLED;
 *       {@code reason} only with FAILED or KILLED.
 * </ul>
 *
 * <p>Readers skip line types they do not know, so the format can grow. A line torn by a crash is
 * completed with a newline when the spool is opened again, and readers skip it.
 *
 * <p>Nothing written holds credentials or names the tracking server: params of the {@code
 * tracking} section ({@link TrackingSettings#isTrackingKey}) are left out, and the user info of
 * every URL in a param or tag value, a run name, a status reason or the summary is {@link
 * Redaction redacted}.
 *
 * <p>Thread-safe: the training thread, the system-metrics sampler and a shutdown hook may write
 * to one spool at once.
 */
public final class TrackingSpool implements MetricSink, AutoCloseable {
    /** The spool's file name inside a run directory. */
    public static final String FILE_NAME = "tracking.jsonl";

    private final Path file;
    private final Writer writer;
    private boolean closed;
    /** The last status written, null before the first; decides whether a kill still needs recording. */
    private String status;
    /** Sees every metric first and may take it to another run; null for none. */
    private MetricDivert divert;

    /** Takes some metrics of a run to another run's spool instead, such as a teacher's training. */
    @FunctionalInterface
    public interface MetricDivert {
        /**
         * Called, under the spool's lock, for every metric before it is written.
         *
         * @return true when the metric was taken elsewhere and must not be written here
         */
        boolean divert(String key, double value, long step);
    }

    public TrackingSpool(Path file) {
        this.file = requireNonNull(file, "file is null");
        try {
            boolean torn = endsInsideALine(file);
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (torn) {
                // Terminate the torn line so that it stays one unreadable line instead of swallowing the next.
                writer.write('\n');
                writer.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open tracking spool " + file, e);
        }
    }

    private static boolean endsInsideALine(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return false;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(raf.length() - 1);
            return raf.read() != '\n';
        }
    }

    /** The spool file. */
    public Path file() {
        return file;
    }

    /**
     * Records who the run is; write it before anything else.
     *
     * @param run the run's identity
     */
    public synchronized void run(SpoolRun run) {
        ObjectNode line = line("run");
        line.put("id", run.id());
        line.put("name", Redaction.redact(run.name()));
        line.put("kind", run.kind().label());
        if (run.job() != null) {
            line.put("job", run.job());
        }
        if (run.parent() != null) {
            line.put("parent", run.parent());
        }
        if (run.experiment() != null) {
            line.put("experiment", run.experiment());
        }
        write(line);
    }

    /**
     * Records the job's parameters (the flattened resolved config); those of the {@code tracking}
     * section are left out.
     */
    public synchronized void params(Map<String, String> params) {
        Map<String, String> kept = new LinkedHashMap<>();
        params.forEach((key, value) -> {
            if (!TrackingSettings.isTrackingKey(key)) {
                kept.put(key, value);
            }
        });
        keyValueLines("param", kept);
    }

    /**
     * Hands every metric to {@code divert} first; what it takes is not written here. Replaces an
     * earlier divert; null removes it.
     */
    public synchronized void divertMetrics(MetricDivert divert) {
        this.divert = divert;
    }

    @Override
    public synchronized void metric(String key, double value, long step) {
        if (divert != null && divert.divert(key, value, step)) {
            return;
        }
        ObjectNode line = line("metric");
        line.put("key", key);
        if (Double.isFinite(value)) {
            line.put("value", value);
        } else {
            line.put("value", Double.toString(value)); // JSON has no NaN literal; MLflow accepts the quoted form
        }
        line.put("step", step);
        write(line);
    }

    /** Records tags; a later value for the same key replaces the earlier one. */
    public synchronized void tags(Map<String, String> tags) {
        keyValueLines("tag", tags);
    }

    private void keyValueLines(String type, Map<String, String> entries) {
        entries.forEach((key, value) -> {
            ObjectNode line = line(type);
            line.put("key", key);
            line.put("value", Redaction.redact(value));
            write(line);
        });
    }

    /**
     * Records a file or directory to upload as an artifact; it is read when the line is sent, so it
     * must stay where it is.
     *
     * @param path the file or directory, relative to the spool's directory
     * @param artifactDirectory the directory inside the run's artifacts, {@code ""} for the root
     */
    public synchronized void artifact(String path, String artifactDirectory) {
        ObjectNode line = line("artifact");
        line.put("path", requireNonNull(path, "path is null"));
        line.put("artifact_path", requireNonNull(artifactDirectory, "artifactDirectory is null"));
        write(line);
    }

    /** Records the job's summary (the same object as summary.json). */
    public synchronized void summary(Map<String, Object> summary) {
        ObjectNode line = line("summary");
        line.set("summary", redacted(Json.MAPPER.valueToTree(summary)));
        write(line);
    }

    /** Records a status change: RUNNING, FINISHED, FAILED or KILLED (the last two with a reason). */
    public synchronized void status(String status, String reason) {
        ObjectNode line = line("status");
        line.put("status", status);
        if (reason != null) {
            line.put("reason", Redaction.redact(reason));
        }
        write(line);
        this.status = status;
    }

    /** The last status written (RUNNING, FINISHED, FAILED, KILLED), or null before the first. */
    public synchronized String lastStatus() {
        return status;
    }

    /** The tree with every string in it {@link Redaction#redact redacted}. */
    private static JsonNode redacted(JsonNode node) {
        if (node.isTextual()) {
            String text = node.asText();
            String redacted = Redaction.redact(text);
            return redacted.equals(text) ? node : TextNode.valueOf(redacted);
        }
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> field.setValue(redacted(field.getValue())));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redacted(array.get(i)));
            }
        }
        return node;
    }

    /**
     * Records KILLED when the run is still running and the spool still open: what a shutdown hook
     * calls while the training thread may be anywhere.
     *
     * @return whether the line was written
     */
    public synchronized boolean markKilled(String reason) {
        if (closed || !"RUNNING".equals(status)) {
            return false;
        }
        status("KILLED", reason);
        return true;
    }

    private static ObjectNode line(String type) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("type", type);
        line.put("timestamp", System.currentTimeMillis());
        return line;
    }

    private void write(ObjectNode line) {
        if (closed) {
            throw new IllegalStateException("the tracking spool " + file + " is closed");
        }
        try {
            writer.write(Json.COMPACT.writeValueAsString(line));
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the tracking spool " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the tracking spool " + file, e);
        }
    }
}
