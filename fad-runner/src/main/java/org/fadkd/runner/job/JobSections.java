package org.fadkd.runner.job;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadException;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.component.ConfigPaths;
import org.fadkd.engine.measure.TimingSettings;
import org.fadkd.engine.selection.SelectionSettings;
import org.fadkd.engine.train.TrainingSettings;
import org.fadkd.engine.util.Suggestions;
import org.fadkd.runner.config.ComponentDefaults;
import org.fadkd.runner.config.ConfigComposer;
import org.fadkd.runner.tracking.TrackingSettings;

/**
 * The sections of a job's config: which are components of which kind, and the runner's own
 * settings ({@code job-defaults.conf}). Fills defaults under an experiment and validates the result,
 * collecting every problem.
 */
public final class JobSections implements ComponentDefaults {
    /** Component sections of a job and their kinds, in the order they are built. */
    public static final Map<String, ComponentKind<?>> COMPONENTS = componentSections();

    /** The runner's typed settings sections and their readers, which check ranges as the job will. */
    private static final Map<String, BiFunction<Config, String, ?>> SETTINGS_SECTIONS = settingsSections();

    /**
     * The runner's settings ({@code job-defaults.conf}) with the {@code selection} section's
     * ({@code selection-defaults.conf}, kept in its own file because it documents fad-spec §10).
     */
    private static final Config JOB_DEFAULTS = resource("job-defaults.conf").withFallback(resource("selection-defaults.conf"));

    private final ComponentBinder binder;
    private final ConfigComposer composer;

    /** @param composer where the options that {@code selection.candidates} names are loaded from */
    public JobSections(ComponentBinder binder, ConfigComposer composer) {
        this.binder = requireNonNull(binder, "binder is null");
        this.composer = requireNonNull(composer, "composer is null");
    }

    private static Config resource(String name) {
        return ConfigFactory.parseResources(JobSections.class, name,
                com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(false));
    }

    private static Map<String, ComponentKind<?>> componentSections() {
        Map<String, ComponentKind<?>> sections = new LinkedHashMap<>();
        sections.put("task", ComponentKind.TASK);
        sections.put("data", ComponentKind.DATASET);
        sections.put("teacher", ComponentKind.ARCHITECTURE);
        sections.put("student", ComponentKind.ARCHITECTURE);
        sections.put("method", ComponentKind.METHOD);
        return sections;
    }

    private static Map<String, BiFunction<Config, String, ?>> settingsSections() {
        Map<String, BiFunction<Config, String, ?>> sections = new LinkedHashMap<>();
        sections.put("trainer", TrainingSettings::from);
        sections.put("teacher-training", TrainingSettings::from);
        sections.put("measurement", TimingSettings::from);
        return sections;
    }

    /** Returns the runner's own defaults (seed, trainer, teacher-training, measurement, selection, ...). */
    public static Config jobDefaults() {
        return JOB_DEFAULTS;
    }

    @Override
    public Config fill(Config composed) {
        Config filled = composed;
        for (Map.Entry<String, ComponentKind<?>> entry : COMPONENTS.entrySet()) {
            String path = entry.getKey();
            if (!composed.hasPath(path) || !composed.hasPath(path + ".type")) {
                continue; // reported by validate()
            }
            try {
                Config section = binder.withDefaults(entry.getValue(), composed.getConfig(path));
                filled = filled.withValue(path, section.root());
            } catch (FadException unknownType) {
                // validate() reports the unknown type with its suggestions
            }
        }
        return filled.withFallback(JOB_DEFAULTS);
    }

    /**
     * The {@code selection} section's problems: its settings, and every candidate's architecture
     * section, built whether or not selection is enabled, so that a typo in a candidate is found
     * before any training.
     */
    private List<String> validateSelection(Config config) {
        SelectionSettings settings;
        try {
            settings = SelectionSettings.from(config.getConfig("selection"));
        } catch (FadException e) {
            return e.getProblems();
        }
        return SelectionCandidates.of(settings, composer, binder).problems();
    }

    /** Returns every problem of a resolved job config; empty when the job can be built. */
    public List<String> validate(Config config) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ComponentKind<?>> entry : COMPONENTS.entrySet()) {
            String path = entry.getKey();
            if (!config.hasPath(path)) {
                problems.add(String.format(
                        "The experiment has no '%s' section. Choose one in its defaults list, e.g. { %s: <option> }.",
                        path, path.equals("teacher") || path.equals("student") ? "\"model@" + path + "\"" : path));
                continue;
            }
            problems.addAll(binder.validate(entry.getValue(), path, config.getConfig(path)));
        }
        List<String> known = new ArrayList<>(COMPONENTS.keySet());
        known.addAll(ConfigPaths.leafPaths(JOB_DEFAULTS.root()));
        for (String key : ConfigPaths.leafPaths(config.root())) {
            String top = key.split("\\.")[0];
            if (COMPONENTS.containsKey(top) || JOB_DEFAULTS.hasPathOrNull(key)) {
                continue;
            }
            String origin = config.hasPath(key) ? config.getValue(key).origin().description() : "the experiment";
            problems.add(String.format("Configuration key '%s' at %s is not used by any job setting.%s",
                    key, origin, Suggestions.format(Suggestions.nearestPath(key, known))));
        }
        problems.addAll(TeacherFlowStep.validate(config));
        if (config.hasPath("checkpoint.enabled")) {
            try {
                config.getBoolean("checkpoint.enabled");
            } catch (com.typesafe.config.ConfigException.WrongType e) {
                problems.add(String.format("'checkpoint.enabled' is '%s'; allowed: true or false.",
                        config.getValue("checkpoint.enabled").unwrapped()));
            }
        }
        try {
            TrackingSettings.from(config, Map.of(), "experiment");
        } catch (FadException e) {
            problems.addAll(e.getProblems());
        }
        for (Map.Entry<String, BiFunction<Config, String, ?>> section : SETTINGS_SECTIONS.entrySet()) {
            try {
                section.getValue().apply(config.getConfig(section.getKey()), section.getKey());
            } catch (FadException e) {
                problems.addAll(e.getProblems());
            }
        }
        problems.addAll(validateSelection(config));
        return problems;
    }
}
