package org.fadkd.runner.tracking.mlflow;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.tracking.SpoolEvent;
import org.fadkd.runner.tracking.SpoolReader;
import org.fadkd.runner.tracking.TrackingSettings;
import org.fadkd.runner.tracking.TrackingSpool;

/**
 * The replays of one server, one per spool directory, so that a child's replay finds (or creates)
 * its parent's run through the same replay object the parent uses. Not thread-safe: one sender
 * thread, or one sync, owns it.
 */
final class SpoolReplays {
    private final MlflowServer server;
    private final TrackingSettings settings;
    private final String experimentOverride;
    private final Consumer<String> warnings;
    private final Map<Path, SpoolReplay> replays = new LinkedHashMap<>();

    /**
     * @param experimentOverride the experiment every spool goes to, or null for each spool's own
     */
    SpoolReplays(MlflowServer server, TrackingSettings settings, String experimentOverride, Consumer<String> warnings) {
        this.server = requireNonNull(server, "server is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.experimentOverride = experimentOverride;
        this.warnings = requireNonNull(warnings, "warnings is null");
    }

    /** The replay of the spool in {@code directory}, created on first use. */
    SpoolReplay get(Path directory) {
        Path key = directory.toAbsolutePath().normalize();
        SpoolReplay replay = replays.get(key);
        if (replay == null) {
            replay = new SpoolReplay(key, server, experimentOf(key), settings, this::parentRunId, warnings);
            replays.put(key, replay);
        }
        return replay;
    }

    private String parentRunId(Path parentDirectory) {
        if (!Files.isRegularFile(parentDirectory.resolve(TrackingSpool.FILE_NAME))) {
            throw new IllegalStateException("the parent run's spool " + parentDirectory.resolve(TrackingSpool.FILE_NAME)
                    + " is missing");
        }
        return get(parentDirectory).ensureRun();
    }

    /**
     * The experiment of a spool: the override, else the one its run line names, else the one its
     * job's summary.json names, else the settings' experiment.
     */
    private String experimentOf(Path directory) {
        if (experimentOverride != null) {
            return experimentOverride;
        }
        for (SpoolEvent event : SpoolReader.readAll(directory.resolve(TrackingSpool.FILE_NAME))) {
            if (event instanceof SpoolEvent.RunStarted started && started.run().experiment() != null) {
                return started.run().experiment();
            }
        }
        String fromSummary = experimentInSummary(directory.resolve("summary.json"));
        if (fromSummary != null) {
            return fromSummary;
        }
        return settings.experiment();
    }

    private static String experimentInSummary(Path summary) {
        if (!Files.isRegularFile(summary)) {
            return null;
        }
        try {
            JsonNode experiment = Json.MAPPER.readTree(summary.toFile()).path("experiment");
            return experiment.isTextual() && !experiment.asText().isBlank() ? experiment.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
