package org.fadkd.runner.tracking;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fadkd.engine.util.Json;

/**
 * Reads a {@link TrackingSpool} incrementally, complete lines only: a line still being written (no
 * newline yet) is left for the next call, so a reader may follow a spool that a training thread
 * is appending to. Not thread-safe; one reader per spool and thread.
 */
public final class SpoolReader {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Path file;
    private long position;
    private int nextLine;

    public SpoolReader(Path file) {
        this.file = requireNonNull(file, "file is null");
    }

    /** The number of complete lines read so far. */
    public int linesRead() {
        return nextLine;
    }

    /** Reads every complete line not read yet; an absent spool has none. */
    public List<SpoolEvent> readNew() {
        List<SpoolEvent> events = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return events;
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            channel.position(position);
            InputStream in = Channels.newInputStream(channel);
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            long consumed = position;
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    consumed++;
                    if (buffer[i] == '\n') {
                        events.add(parse(nextLine++, current.toString(StandardCharsets.UTF_8)));
                        current.reset();
                        position = consumed;
                    } else {
                        current.write(buffer[i]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tracking spool " + file, e);
        }
        return events;
    }

    @Override
    public String toString() {
        return file.toString();
    }

    /** Reads every complete line of a spool. */
    public static List<SpoolEvent> readAll(Path file) {
        return new SpoolReader(file).readNew();
    }

    static SpoolEvent parse(int line, String text) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return new SpoolEvent.Skipped(line, 0, "not JSON (a line torn by a crash?)");
        }
        if (node == null || !node.isObject()) {
            return new SpoolEvent.Skipped(line, 0, "not a JSON object");
        }
        long timestamp = node.path("timestamp").asLong(0);
        String type = node.path("type").asText("");
        switch (type) {
            case "run":
                return new SpoolEvent.RunStarted(line, timestamp, new SpoolRun(
                        node.path("id").asText(), node.path("name").asText(),
                        SpoolRun.Kind.of(node.path("kind").asText()),
                        node.hasNonNull("job") ? node.get("job").asInt() : null,
                        node.hasNonNull("parent") ? node.get("parent").asText() : null,
                        node.hasNonNull("experiment") ? node.get("experiment").asText() : null));
            case "param":
                return new SpoolEvent.Param(line, timestamp, node.path("key").asText(), node.path("value").asText());
            case "metric":
                return new SpoolEvent.Metric(line, timestamp, node.path("key").asText(),
                        number(node.path("value")), node.path("step").asLong(0));
            case "tag":
                return new SpoolEvent.Tag(line, timestamp, node.path("key").asText(), node.path("value").asText());
            case "artifact":
                return new SpoolEvent.Artifact(line, timestamp, node.path("path").asText(),
                        node.path("artifact_path").asText(""));
            case "summary":
                JsonNode summary = node.path("summary");
                return new SpoolEvent.Summary(line, timestamp,
                        summary.isObject() ? Json.MAPPER.convertValue(summary, MAP) : Map.of());
            case "status":
                return new SpoolEvent.Status(line, timestamp, node.path("status").asText(),
                        node.hasNonNull("reason") ? node.get("reason").asText() : null);
            default:
                return new SpoolEvent.Skipped(line, timestamp, "unknown line type '" + type + "'");
        }
    }

    /** A JSON number, or NaN and the infinities as the spool and MLflow write them: quoted. */
    public static double number(JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        try {
            return Double.parseDouble(value.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
