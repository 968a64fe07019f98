package org.fadkd.engine.train;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

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
 * @param schedule {@code cosine} (decay to 0 over the run) or {@code fixed}
 */
public record TrainingSettings(
        int epochs,
        int batchSize,
        int evalBatchSize,
        String optimizer,
        double learningRate,
        double momentum,
        double weightDecay,
        String schedule) {

    /** Reads and validates a section, reporting every problem at once. */
    public static TrainingSettings from(Config config, String path) {
        List<String> problems = new ArrayList<>();
        int epochs = config.getInt("epochs");
        int batchSize = config.getInt("batch-size");
        int evalBatchSize = config.getInt("eval-batch-size");
        String optimizer = config.getString("optimizer").toLowerCase(Locale.ROOT);
        double learningRate = config.getDouble("learning-rate");
        double momentum = config.getDouble("momentum");
        double weightDecay = config.getDouble("weight-decay");
        String schedule = config.getString("schedule").toLowerCase(Locale.ROOT);
        check(problems, epochs >= 1, path, "epochs", epochs, "an integer >= 1");
        check(problems, batchSize >= 2, path, "batch-size", batchSize, "an integer >= 2");
        check(problems, evalBatchSize >= 1, path, "eval-batch-size", evalBatchSize, "an integer >= 1");
        check(problems, List.of("adam", "sgd").contains(optimizer), path, "optimizer", optimizer, "adam or sgd");
        check(problems, learningRate > 0, path, "learning-rate", learningRate, "a number > 0");
        check(problems, momentum >= 0 && momentum < 1, path, "momentum", momentum, "[0, 1)");
        check(problems, weightDecay >= 0, path, "weight-decay", weightDecay, "a number >= 0");
        check(problems, List.of("cosine", "fixed").contains(schedule), path, "schedule", schedule, "cosine or fixed");
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.join("\n", problems));
        }
        return new TrainingSettings(
                epochs, batchSize, evalBatchSize, optimizer, learningRate, momentum, weightDecay, schedule);
    }

    private static void check(List<String> problems, boolean ok, String path, String key, Object value, String allowed) {
        if (!ok) {
            problems.add(String.format("'%s.%s' is '%s'; allowed: %s.", path, key, value, allowed));
        }
    }
}
