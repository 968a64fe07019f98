package org.fadkd.runner.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fadkd.engine.util.Json;

/**
 * What has been sent of one spool, {@code mlflow-sync.json} beside it: per server and experiment,
 * the MLflow run the spool became and how many of its lines the server acknowledged. Written
 * atomically (a temporary file moved over the old one) after every acknowledged request, so a
 * crash leaves either the old or the new state, never a torn one.
 *
 * <p>{@code in_flight} marks the lines of a request that was sent but not acknowledged; before
 * sending them again the replay asks the server which of their metric points it already holds,
 * since metric points, unlike params and tags, would be stored twice.
 */
public final class SyncState {
    public static final String FILE_NAME = "mlflow-sync.json";

    /** The spool's id when its spool has no run line (spools written before there was one). */
    @JsonProperty("spool_id")
    public String spoolId;

    /** By {@link #targetKey}. */
    @JsonProperty("targets")
    public Map<String, Target> targets = new LinkedHashMap<>();

    /** The state of one spool on one server and experiment. */
    public static final class Target {
        @JsonProperty("experiment_id")
        public String experimentId;

        @JsonProperty("run_id")
        public String runId;

        @JsonProperty("artifact_uri")
        public String artifactUri;

        /** Lines 0 to acknowledgedLines - 1 are on the server. */
        @JsonProperty("acknowledged_lines")
        public int acknowledgedLines;

        /** {@code [from, to)}: lines sent but not acknowledged, or null. */
        @JsonProperty("in_flight")
        public int[] inFlight;

        /** The last status the server acknowledged; RUNNING after creation. */
        @JsonProperty("status")
        public String status;
    }

    /** The key of a server and experiment: the URL without credentials, and the experiment's name. */
    public static String targetKey(String displayUri, String experiment) {
        return displayUri + " experiment=" + experiment;
    }

    /** The state file of the spool in {@code directory}. */
    public static Path file(Path directory) {
        return directory.resolve(FILE_NAME);
    }

    /** Reads the state beside a spool; a fresh state when there is none. */
    public static SyncState read(Path directory) {
        Path file = file(directory);
        if (!Files.isRegularFile(file)) {
            return new SyncState();
        }
        try {
            SyncState state = Json.MAPPER.readValue(file.toFile(), SyncState.class);
            return state.targets == null ? withTargets(state) : state;
        } catch (IOException e) {
            throw new UncheckedIOException(String.format(
                    "cannot read %s; it records which runs this spool created in MLflow, so check it rather than"
                            + " delete it (deleting it makes the next sync create new runs)", file), e);
        }
    }

    private static SyncState withTargets(SyncState state) {
        state.targets = new LinkedHashMap<>();
        return state;
    }

    /** The state for one server and experiment, created empty on first use. */
    public Target target(String key) {
        return targets.computeIfAbsent(requireNonNull(key, "key is null"), k -> new Target());
    }

    /** Writes the state beside the spool, atomically. */
    public void write(Path directory) {
        Path file = file(directory);
        Path temporary = directory.resolve(FILE_NAME + ".tmp");
        try {
            Json.MAPPER.writeValue(temporary.toFile(), this);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
