package org.fadkd.distill.trainer;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fadkd.api.DistillationTrainer;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.SettingsReader;
import org.fadkd.api.StageSettings;
import org.fadkd.api.TrainerHost;
import org.fadkd.api.TrainingStage;

/**
 * Trainer {@code staged}: the student trains in a list of stages, one after another, each with its
 * own method, optimizer settings and trainable part. FitNets' recipe (Romero et al. 2015) is two
 * stages: the hint stage trains the student's lower part and the regressor on the hint loss, then
 * the whole student learns with kd.
 *
 * @since 0.2
 */
public final class StagedTrainer implements DistillationTrainer {
    /** Valid shared settings, to check a stage's own values without the job's. */
    private static final StageSettings ANY_BASE = new StageSettings(1, "adam", 1e-3, 0, 0, "fixed");
    /** A stage's {@code method} value that means the job's method. */
    static final String JOB_METHOD = "job";

    private final List<StageSpec> stages;

    /**
     * One stage as configured.
     *
     * @param name the stage's name
     * @param method {@code null} for the job's method, else a method section; {@code withJob}
     *     merges it over the job's method section (same type: settings changed for this stage)
     * @param overridesJobMethod whether {@code method} only changes settings of the job's method
     * @param taskOnly whether the stage trains on the task loss alone
     * @param settings the stage's own optimizer keys
     * @param trainsUpToTap null for the whole student, else a tap name or {@code middle}
     */
    record StageSpec(String name, Config method, boolean overridesJobMethod, boolean taskOnly, Config settings,
            String trainsUpToTap) {}

    StagedTrainer(List<StageSpec> stages) {
        this.stages = List.copyOf(requireNonNull(stages, "stages is null"));
    }

    /** Reads and checks the {@code stages} list, reporting every problem at once. */
    static List<StageSpec> read(Config settings) {
        List<String> problems = new ArrayList<>();
        List<StageSpec> stages = new ArrayList<>();
        List<? extends Config> entries;
        try {
            entries = settings.getConfigList("stages");
        } catch (com.typesafe.config.ConfigException e) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "trainer.stages must be a list of stage objects: "
                    + e.getMessage());
        }
        if (entries.isEmpty()) {
            problems.add("trainer.stages is empty; give at least one stage, e.g. [{ name = distill }].");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String path = "trainer.stages[" + i + "]";
            SettingsReader reader = new SettingsReader(entry, "stage", path);
            String name = reader.getString("name");
            reader.check(name.matches("[a-z][a-z0-9-]*") && names.add(name), "name",
                    "a lowercase kebab-case name, unique among the stages");
            for (String key : entry.root().keySet()) {
                if (!key.equals("name") && !key.equals("method") && !key.equals("trains-up-to-tap")
                        && !StageSettings.KEYS.contains(key)) {
                    reader.check(false, key, "one of name, method, trains-up-to-tap, " + StageSettings.KEYS);
                }
            }
            Config method = null;
            boolean overrides = false;
            boolean taskOnly = false;
            if (entry.hasPath("method")) {
                if (entry.getValue("method").valueType() == com.typesafe.config.ConfigValueType.STRING) {
                    String value = entry.getString("method");
                    taskOnly = value.equals("task");
                    reader.check(taskOnly || value.equals(JOB_METHOD), "method",
                            "'job' (the job's method), 'task' (the task loss alone) or a method section");
                } else {
                    method = entry.getConfig("method");
                    overrides = !method.hasPath("type");
                }
            }
            String tap = entry.hasPath("trains-up-to-tap") ? reader.getString("trains-up-to-tap") : "";
            try {
                reader.throwIfInvalid();
                // The stage's own optimizer values, checked against any base: the job's are checked apart.
                ANY_BASE.overriddenBy(entry, path);
            } catch (FadException e) {
                problems.addAll(e.getProblems().isEmpty() ? List.of(e.getMessage()) : e.getProblems());
                continue;
            }
            stages.add(new StageSpec(name, method, overrides, taskOnly, entry, tap.isEmpty() ? null : tap));
        }
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, "Invalid settings for trainer 'staged':", problems);
        }
        return stages;
    }

    @Override
    public void train(TrainerHost host) {
        for (int i = 0; i < stages.size(); i++) {
            StageSpec spec = stages.get(i);
            Config method = spec.taskOnly() ? null
                    : spec.method() == null ? host.method()
                    : spec.overridesJobMethod() ? spec.method().withFallback(host.method())
                    : spec.method();
            StageSettings settings = host.settings().overriddenBy(spec.settings(), "trainer.stages[" + i + "]");
            host.runStage(new TrainingStage(spec.name(), host.student(), method == null ? null : host.teacher(),
                    method, settings, spec.trainsUpToTap()));
        }
    }
}
