package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.util.FileTrees;
import org.fadkd.engine.util.Json;

/**
 * Ties a job's checkpoints to the configuration and the data that wrote them, so that they are
 * only ever continued by the same job: {@code checkpoint/owner.json} records the job's config hash
 * and its data's fingerprint when the job starts checkpointing. A fresh run never continues a
 * checkpoint (its directory is new); {@code --resume} continues one only when both still match.
 *
 * @param configHash the hash of the job's configuration (the host leaves out where output goes)
 * @param dataFingerprint the training data's fingerprint ({@code LabeledDataset#getFingerprint})
 */
public record CheckpointOwner(
        @JsonProperty(value = "config-hash", required = true) String configHash,
        @JsonProperty(value = "data-fingerprint", required = true) String dataFingerprint) {
    static final String FILE_NAME = "owner.json";

    public CheckpointOwner {
        requireNonNull(configHash, "configHash is null");
        requireNonNull(dataFingerprint, "dataFingerprint is null");
    }

    /**
     * Claims {@code checkpoints} for this owner before anything trains: records the owner in an
     * empty or missing directory; accepts one recorded by an equal owner when the job resumes.
     *
     * @param resume whether the job was asked to continue where it stopped ({@code --resume})
     * @throws FadException with CONFIG_INVALID when the directory holds checkpoints the job must not
     *     continue: any, for a fresh run; another configuration's or data's, or unowned ones, for a
     *     resumed one
     */
    void claim(Path checkpoints, boolean resume) {
        Path file = checkpoints.resolve(FILE_NAME);
        try {
            if (!hasEntries(checkpoints)) {
                Files.createDirectories(checkpoints);
                FileTrees.writeAtomically(file, Json.MAPPER.writeValueAsString(this));
                return;
            }
            if (!resume) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "'%s' already holds checkpoints of an earlier run; a new run never continues them. Continue"
                                + " that run with --resume, or write this one to another directory.", checkpoints));
            }
            CheckpointOwner recorded = Files.isRegularFile(file)
                    ? Json.MAPPER.readValue(file.toFile(), CheckpointOwner.class)
                    : null;
            if (recorded == null) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "The checkpoints in '%s' do not record the configuration that wrote them (an earlier FAD"
                                + " version, or a copied directory), so they cannot be resumed safely. Delete them"
                                + " to train the job afresh.", checkpoints));
            }
            if (!recorded.equals(this)) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "The checkpoints in '%s' were written by another configuration or other data"
                                + " (config hash %s, data fingerprint %s); this job has config hash %s and data"
                                + " fingerprint %s. Resume with the config.conf and data the job started with, or"
                                + " delete the checkpoints to train afresh.",
                        checkpoints, recorded.configHash, recorded.dataFingerprint, configHash, dataFingerprint));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the checkpoints' owner in " + file, e);
        }
    }

    private static boolean hasEntries(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Files.exists(directory);
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isPresent();
        }
    }
}
