package org.fadkd.engine.train;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;
import org.fadkd.api.SettingsReader;

/**
 * How a model is trained: the {@code trainer} (student) and {@code teacher-training} sections.
 *
 * @param epochs passes over the training split
 * @param batchSize training batch size (the last partial batch is dropped)
 * @param evalBatchSize evaluation batch size (smaller keeps peak native memory down)
 * @param optimizer {@code adam} or {@code sgd}
 * @param learningRate the base learning rate
 * @param momentum SGD momentum (ignored by adam)
 * @param weightDecay L2 weight decay
 * @param schedule {@code cosine} (decay to 0 over the run), {@code one-cycle} (PyTorch's
 *     {@code OneCycleLR} with its defaults and {@code learningRate} as the peak, {@link
 *     OneCycleTracker}), {@code multi-step} (× {@code gamma} at each of {@code milestones}, {@link
 *     MultiStepTracker}) or {@code fixed}
 * @param milestones the 0-based epochs at which {@code multi-step} multiplies the rate by {@code
 *     gamma}, strictly increasing; a section without the key has none (any other schedule ignores them)
 * @param gamma the factor of {@code multi-step}; 0.1 in a section without the key
 * @param augment training-time augmentation of the training batches: {@code none} or {@code
 *     crop-flip} ({@link RandomCropFlip}); a section without the key means {@code none}, so
 *     sections written before it keep their meaning
 * @param prefetch training batches built ahead of the step on a loader thread ({@link
 *     BatchPrefetcher}), at least 0; 0 builds each batch on the training thread when the step
 *     needs it. The batches and their order are the same either way. A section without the key
 *     means {@link #DEFAULT_PREFETCH}
 */
public record TrainingSettings(
        int epochs,
        int batchSize,
        int evalBatchSize,
        String optimizer,
        double learningRate,
        double momentum,
        double weightDecay,
        String schedule,
        List<Integer> milestones,
        double gamma,
        String augment,
        int prefetch) {
    public TrainingSettings {
        milestones = List.copyOf(milestones);
        if (prefetch < 0) {
            throw new IllegalArgumentException("prefetch must be at least 0, got " + prefetch);
        }
    }

    /** The batches built ahead when a section does not say. */
    public static final int DEFAULT_PREFETCH = 2;

    /** The values of {@code schedule}. */
    public static final List<String> SCHEDULES = List.of("cosine", "one-cycle", "multi-step", "fixed");
    /** The values of {@code augment}. */
    public static final List<String> AUGMENTATIONS = List.of("none", "crop-flip");

    /** Reads and validates a section, reporting every problem at once. */
    public static TrainingSettings from(Config config, String path) {
        SettingsReader reader = new SettingsReader(config, "section", path);
        int epochs = reader.getInt("epochs", 1, Integer.MAX_VALUE);
        int batchSize = reader.getInt("batch-size", 2, Integer.MAX_VALUE);
        int evalBatchSize = reader.getInt("eval-batch-size", 1, Integer.MAX_VALUE);
        String optimizer = reader.getString("optimizer").toLowerCase(Locale.ROOT);
        reader.check(List.of("adam", "sgd").contains(optimizer), "optimizer", "adam or sgd");
        double learningRate = reader.getDouble("learning-rate", value -> value > 0, "(0, inf)");
        double momentum = reader.getDouble("momentum", value -> value >= 0 && value < 1, "[0, 1)");
        double weightDecay = reader.getDouble("weight-decay", value -> value >= 0, "[0, inf)");
        String schedule = reader.getString("schedule").toLowerCase(Locale.ROOT);
        reader.check(SCHEDULES.contains(schedule), "schedule", "cosine, one-cycle, multi-step or fixed");
        // Optional like augment, so sections written before multi-step keep their meaning.
        List<Integer> milestones = config.hasPath("milestones") ? reader.getIntList("milestones") : List.of();
        reader.check(MultiStepTracker.isIncreasingFromOne(milestones), "milestones",
                "a strictly increasing list of epochs, each at least 1");
        reader.check(!schedule.equals("multi-step") || !milestones.isEmpty(), "milestones",
                "a non-empty list of epochs when schedule = multi-step");
        double gamma = config.hasPath("gamma") ? reader.getDouble("gamma", value -> value > 0, "(0, inf)") : 0.1;
        String augment = config.hasPath("augment") ? reader.getString("augment").toLowerCase(Locale.ROOT) : "none";
        reader.check(AUGMENTATIONS.contains(augment), "augment", "none or crop-flip");
        int prefetch = config.hasPath("prefetch") ? reader.getInt("prefetch", 0, 1024) : DEFAULT_PREFETCH;
        reader.throwIfInvalid();
        return new TrainingSettings(
                epochs, batchSize, evalBatchSize, optimizer, learningRate, momentum, weightDecay, schedule, milestones,
                gamma, augment, prefetch);
    }
}
