package org.fadkd.api;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;

/**
 * The optimizer settings of one training stage: the job's {@code trainer} keys ({@link
 * TrainerHost#settings()}), or a stage's own values for some of them ({@link #overriddenBy}).
 * Batch sizes are the job's and the same in every stage.
 *
 * @param epochs passes over the training split, at least 1
 * @param optimizer {@code adam} or {@code sgd}
 * @param learningRate the base learning rate, above 0
 * @param momentum SGD momentum in [0, 1) (adam ignores it)
 * @param weightDecay L2 weight decay, at least 0
 * @param schedule {@code cosine} (decay to 0 over the stage), {@code one-cycle} (PyTorch's
 *     OneCycleLR with its defaults, peaking at the learning rate), {@code multi-step} (step decay at
 *     the job's {@code trainer.milestones}, by {@code trainer.gamma}; since 0.3) or {@code fixed}
 * @since 0.2
 */
public record StageSettings(
        int epochs, String optimizer, double learningRate, double momentum, double weightDecay, String schedule) {
    /** The keys a stage may set; each overrides the job's value of the same name. */
    public static final List<String> KEYS =
            List.of("epochs", "optimizer", "learning-rate", "momentum", "weight-decay", "schedule");

    public StageSettings {
        requireNonNull(optimizer, "optimizer is null");
        requireNonNull(schedule, "schedule is null");
    }

    /**
     * Returns these settings with the values {@code section} sets among {@link #KEYS}, checked:
     * keys it lacks keep this record's values.
     *
     * @param section a stage's section, never null
     * @param path the section's path in the job's config, for messages (e.g. {@code trainer.stages[0]})
     * @return the stage's settings, never null
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} listing every invalid value
     * @since 0.2
     */
    public StageSettings overriddenBy(Config section, String path) {
        SettingsReader reader = new SettingsReader(section, "section", path);
        int stageEpochs = section.hasPath("epochs") ? reader.getInt("epochs", 1, Integer.MAX_VALUE) : epochs;
        String stageOptimizer = section.hasPath("optimizer")
                ? reader.getString("optimizer").toLowerCase(Locale.ROOT) : optimizer;
        reader.check(List.of("adam", "sgd").contains(stageOptimizer), "optimizer", "adam or sgd");
        double rate = section.hasPath("learning-rate")
                ? reader.getDouble("learning-rate", value -> value > 0, "(0, inf)") : learningRate;
        double stageMomentum = section.hasPath("momentum")
                ? reader.getDouble("momentum", value -> value >= 0 && value < 1, "[0, 1)") : momentum;
        double decay = section.hasPath("weight-decay")
                ? reader.getDouble("weight-decay", value -> value >= 0, "[0, inf)") : weightDecay;
        String stageSchedule = section.hasPath("schedule")
                ? reader.getString("schedule").toLowerCase(Locale.ROOT) : schedule;
        reader.check(List.of("cosine", "one-cycle", "multi-step", "fixed").contains(stageSchedule), "schedule",
                "cosine, one-cycle, multi-step or fixed");
        reader.throwIfInvalid();
        return new StageSettings(stageEpochs, stageOptimizer, rate, stageMomentum, decay, stageSchedule);
    }
}
