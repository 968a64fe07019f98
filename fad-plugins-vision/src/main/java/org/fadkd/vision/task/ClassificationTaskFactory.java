package org.fadkd.vision.task;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.FadContext;
import org.fadkd.api.Task;
import org.fadkd.api.TaskFactory;

/**
 * Task {@code classification}: softmax cross-entropy on integer labels, measured by top-1 and top-5
 * accuracy (fad-spec §12). It has no settings.
 */
public final class ClassificationTaskFactory implements TaskFactory {
    public static final String NAME = "classification";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Task create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        return new ClassificationTask();
    }

    /** Task {@code classification} has no settings; the host rejects any key its section sets. */
    @Override
    public void check(Config settings) {
        requireNonNull(settings, "settings is null");
    }
}
