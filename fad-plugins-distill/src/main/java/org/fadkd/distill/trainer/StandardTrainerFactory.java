package org.fadkd.distill.trainer;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationTrainer;
import org.fadkd.api.DistillationTrainerFactory;
import org.fadkd.api.FadContext;

/**
 * Creates trainer {@code standard}.
 *
 * @since 0.2
 */
public final class StandardTrainerFactory implements DistillationTrainerFactory {
    @Override
    public String getName() {
        return "standard";
    }

    @Override
    public DistillationTrainer create(Config settings, FadContext context) {
        return new StandardTrainer();
    }

    /** Nothing to check: the trainer has no settings of its own (the host checks the shared ones). */
    @Override
    public void check(Config settings) {}
}
