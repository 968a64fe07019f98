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
 *     OneCycleTracker}) or {@code fixed}
 * @param augment training-time augmentation of the training batches: {@code none} or {@code
 *     crop-flip} ({@link RandomCropFlip}); a section without the key means {@code none}, so
 *     sections written before it keep their meaning
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
        String augment) {
    /** The values of {@code schedule}. */
    public static final List<String> SCHEDULES = List.of("cosine", "one-cycle", "fixed");
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
        reader.check(SCHEDULES.contains(schedule), "schedule", "cosine, one-cycle or fixed");
        String augment = config.hasPath("augment") ? reader.getString("augment").toLowerCase(Locale.ROOT) : "none";
        reader.check(AUGMENTATIONS.contains(augment), "augment", "none or crop-flip");
        reader.throwIfInvalid();
        return new TrainingSettings(
                epochs, batchSize, evalBatchSize, optimizer, learningRate, momentum, weightDecay, schedule, augment);
    }
}
