package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.SettingsReader;
import org.fadkd.api.StageSettings;
import org.fadkd.engine.measure.TimingSettings;
import org.fadkd.engine.selection.SelectionSettings;
import org.fadkd.engine.train.TrainingSettings;

/**
 * The host's own settings of a job, typed: every section of {@code job-defaults.conf} a job reads
 * besides its components. {@link #from} is the one place they are read from a job's config, and it
 * reports every problem at once.
 *
 * @param seed the job's seed
 * @param trainer the shared keys of the {@code trainer} section (the trainer component reads its own)
 * @param teacherTraining how a teacher is trained when no cached one matches
 * @param teacherFlow the teacher-flow cache (fad-spec §9)
 * @param checkpoints whether the student's training writes checkpoints (fad-spec §8)
 * @param measurement how models are timed (fad-spec §13)
 * @param selection the {@code selection} section (fad-spec §10)
 * @param validation what is decided on which split (fad-spec §12.1)
 */
public record JobSettings(
        long seed,
        TrainingSettings trainer,
        TeacherTraining teacherTraining,
        TeacherFlow teacherFlow,
        boolean checkpoints,
        TimingSettings measurement,
        SelectionSettings selection,
        Validation validation) {

    /**
     * The keys of the {@code trainer} section that belong to the host: batch sizes, optimizer
     * settings (a stage's {@code multi-step} schedule uses the job's milestones and gamma), the
     * training-time augmentation and the batches prefetched.
     */
    public static final List<String> SHARED_TRAINER_KEYS = List.of(
            "epochs", "batch-size", "eval-batch-size", "optimizer", "learning-rate", "momentum", "weight-decay",
            "schedule", "milestones", "gamma", "augment", "prefetch");

    public JobSettings {
        requireNonNull(trainer, "trainer is null");
        requireNonNull(teacherTraining, "teacherTraining is null");
        requireNonNull(teacherFlow, "teacherFlow is null");
        requireNonNull(measurement, "measurement is null");
        requireNonNull(selection, "selection is null");
        requireNonNull(validation, "validation is null");
    }

    /**
     * The protocol (fad-spec §12.1): choices on validation, the test split evaluated once at the end.
     *
     * @param holdOut the fraction of the training split held out as validation for a dataset
     *     without a validation split of its own; 0 for none (validation then serves the test split)
     * @param keepBest whether the student ends on its best validation epoch's weights (else its last)
     */
    public record Validation(double holdOut, boolean keepBest) {
        /** Reads the {@code validation} section of a job's config; its defaults when it has none. */
        public static Validation from(Config config) {
            if (!config.hasPath("validation")) {
                return new Validation(0.1, true);
            }
            SettingsReader reader = new SettingsReader(config.getConfig("validation"), "section", "validation");
            double holdOut = reader.getDouble("hold-out", value -> value >= 0 && value <= 0.5, "[0, 0.5]");
            String keep = reader.getString("keep");
            reader.check(List.of("best", "last").contains(keep), "keep", "best or last");
            reader.throwIfInvalid();
            return new Validation(holdOut, keep.equals("best"));
        }
    }

    /**
     * How a teacher is trained.
     *
     * @param training epochs, batch sizes and optimizer
     * @param seed the seed of teacher training, apart from the job's so a seed sweep shares one teacher
     * @param cache whether a matching cached teacher is reused
     * @param fineTune whether a teacher that brings trained weights (a model section's {@code
     *     weights}) is trained further from them with this recipe, and cached, rather than measured
     *     as it is
     */
    public record TeacherTraining(TrainingSettings training, long seed, boolean cache, boolean fineTune) {}

    /**
     * The teacher-flow cache.
     *
     * @param cache whether methods get the cached mean teacher profile
     * @param batches training batches the mean is taken over; 0 for all
     * @param logits whether the teacher's logits are cached too
     */
    public record TeacherFlow(boolean cache, int batches, boolean logits) {}

    /** Whether the job selects its student from {@code selection.candidates} before distilling it. */
    public boolean selects() {
        return selection.enabled();
    }

    /** The optimizer settings trainers start from. */
    public StageSettings stageSettings() {
        return new StageSettings(trainer.epochs(), trainer.optimizer(), trainer.learningRate(), trainer.momentum(),
                trainer.weightDecay(), trainer.schedule());
    }

    /**
     * Reads a job's resolved config.
     *
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} listing every problem
     */
    public static JobSettings from(Config config) {
        List<String> problems = new ArrayList<>();
        Long seed = read(problems, () -> config.getLong("seed"));
        TrainingSettings trainer = read(problems, () -> TrainingSettings.from(config.getConfig("trainer"), "trainer"));
        TeacherTraining teacherTraining = read(problems, () -> teacherTraining(config.getConfig("teacher-training")));
        TeacherFlow teacherFlow = read(problems, () -> teacherFlow(config.getConfig("teacher-flow")));
        Boolean checkpoints = read(problems, () -> !config.hasPath("checkpoint.enabled")
                || booleanSetting(config.getConfig("checkpoint"), "checkpoint", "enabled"));
        TimingSettings measurement =
                read(problems, () -> TimingSettings.from(config.getConfig("measurement"), "measurement"));
        SelectionSettings selection = read(problems, () -> SelectionSettings.from(config.getConfig("selection")));
        Validation validation = read(problems, () -> Validation.from(config));
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "Invalid job settings:", problems);
        }
        return new JobSettings(seed, trainer, teacherTraining, teacherFlow, checkpoints, measurement, selection,
                validation);
    }

    private static TeacherTraining teacherTraining(Config section) {
        TrainingSettings training = TrainingSettings.from(section, "teacher-training");
        SettingsReader reader = new SettingsReader(section, "section", "teacher-training");
        boolean cache = reader.getBoolean("cache");
        // absent from sections written before it existed (a benchmark's, an engine caller's own)
        boolean fineTune = section.hasPath("fine-tune") && reader.getBoolean("fine-tune");
        reader.throwIfInvalid();
        return new TeacherTraining(training, section.getLong("seed"), cache, fineTune);
    }

    private static TeacherFlow teacherFlow(Config section) {
        SettingsReader reader = new SettingsReader(section, "section", "teacher-flow");
        boolean cache = reader.getBoolean("cache");
        int batches = reader.getInt("batches", 0, Integer.MAX_VALUE);
        boolean logits = reader.getBoolean("logits");
        reader.throwIfInvalid();
        if (logits && !cache) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "teacher-flow.logits is 'true' but teacher-flow.cache is"
                    + " 'false'; the teacher logits are cached with the mean profile. Set teacher-flow.cache = true or"
                    + " teacher-flow.logits = false.");
        }
        return new TeacherFlow(cache, batches, logits);
    }

    private static boolean booleanSetting(Config section, String path, String key) {
        SettingsReader reader = new SettingsReader(section, "section", path);
        boolean value = reader.getBoolean(key);
        reader.throwIfInvalid();
        return value;
    }

    /** Reads one section, collecting its problems (a missing section is one too) instead of throwing. */
    private static <T> T read(List<String> problems, java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (FadException e) {
            problems.addAll(e.getProblems());
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        return null;
    }
}
