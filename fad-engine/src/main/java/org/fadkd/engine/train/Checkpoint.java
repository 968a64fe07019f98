package org.fadkd.engine.train;

import static java.util.Objects.requireNonNull;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.util.FileTrees;
import org.fadkd.engine.util.Json;

/**
 * What the training loop saves at the end of an epoch so that an interrupted run can resume
 * (fad-spec §8): the student's weights, the position of the run, the best metric so far, the
 * epoch reports so far and the method's state.
 *
 * <p>Layout of a checkpoint directory: {@code epoch-NNNN/} holds one checkpoint, the student's
 * weights ({@code student-0000.params}, written by DJL's {@link Model#save}) and {@code
 * state.json} ({@link Json#NON_FINITE_AS_NUMBERS}: a NaN metric or an infinite best comes back as
 * the number it was); the file {@code latest} names the newest complete one. A checkpoint is
 * written into {@code epoch-NNNN.tmp/}, moved to {@code epoch-NNNN/}, and only then {@code latest}
 * is replaced by an atomic move of a temporary file, after which older checkpoints are deleted. A
 * crash at any point therefore leaves {@code latest} naming a complete checkpoint (or no {@code
 * latest} at all before the first one).
 *
 * <p>Not saved: the optimizer's moment estimates (Adam's means and variances, SGD's momentum).
 * DJL 0.35.1 keeps them in private fields of {@code Adam} and {@code Sgd} with no accessor, so a
 * resumed run starts them afresh; the learning-rate schedule continues from the saved global step.
 *
 * @param epoch the last finished epoch, 1-based
 * @param epochs the run's planned epochs when the checkpoint was written
 * @param globalStep optimizer steps taken so far
 * @param best the best validation value of the primary metric so far
 * @param bestEpoch the epoch that reached it, 0 when none did
 * @param last the primary metric after {@code epoch}
 * @param reports the reports of epochs 1..{@code epoch}
 * @param methodState the method's {@code getState()}, after a trip through JSON
 */
