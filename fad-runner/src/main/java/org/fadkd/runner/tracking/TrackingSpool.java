package org.fadkd.runner.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.fadkd.api.MetricSink;

/**
 * A job's append-only tracking log, {@code tracking.jsonl}: one JSON object per line for every
 * param, metric point, summary and status change, flushed as it is written so that a crash loses
 * nothing already reported. The MLflow adapter will replay these files.
 *
 * <p>Line types: {@code {"type":"param","key":…,"value":…}}, {@code
 * {"type":"metric","key":…,"value":…,"step":…,"timestamp":…}}, {@code {"type":"summary",…}},
 * {@code {"type":"status","status":…}}; every line carries {@code timestamp} in epoch milliseconds.
 */
public final class TrackingSpool implements MetricSink, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Writer writer;

    public TrackingSpool(Path file) {
        try {
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open tracking spool " + file, e);
        }
    }

    /** Records the job's parameters (the flattened resolved config). */
    public synchronized void params(Map<String, String> params) {
        params.forEach((key, value) -> {
            ObjectNode line = line("param");
            line.put("key", key);
            line.put("value", value);
            write(line);
        });
    }

    @Override
    public synchronized void metric(String key, double value, long step) {
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

    /** Records the job's summary (the same object as summary.json). */
    public synchronized void summary(Map<String, Object> summary) {
        ObjectNode line = line("summary");
        line.set("summary", JSON.valueToTree(summary));
        write(line);
    }

    /** Records a status change: RUNNING, FINISHED or FAILED (with a reason). */
    public synchronized void status(String status, String reason) {
        ObjectNode line = line("status");
        line.put("status", status);
        if (reason != null) {
            line.put("reason", reason);
        }
        write(line);
    }

    private static ObjectNode line(String type) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", type);
        line.put("timestamp", System.currentTimeMillis());
        return line;
    }

    private void write(ObjectNode line) {
        try {
            writer.write(JSON.writeValueAsString(line));
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the tracking spool", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the tracking spool", e);
        }
    }
}
