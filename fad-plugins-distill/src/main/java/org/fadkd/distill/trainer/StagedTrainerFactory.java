package org.fadkd.distill.trainer;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationTrainer;
import org.fadkd.api.DistillationTrainerFactory;
import org.fadkd.api.FadContext;

/**
 * Creates trainer {@code staged} from its {@code stages} list.
 *
 * @since 0.2
 */
public final class StagedTrainerFactory implements DistillationTrainerFactory {
    @Override
    public String getName() {
        return "staged";
    }

    @Override
    public DistillationTrainer create(Config settings, FadContext context) {
        return new StagedTrainer(StagedTrainer.read(settings));
    }

    @Override
    public void check(Config settings) {
        StagedTrainer.read(settings);
    }
}
