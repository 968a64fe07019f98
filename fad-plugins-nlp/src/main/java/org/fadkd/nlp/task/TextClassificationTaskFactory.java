package org.fadkd.nlp.task;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.FadContext;
import org.fadkd.api.Task;
import org.fadkd.api.TaskFactory;

/**
 * Task {@code text-classification}: softmax cross-entropy on integer labels, measured by accuracy
 * and F1 (the positive class's with two classes, macro-F1 otherwise; fad-spec §12). Its one setting
 * names the metric that picks the best epoch, which the job reports as {@code best_top1} and {@code
 * final_top1}.
 */
public final class TextClassificationTaskFactory implements TaskFactory {
    public static final String NAME = "text-classification";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Task create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return new TextClassificationTask(TextClassificationSettings.from(settings));
    }

    @Override
    public void check(Config settings) {
        TextClassificationSettings.from(requireNonNull(settings, "settings is null"));
    }
}
