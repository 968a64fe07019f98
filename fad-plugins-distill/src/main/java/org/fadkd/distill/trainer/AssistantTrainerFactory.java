package org.fadkd.distill.trainer;

import com.typesafe.config.Config;
import org.fadkd.api.DistillationTrainer;
import org.fadkd.api.DistillationTrainerFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.SettingsReader;
import org.fadkd.api.ComponentKind;
import java.util.Map;

/**
 * Creates trainer {@code assistant} from the assistant's architecture section and epochs.
 *
 * @since 0.2
 */
public final class AssistantTrainerFactory implements DistillationTrainerFactory {
    @Override
    public String getName() {
        return "assistant";
    }

    @Override
    public DistillationTrainer create(Config settings, FadContext context) {
        return read(settings);
    }

    /** Reads the settings (nothing is built: the host builds the assistant when the trainer asks). */
    @Override
    public void check(Config settings) {
        read(settings);
    }

    private AssistantTrainer read(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "trainer", getName());
        Config architecture = reader.getComponentSection("architecture");
        int epochs = reader.getInt("assistant-epochs", 0, Integer.MAX_VALUE);
        reader.throwIfInvalid();
        return new AssistantTrainer(architecture, epochs);
    }

    /** The assistant's architecture section is validated as a section of its own. */
    @Override
    public Map<String, ComponentKind<?>> getNestedComponents() {
        return Map.of("architecture", ComponentKind.ARCHITECTURE);
    }
}
