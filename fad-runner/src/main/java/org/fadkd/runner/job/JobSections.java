package org.fadkd.runner.job;

import org.fadkd.runner.config.JobDefaults;

import org.fadkd.engine.job.JobComponents;
import org.fadkd.engine.job.JobSettings;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadException;
import org.fadkd.api.TaskFactory;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.component.ConfigPaths;
import org.fadkd.engine.selection.SelectionSettings;
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

    /**
     * The runner's settings ({@code job-defaults.conf}) with the {@code selection} section's
     * ({@code selection-defaults.conf}, kept in its own file because it documents fad-spec §10).
     */
    private static final Config JOB_DEFAULTS = JobDefaults.get();

    /** The host's pixel-only augmentation ({@code trainer.augment}). */
    private static final String CROP_FLIP = "crop-flip";

    private final ComponentBinder binder;
    private final ConfigComposer composer;

    /** @param composer where the options that {@code selection.candidates} names are loaded from */
    public JobSections(ComponentBinder binder, ConfigComposer composer) {
        this.binder = requireNonNull(binder, "binder is null");
        this.composer = requireNonNull(composer, "composer is null");
    }


    private static Map<String, ComponentKind<?>> componentSections() {
        Map<String, ComponentKind<?>> sections = new LinkedHashMap<>();
        sections.put("task", ComponentKind.TASK);
        sections.put("data", ComponentKind.DATASET);
        sections.put("teacher", ComponentKind.ARCHITECTURE);
        sections.put("student", ComponentKind.ARCHITECTURE);
        sections.put("method", ComponentKind.METHOD);
        // Only the trainer's own keys: the shared ones (epochs, batch-size, ...) are the host's (JobSettings).
        sections.put("trainer", ComponentKind.TRAINER);
        // What runs the sweep's jobs: the runner's, never read by the job itself.
        sections.put("launcher", ComponentKind.LAUNCHER);
        return sections;
    }

    /** Returns the runner's own defaults (seed, trainer, teacher-training, measurement, selection, ...). */
    public static Config jobDefaults() {
        return JOB_DEFAULTS;
    }

    @Override
    public Config fill(Config composed) {
        // The defaults first: an experiment that chooses no trainer gets the default one's type.
        Config filled = composed.withFallback(JOB_DEFAULTS);
        for (Map.Entry<String, ComponentKind<?>> entry : COMPONENTS.entrySet()) {
            String path = entry.getKey();
            if (!filled.hasPath(path) || !filled.hasPath(path + ".type")) {
                continue; // reported by validate()
            }
            try {
                Config section = binder.withDefaults(entry.getValue(), componentSection(filled, path));
                filled = filled.withValue(path, section.withFallback(filled.getConfig(path)).root());
            } catch (FadException unknownType) {
                // validate() reports the unknown type with its suggestions
            }
        }
        return filled;
    }

    /** A component's section; for the trainer, its own keys only. */
    private static Config componentSection(Config config, String path) {
        return path.equals("trainer") ? JobComponents.trainerSection(config) : config.getConfig(path);
    }

    /**
     * The {@code selection} section's problems: its settings, every candidate's architecture
     * section, built whether or not selection is enabled, so that a typo in a candidate is found
     * before any training, and the proxy's method section, checked like the job's method.
     */
    private List<String> validateSelection(Config config) {
        SelectionSettings settings;
        try {
            settings = SelectionSettings.from(config.getConfig("selection"));
        } catch (FadException e) {
            return List.of(); // reported with the other settings (JobSettings)
        }
        List<String> problems = new ArrayList<>(SelectionCandidates.of(settings, composer, binder).problems());
        problems.addAll(binder.validate(ComponentKind.METHOD, "selection.proxy.method", settings.proxy().method()));
        return problems;
    }

    /**
     * The trainer section's problems. Its keys are the host's shared ones and the trainer's own; a
     * key that is neither is reported as any unknown job setting is, with the nearest known key.
     */
    private List<String> validateTrainer(Config config, List<String> known) {
        Config own = JobComponents.trainerSection(config);
        Config ownDefaults;
        try {
            ownDefaults = binder.getRegistry().getFactory(ComponentKind.TRAINER, own.getString("type")).getDefaults();
        } catch (FadException | com.typesafe.config.ConfigException e) {
            return binder.validate(ComponentKind.TRAINER, "trainer", own); // reports the missing or unknown type
        }
        List<String> problems = new ArrayList<>();
        for (String shared : JobSettings.SHARED_TRAINER_KEYS) {
            if (ownDefaults.hasPathOrNull(shared)) {
                problems.add(String.format("Trainer '%s' declares '%s' among its own settings, but that key of the trainer"
                        + " section is shared by every trainer. Rename it in the trainer's defaults.",
                        own.getString("type"), shared));
            }
        }
        List<String> trainerKeys = new ArrayList<>(known);
        ConfigPaths.leafPaths(ownDefaults.root()).forEach(key -> trainerKeys.add("trainer." + key));
        for (String key : ConfigPaths.leafPaths(own.root())) {
            if (!key.equals("type") && !ownDefaults.hasPathOrNull(key)) {
                problems.add(String.format("Configuration key 'trainer.%s' at %s is not used by any job setting.%s",
                        key, own.getValue(key).origin().description(),
                        Suggestions.format(Suggestions.nearestPath("trainer." + key, trainerKeys))));
                own = own.withoutPath(key);
            }
        }
        problems.addAll(binder.validate(ComponentKind.TRAINER, "trainer", own));
        return problems;
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
            if (!path.equals("trainer")) {
                problems.addAll(binder.validate(entry.getValue(), path, componentSection(config, path)));
            }
        }
        List<String> known = new ArrayList<>(COMPONENTS.keySet());
        known.addAll(ConfigPaths.leafPaths(JOB_DEFAULTS.root()));
        problems.addAll(validateTrainer(config, known));
        for (String key : ConfigPaths.leafPaths(config.root())) {
            String top = key.split("\\.")[0];
            if (COMPONENTS.containsKey(top) || JOB_DEFAULTS.hasPathOrNull(key)) {
                continue;
            }
            String origin = config.hasPath(key) ? config.getValue(key).origin().description() : "the experiment";
            problems.add(String.format("Configuration key '%s' at %s is not used by any job setting.%s",
                    key, origin, Suggestions.format(Suggestions.nearestPath(key, known))));
        }
        try {
            TrackingSettings.from(config, Map.of(), "experiment");
        } catch (FadException e) {
            problems.addAll(e.getProblems());
        }
        try {
            JobSettings.from(config);
        } catch (FadException e) {
            problems.addAll(e.getProblems());
        }
        problems.addAll(validateSelection(config));
        problems.addAll(validateAugmentation(config));
        return problems;
    }

    /**
     * The host's {@code augment = crop-flip} ({@code trainer} and {@code teacher-training}) moves
     * pixels only: refused for a task whose labels are positions in the image ({@link
     * TaskFactory#hasSpatialLabels()}), which would train on boxes that no longer cover their objects.
     */
    private List<String> validateAugmentation(Config config) {
        if (!config.hasPath("task.type")) {
            return List.of(); // reported with the task section
        }
        String task = config.getString("task.type");
        ComponentFactory<?> factory;
        try {
            factory = binder.getRegistry().getFactory(ComponentKind.TASK, task);
        } catch (FadException unknownType) {
            return List.of(); // reported with the task section
        }
        if (!(factory instanceof TaskFactory taskFactory) || !taskFactory.hasSpatialLabels()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (String path : List.of("trainer.augment", "teacher-training.augment")) {
            if (config.hasPath(path) && CROP_FLIP.equalsIgnoreCase(config.getString(path))) {
                problems.add(String.format("Setting '%s' = '%s' at %s moves the images but not the labels of task"
                        + " '%s', whose labels are positions in the image (boxes). Set %s = none, and augment in the"
                        + " dataset's own settings where it offers that (./runner list dataset --defaults).",
                        path, config.getString(path), config.getValue(path).origin().description(), task, path));
            }
        }
        return problems;
    }
}