public record Checkpoint(
        int epoch,
        int epochs,
        long globalStep,
        double best,
        int bestEpoch,
        double last,
        List<EpochReport> reports,
        Map<String, Object> methodState) {
    private static final int FORMAT = 1;
    private static final String LATEST = "latest";
    private static final String STATE = "state.json";
    private static final String WEIGHTS = "student";

    public Checkpoint {
        reports = List.copyOf(reports);
        methodState = new LinkedHashMap<>(methodState);
    }

    /** Whether {@code directory} holds a complete checkpoint. */
    public static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve(LATEST));
    }

    /**
     * Writes this checkpoint with the student's weights and the method's modules into {@code
     * directory} (created if needed), replacing the previous one atomically.
     */
    void write(Path directory, Model student, MethodModules modules) {
        requireNonNull(directory, "directory is null");
        requireNonNull(student, "student is null");
        String name = String.format("epoch-%04d", epoch);
        Path target = directory.resolve(name);
        Path temporary = directory.resolve(name + ".tmp");
        try {
            Files.createDirectories(directory);
            FileTrees.deleteRecursively(temporary);
            Files.createDirectories(temporary);
            student.save(temporary, WEIGHTS);
            modules.save(temporary);
            Files.writeString(temporary.resolve(STATE), Json.NON_FINITE_AS_NUMBERS.writeValueAsString(toJson()),
                    StandardCharsets.UTF_8);
            FileTrees.deleteRecursively(target);
            FileTrees.move(temporary, target);
            Path pointer = directory.resolve(LATEST + ".tmp");
            Files.writeString(pointer, name + "\n", StandardCharsets.UTF_8);
            FileTrees.move(pointer, directory.resolve(LATEST));
            try (Stream<Path> entries = Files.list(directory)) {
                for (Path entry : entries.toList()) {
                    String entryName = entry.getFileName().toString();
                    if (entryName.startsWith("epoch-") && !entryName.equals(name)) {
                        FileTrees.deleteRecursively(entry);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint in " + directory, e);
        }
    }

    /**
     * Reads the newest complete checkpoint of {@code directory} and loads its weights into {@code
     * student}, whose block must be set and not yet initialised.
     *
     * @return the checkpoint, or empty when the directory holds none
     * @throws FadException with INTERNAL when the checkpoint is unreadable
     */
    public static Optional<Checkpoint> load(Path directory, Model student) {
        requireNonNull(directory, "directory is null");
        if (!exists(directory)) {
            return Optional.empty();
        }
        Path checkpoint = null;
        try {
            checkpoint = directory.resolve(Files.readString(directory.resolve(LATEST), StandardCharsets.UTF_8).trim());
            Checkpoint result = fromJson(Json.MAPPER.readValue(
                    Files.readString(checkpoint.resolve(STATE), StandardCharsets.UTF_8), StateJson.class));
            if (student != null) {
                student.load(checkpoint, WEIGHTS);
            }
            return Optional.of(result);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (e instanceof FadException fad) {
                throw fad;
            }
            throw new FadException(ErrorCode.INTERNAL, String.format(
                    "The checkpoint in '%s' cannot be read (%s). Delete the directory to start the job afresh.",
                    checkpoint == null ? directory : checkpoint, e), e);
        }
    }

    /** {@code state.json}: the layout Gson wrote before, key for key, so old checkpoints read as they did. */
    @JsonPropertyOrder({"format", "epoch", "epochs", "global-step", "best", "best-epoch", "last", "reports", "method-state"})
    record StateJson(
            @JsonProperty(value = "format", required = true) int format,
            @JsonProperty(value = "epoch", required = true) int epoch,
            @JsonProperty(value = "epochs", required = true) int epochs,
            @JsonProperty(value = "global-step", required = true) long globalStep,
            @JsonProperty(value = "best", required = true) double best,
            @JsonProperty(value = "best-epoch", required = true) int bestEpoch,
            @JsonProperty(value = "last", required = true) double last,
            @JsonProperty(value = "reports", required = true) List<ReportJson> reports,
            @JsonProperty(value = "method-state", required = true) Map<String, Object> methodState) {}

    /** One {@link EpochReport} in {@code state.json}. */
    @JsonPropertyOrder({"epoch", "training", "validation", "seconds", "resident-mb"})
    record ReportJson(
            @JsonProperty(value = "epoch", required = true) int epoch,
            @JsonProperty(value = "training", required = true) Map<String, Double> training,
            @JsonProperty(value = "validation", required = true) Map<String, Double> validation,
            @JsonProperty(value = "seconds", required = true) double seconds,
            @JsonProperty(value = "resident-mb", required = true) double residentMegabytes) {}

    StateJson toJson() {
        List<ReportJson> reportList = new ArrayList<>();
        for (EpochReport report : reports) {
            reportList.add(new ReportJson(report.epoch(), report.training(), report.validation(), report.seconds(),
                    report.residentMegabytes()));
        }
        return new StateJson(FORMAT, epoch, epochs, globalStep, best, bestEpoch, last, reportList, methodState);
    }

    /**
     * Loads the method's modules saved with the newest checkpoint of {@code directory} into {@code
     * modules}, which the method has just built.
     *
     * @throws FadException with INTERNAL when they cannot be read
     */
    static void loadModules(Path directory, MethodModules modules) {
        try {
            Path checkpoint = directory.resolve(
                    Files.readString(directory.resolve(LATEST), StandardCharsets.UTF_8).trim());
            modules.load(checkpoint);
        } catch (IOException e) {
            throw new FadException(ErrorCode.INTERNAL, String.format(
                    "Cannot restore the method's modules from the checkpoint in %s: %s. Start the job afresh"
                            + " (delete that directory) or resume with the method settings it was written with.",
                    directory, e.getMessage()));
        }
    }

    static Checkpoint fromJson(StateJson json) {
        if (json.format() != FORMAT) {
            throw new IllegalArgumentException("checkpoint format " + json.format() + " is not " + FORMAT);
        }
        List<EpochReport> reports = new ArrayList<>();
        for (ReportJson report : json.reports()) {
            reports.add(new EpochReport(report.epoch(), require(report.training(), "training"),
                    require(report.validation(), "validation"), report.seconds(), report.residentMegabytes()));
        }
        return new Checkpoint(json.epoch(), json.epochs(), json.globalStep(), json.best(), json.bestEpoch(),
                json.last(), reports, require(json.methodState(), "method-state"));
    }

    private static <T> T require(T value, String key) {
        if (value == null) {
            throw new IllegalArgumentException("state.json's '" + key + "' is null");
        }
        return value;
    }
}
