package org.fadkd.runner.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.fadkd.api.LabeledDataset;
import org.fadkd.engine.component.ConfigPaths;
import org.fadkd.engine.model.StudentDescriptor;

/**
 * Whether an exported student can be evaluated on an experiment's task and data and give the
 * numbers its job reported: the same data files (fingerprint), the same data settings apart from
 * where the files are, the same task settings, and the input shapes and class count the network
 * was built for. Any difference is a problem naming both values.
 */
final class ExportCompatibility {
    private ExportCompatibility() {}

    /**
     * Returns every reason why the export cannot be evaluated on the experiment's data and task;
     * empty when it can.
     *
     * @param exportDirectory the export, for messages
     * @param descriptor what the export's {@code model.json} says
     * @param experiment the experiment's name, for messages
     * @param task the experiment's task section, with {@code type}
     * @param data the experiment's data section, with {@code type}
     * @param dataset the dataset the experiment's data section creates
     * @param locationKeys top-level data settings that only say where the files are; their values
     *     may differ, the fingerprint covers the files' content
     */
    static List<String> problems(
            Path exportDirectory,
            StudentDescriptor descriptor,
            String experiment,
            Config task,
            Config data,
            LabeledDataset dataset,
            Set<String> locationKeys) {
        List<String> problems = new ArrayList<>();
        String student = String.format("the student in '%s'", exportDirectory);
        if (!descriptor.dataFingerprint().equals(dataset.getFingerprint())) {
            problems.add(String.format("The data of experiment '%s' has fingerprint '%s', but %s was trained on data"
                            + " with fingerprint '%s': these are other files. Point the experiment's data at the files"
                            + " the student was trained on.",
                    experiment, dataset.getFingerprint(), student, descriptor.dataFingerprint()));
        }
        problems.addAll(sectionDifferences("data", descriptor.data(), data, locationKeys, experiment, student));
        problems.addAll(sectionDifferences("task", descriptor.task(), task, Set.of(), experiment, student));
        if (!descriptor.inputShape().equals(dataset.getSampleShape())) {
            problems.add(String.format("The data of experiment '%s' gives samples of shape '%s', but %s takes '%s'.",
                    experiment, dataset.getSampleShape(), student, descriptor.inputShape()));
        } else if (!descriptor.inputShapes().equals(dataset.getInputShapes())) {
            // Same main input, other further inputs (a mask added or dropped): the network cannot take them.
            problems.add(String.format("The data of experiment '%s' gives inputs of shapes %s, but %s takes %s.",
                    experiment, dataset.getInputShapes(), student, descriptor.inputShapes()));
        }
        if (descriptor.classCount() != dataset.getClassCount()) {
            problems.add(String.format("The data of experiment '%s' has %d classes, but %s was built for %d.",
                    experiment, dataset.getClassCount(), student, descriptor.classCount()));
        }
        return problems;
    }

    /**
     * One problem per setting whose value differs between the section the export recorded and
     * the experiment's, with the override that restores the recorded value.
     */
    private static List<String> sectionDifferences(
            String path, Config recorded, Config current, Set<String> ignoredKeys, String experiment, String student) {
        Set<String> keys = new LinkedHashSet<>(ConfigPaths.leafPaths(recorded.root()));
        keys.addAll(ConfigPaths.leafPaths(current.root()));
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            if (ignoredKeys.contains(ConfigUtil.splitPath(key).get(0))) {
                continue;
            }
            ConfigValue recordedValue = valueOrNull(recorded, key);
            ConfigValue currentValue = valueOrNull(current, key);
            if (Objects.equals(recordedValue, currentValue)) {
                continue;
            }
            String setting = path + "." + key;
            problems.add(String.format("Setting '%s' is '%s' in experiment '%s', but %s was trained with '%s'%s. Evaluate"
                            + " it with the settings it was trained with: %s.",
                    setting, text(currentValue), experiment, student, text(recordedValue),
                    path.equals("data") ? " (a different transform or split gives different numbers)" : "",
                    recordedValue == null ? "~" + setting : setting + "=" + text(recordedValue)));
        }
        return problems;
    }

    private static ConfigValue valueOrNull(Config section, String key) {
        return section.hasPath(key) ? section.getValue(key) : null;
    }

    private static String text(ConfigValue value) {
        return value == null ? "<missing>" : String.valueOf(value.unwrapped());
    }
}
