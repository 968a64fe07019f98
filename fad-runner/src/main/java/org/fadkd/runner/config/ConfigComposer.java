package org.fadkd.runner.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.component.ConfigPaths;
import org.fadkd.engine.util.Suggestions;

/**
 * Composes an experiment's config from config groups, Hydra style, and plans its sweep.
 *
 * <p>Composition of one job:
 *
 * <ol>
 *   <li>The experiment file's {@code defaults} list names one option per group: {@code { method:
 *       fad }} places {@code configs/method/fad.conf} under {@code method}; {@code {
 *       "model@teacher": resnet }} places {@code configs/model/resnet.conf} under {@code teacher}
 *       ({@code @_global_} places it at the root); {@code _self_} marks where the experiment's own
 *       keys go, last if absent. Later entries win. {@code { group: null }} leaves the group out
 *       unless an override chooses an option; {@code { "optional group": option }} is skipped
 *       when the option's file does not exist (a user-specific layer, say).
 *   <li>Overrides whose key is a package ({@code teacher}) or a group used once ({@code method})
 *       switch that entry's option.
 *   <li>{@link ComponentDefaults#fill} adds the component factories' defaults.
 *   <li>Every other override {@code path=value} must name a path that now exists; its value is a
 *       HOCON value ({@code 5}, {@code 2.5}, {@code "/tmp/x"}, {@code [1,2]}, {@code
 *       ${teacher.width}}) layered on top as a later file would be.
 *   <li>Substitutions are resolved once, so {@code student.width = ${teacher.width}} follows an
 *       override of {@code teacher.width}. Substitution paths are absolute, also in option files.
 * </ol>
 *
 * <p>Option files are looked up in the config directories in order; the first directory holding
 * {@code <group>/<option>.conf} wins. The {@code defaults} and {@code sweep} keys of the experiment
 * never reach the composed config. Every problem found is collected and reported in one {@link
 * FadException}. Thread-safe: the directories are read on every call.
 */
public final class ConfigComposer {
    private static final String DEFAULTS = "defaults";
    private static final String SWEEP = "sweep";
    // Keys of the sweep block that are output settings (job-defaults.conf), not axes.
    private static final Set<String> SWEEP_SETTINGS = Set.of("dir", "subdir");
    private static final String SELF = "_self_";
    private static final String OPTIONAL = "optional ";
    private static final String GLOBAL = "_global_";
    // Strings that survive "k = <s>" unquoted as the same string; anything else is rendered quoted.
    private static final Pattern BARE_STRING = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

    private final List<Path> configDirs;

    /**
     * Creates a composer.
     *
     * @param configDirs the config group directories, earlier ones winning; missing ones are
     *     skipped
     */
    public ConfigComposer(List<Path> configDirs) {
        this.configDirs = List.copyOf(requireNonNull(configDirs, "configDirs is null"));
    }

    /**
     * Composes one job.
     *
     * @param experimentFile the experiment file, as {@link ExperimentCatalog#find} returns it
     * @param overrides {@code key=value} overrides, applied in order (sweep ones, then the command
     *     line's), never null
     * @param componentDefaults fills component sections with their factories' defaults
     * @return the composed, resolved job, never null
     * @throws FadException CONFIG_INVALID listing every problem, or UNKNOWN_COMPONENT when every
     *     problem is an option that does not exist
     */
    public ComposedJob compose(
            Path experimentFile, List<String> overrides, ComponentDefaults componentDefaults) {
        requireNonNull(experimentFile, "experimentFile is null");
        requireNonNull(overrides, "overrides is null");
        requireNonNull(componentDefaults, "componentDefaults is null");
        ConfigProblems problems = new ConfigProblems();

        List<ConfigOverride> parsedOverrides = new ArrayList<>();
        for (String raw : overrides) {
            ConfigOverride override = parseOverride(raw, problems);
            if (override == null) {
                continue;
            }
            if (override.isSweep()) {
                problems.add(sweepWithoutMultirun(override));
                continue;
            }
            parsedOverrides.add(override);
        }
        Config experiment = parseFile(experimentFile, problems);
        if (experiment == null) {
            problems.throwIfAny();
        }

        List<DefaultsEntry> entries = readDefaults(experiment, problems);
        // A malformed defaults list leaves sections out for no reason later stages could tell.
        boolean defaultsRead = problems.isEmpty();
        List<ConfigOverride> keyOverrides = new ArrayList<>();
        for (ConfigOverride override : parsedOverrides) {
            if (!applyToDefaults(entries, override, problems)) {
                keyOverrides.add(override);
            }
        }

        // Packages whose option failed to load: keys below them cannot be checked.
        Set<String> failedPackages = new HashSet<>();
        Config self = experiment.withoutPath(DEFAULTS).withoutPath(SWEEP);
        if (experiment.root().get(SWEEP) instanceof ConfigObject sweepBlock) {
            for (String setting : SWEEP_SETTINGS) {
                ConfigValue value = sweepBlock.get(setting);
                if (value != null && typeOf(value) != ConfigValueType.LIST) {
                    self = self.withValue(SWEEP + "." + setting, value);
                }
            }
        }
        Config composed = ConfigFactory.empty();
        boolean selfPlaced = false;
        for (DefaultsEntry entry : entries) {
            if (entry.isSelf()) {
                composed = self.withFallback(composed);
                selfPlaced = true;
                continue;
            }
            if (entry.option() == null) {
                continue;
            }
            Config option = loadOption(entry, problems);
            if (option == null) {
                if (!entry.optional()) {
                    failedPackages.add(entry.packageName());
                }
                continue;
            }
            Config layer =
                    entry.packageName().equals(GLOBAL)
                            ? option
                            : option.atPath(entry.packageName());
            composed = layer.withFallback(composed);
        }
        if (!selfPlaced) {
            composed = self.withFallback(composed);
        }

        try {
            composed =
                    requireNonNull(
                            componentDefaults.fill(composed),
                            "ComponentDefaults.fill returned null");
        } catch (FadException e) {
            if (e.getErrorCode() == ErrorCode.UNKNOWN_COMPONENT) {
                problems.addUnknownName(e.getMessage());
            } else {
                problems.add(e.getMessage());
            }
        }

        for (ConfigOverride override : keyOverrides) {
            if (failedPackages.stream().anyMatch(override::isUnder)) {
                continue;
            }
            // Recomputed each time: an earlier +key or ~key changes which keys exist.
            composed = applyKeyOverride(composed, override, existingPaths(composed), problems);
        }
        if (!problems.isEmpty() && defaultsRead) {
            laterStageProblems(composed, componentDefaults, failedPackages).forEach(problems::add);
        }
        problems.throwIfAny();

        try {
            Config resolved = composed.resolve();
            return new ComposedJob(
                    ExperimentCatalog.nameOf(experimentFile), resolved, overrides, composed);
        } catch (ConfigException e) {
            problems.add("Cannot resolve the composed config " + describe(e));
            problems.throwIfAny();
            throw new IllegalStateException("unreachable", e);
        }
    }

    /**
     * What validating the job would report beyond composition's own problems, so that both come in
     * one list: the config as far as composition got (bad overrides skipped, failed options left
     * out), resolved and checked by {@link ComponentDefaults#validate}. Problems that name a
     * package whose option failed to load are dropped: its section is missing only because of a
     * problem already reported. Empty when the partial config does not resolve (a substitution
     * into a missing section), as the composition problems explain that.
     */
    private static List<String> laterStageProblems(
            Config composed, ComponentDefaults componentDefaults, Set<String> failedPackages) {
        Config resolved;
        try {
            resolved = composed.resolve();
        } catch (ConfigException e) {
            return List.of();
        }
        List<String> later;
        try {
            later = componentDefaults.validate(resolved);
        } catch (FadException | ConfigException e) {
            return List.of(); // the next run, with the composition fixed, reports it
        }
        List<Pattern> missing = failedPackages.stream()
                .map(name -> Pattern.compile("'" + Pattern.quote(name) + "['.]"))
                .toList();
        return later.stream()
                .filter(problem -> missing.stream().noneMatch(pattern -> pattern.matcher(problem).find()))
                .toList();
    }

    /**
     * Plans the jobs of an experiment without {@code --multirun}; see {@link #plan}.
     *
     * @param experimentFile the experiment file
     * @param cliOverrides the command line's overrides, never null
     * @return the jobs, numbered from 0, never empty
     */
    public List<JobPlan> planSweep(Path experimentFile, List<String> cliOverrides) {
        return plan(experimentFile, cliOverrides, false).jobs();
    }

    /**
     * Plans the jobs of an experiment: the cartesian product of its {@code sweep} block (declared
     * keys in order) and, with {@code multirun}, of the command line's multi-valued overrides
     * ({@code a=1,2}, {@code range()}, {@code choice()}, {@code glob()}) in argument order; the
     * first axis varies slowest, as in Hydra's basic sweeper. A key given on the command line is no
     * longer swept by the file (the command line wins). Each job's overrides are the file's sweep
     * values followed by the command line's overrides in argument order, each sweep replaced by
     * its value for the job. Single-valued overrides are not checked here; {@link #compose} checks
     * them, and reports a multi-valued one given without {@code multirun}.
     *
     * @param experimentFile the experiment file
     * @param cliOverrides the command line's overrides, never null
     * @param multirun whether {@code -m} was given: command-line sweeps expand into jobs
     * @return the plan, never null; {@code sweep} is true when there is an axis or {@code multirun}
     * @throws FadException CONFIG_INVALID when the file or its sweep block is malformed, or a
     *     {@code glob()} names no config group
     */
    public RunPlan plan(Path experimentFile, List<String> cliOverrides, boolean multirun) {
        requireNonNull(experimentFile, "experimentFile is null");
        requireNonNull(cliOverrides, "cliOverrides is null");
        ConfigProblems problems = new ConfigProblems();
        Config experiment = parseFile(experimentFile, problems);
        problems.throwIfAny();

        List<SweepAxis> axes = new ArrayList<>();
        ConfigValue sweep = experiment.root().get(SWEEP);
        if (sweep != null && typeOf(sweep) != ConfigValueType.OBJECT) {
            problems.add(
                    "'"
                            + SWEEP
                            + "' at "
                            + sweep.origin().description()
                            + " must be an object of lists, e.g. sweep { method = [kd, fad], seed ="
                            + " [1, 2] }.");
        } else if (sweep != null) {
            collectAxes(
                    (ConfigObject) sweep, List.of(), sourceLines(experimentFile), axes, problems);
        }
        problems.throwIfAny();
        axes.sort(Comparator.comparingInt(SweepAxis::line).thenComparingInt(SweepAxis::column));

        // Each command-line override is one slot of a job's overrides; a swept one has several values.
        List<List<String>> slots = new ArrayList<>();
        Set<String> cliKeys = new HashSet<>();
        for (String raw : cliOverrides) {
            ConfigOverride override;
            try {
                override = OverrideParser.parse(raw);
            } catch (FadException malformed) {
                // compose reports it with every other problem.
                int equals = raw.indexOf('=');
                cliKeys.add((equals < 0 ? raw : raw.substring(0, equals)).trim().replaceFirst("^[+~]+", ""));
                slots.add(List.of(raw));
                continue;
            }
            cliKeys.add(override.key());
            cliKeys.add(canonical(override.key()));
            if (!multirun || !override.isSweep()) {
                slots.add(List.of(raw));
            } else if (override.value() instanceof ConfigOverride.Sweep values) {
                slots.add(values.values().stream().map(override::withValue).toList());
            } else {
                slots.add(globValues(experiment, override, (ConfigOverride.Glob) override.value(), problems));
            }
        }
        problems.throwIfAny();
        // As in Hydra, the command line wins over the file: a key set there is no longer swept.
        axes.removeIf(axis -> cliKeys.contains(axis.key()) || cliKeys.contains(canonical(axis.key())));

        List<List<String>> dimensions = new ArrayList<>();
        for (SweepAxis axis : axes) {
            dimensions.add(axis.values().stream().map(value -> axis.key() + "=" + value).toList());
        }
        dimensions.addAll(slots);
        List<List<String>> points = List.of(List.of());
        for (List<String> dimension : dimensions) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> point : points) {
                for (String value : dimension) {
                    List<String> extended = new ArrayList<>(point);
                    extended.add(value);
                    next.add(extended);
                }
            }
            points = next;
        }
        List<JobPlan> jobs = new ArrayList<>();
        for (List<String> point : points) {
            jobs.add(new JobPlan(jobs.size(), point));
        }
        boolean swept = multirun || !axes.isEmpty();
        return new RunPlan(List.copyOf(jobs), swept);
    }

    /** The options of the override's group that its glob selects, as single overrides. */
    private List<String> globValues(
            Config experiment, ConfigOverride override, ConfigOverride.Glob glob, ConfigProblems problems) {
        String key = override.key();
        int at = key.indexOf('@');
        String group = at >= 0 ? key.substring(0, at) : null;
        if (group == null) {
            for (DefaultsEntry entry : readDefaults(experiment, new ConfigProblems())) {
                if (!entry.isSelf() && (entry.packageName().equals(key) || entry.group().equals(key))) {
                    group = entry.group();
                    break;
                }
            }
        }
        if (group == null && groups().contains(key)) {
            group = key;
        }
        if (group == null || !groups().contains(group)) {
            problems.add("Override '" + override.raw() + "': glob() selects options of a config group, and '"
                    + key + "' is not one. Known groups: " + listOrNone(groups()) + "."
                    + Suggestions.didYouMean(key, groups()));
            return List.of();
        }
        List<String> selected = glob.select(options(group));
        if (selected.isEmpty()) {
            problems.add("Override '" + override.raw() + "': glob() matches no option of config group '"
                    + group + "'. Options: " + listOrNone(options(group)) + ".");
        }
        return selected.stream()
                .map(option -> override.withValue(ConfigValueFactory.fromAnyRef(option)))
                .toList();
    }

    private static String canonical(String key) {
        return ConfigPaths.isPath(key) ? ConfigUtil.joinPath(ConfigUtil.splitPath(key)) : key;
    }

    /**
     * Describes an experiment's defaults list for {@code --info}: one line per entry, in
     * composition order, {@code package: group/option -> file}.
     *
     * @param experimentFile the experiment file
     * @return the lines, never null
     * @throws FadException CONFIG_INVALID when the file or its defaults list is malformed
     */
    public List<String> describeDefaults(Path experimentFile) {
        ConfigProblems problems = new ConfigProblems();
        Config experiment = parseFile(experimentFile, problems);
        problems.throwIfAny();
        List<DefaultsEntry> entries = readDefaults(experiment, problems);
        problems.throwIfAny();
        List<String> lines = new ArrayList<>();
        for (DefaultsEntry entry : entries) {
            if (entry.isSelf()) {
                lines.add("_self_ -> " + experimentFile);
                continue;
            }
            String head = entry.packageName() + ": " + entry.group() + "/" + entry.option();
            if (entry.option() == null) {
                lines.add(entry.packageName() + ": " + entry.group() + " (null: left out)");
                continue;
            }
            Path found = null;
            for (Path dir : configDirs) {
                Path file = dir.resolve(entry.group()).resolve(entry.option() + ExperimentCatalog.EXTENSION);
                if (Files.isRegularFile(file)) {
                    found = file;
                    break;
                }
            }
            lines.add(head + " -> " + (found == null ? "(missing)" : found.toString()));
        }
        if (entries.stream().noneMatch(DefaultsEntry::isSelf)) {
            lines.add("_self_ (implicitly last) -> " + experimentFile);
        }
        return lines;
    }

    /**
     * Returns the config groups: the subdirectories of every config directory, sorted.
     *
     * @return the group names, never null
     */
    public List<String> groups() {
        TreeSet<String> groups = new TreeSet<>();
        for (Path dir : configDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> children = Files.list(dir)) {
                children.filter(Files::isDirectory)
                        .map(path -> path.getFileName().toString())
                        .forEach(groups::add);
            } catch (IOException e) {
                throw new FadException(
                        ErrorCode.CONFIG_INVALID,
                        "Cannot list config directory '" + dir + "': " + e,
                        e);
            }
        }
        return List.copyOf(groups);
    }

    /**
     * Returns the options of a group: its {@code *.conf} names in every config directory, sorted.
     *
     * @param group a group name such as {@code method}
     * @return the option names, empty for an unknown group, never null
     */
    public List<String> options(String group) {
        requireNonNull(group, "group is null");
        TreeSet<String> options = new TreeSet<>();
        for (Path dir : configDirs) {
            options.addAll(ExperimentCatalog.confNames(dir.resolve(group)));
        }
        return List.copyOf(options);
    }

    /**
     * Loads option {@code option} of config group {@code group} as the defaults entry {@code {
     * group: option }} would, from the first config directory that has it: for settings that name
     * options outside the defaults list, such as {@code selection.candidates}, so that a typo there
     * is reported exactly as one in the defaults list.
     *
     * @param where where the option is named, e.g. {@code "in selection.candidates[2]"}
     * @return the option's file, parsed and not resolved
     * @throws FadException naming the available options (and the nearest one) when no config
     *     directory has the option, or describing a syntax error in its file
     */
    public Config loadOption(String group, String option, String where) {
        ConfigProblems problems = new ConfigProblems();
        Config config = loadOption(new DefaultsEntry(group, null, option, where), problems);
        problems.throwIfAny();
        return config;
    }

    private Config loadOption(DefaultsEntry entry, ConfigProblems problems) {
        for (Path dir : configDirs) {
            Path file =
                    dir.resolve(entry.group())
                            .resolve(entry.option() + ExperimentCatalog.EXTENSION);
            if (Files.isRegularFile(file)) {
                return parseFile(file, problems);
            }
        }
        if (entry.optional()) {
            return null;
        }
        List<String> groups = groups();
        if (!groups.contains(entry.group())) {
            problems.add(
                    "Unknown config group '"
                            + entry.group()
                            + "' "
                            + entry.where()
                            + ": no directory '"
                            + entry.group()
                            + "' in "
                            + dirList()
                            + ". Known groups: "
                            + listOrNone(groups)
                            + "."
                            + Suggestions.didYouMean(entry.group(), groups));
            return null;
        }
        List<String> options = options(entry.group());
        problems.addUnknownName(
                "Unknown option '"
                        + entry.option()
                        + "' for config group '"
                        + entry.group()
                        + "' "
                        + entry.where()
                        + ". Available options: "
                        + listOrNone(options)
                        + "."
                        + Suggestions.didYouMean(entry.option(), options));
        return null;
    }

    /**
     * Applies an override to the defaults list when its key names a group ({@code method}), a
     * package ({@code teacher}) or {@code group@package}; false when it is a key override.
     */
    private boolean applyToDefaults(
            List<DefaultsEntry> entries, ConfigOverride override, ConfigProblems problems) {
        String key = override.key();
        int at = key.indexOf('@');
        String group = at < 0 ? null : key.substring(0, at);
        String packageName = at < 0 ? null : key.substring(at + 1);
        int target = -1;
        for (int i = 0; i < entries.size(); i++) {
            DefaultsEntry entry = entries.get(i);
            if (!entry.isSelf()
                    && !entry.packageName().equals(GLOBAL)
                    && entry.packageName().equals(at < 0 ? key : packageName)) {
                target = i;
            }
        }
        if (target < 0 && at < 0) {
            List<Integer> byGroup = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (!entries.get(i).isSelf() && entries.get(i).group().equals(key)) {
                    byGroup.add(i);
                }
            }
            if (byGroup.size() > 1) {
                String packages =
                        byGroup.stream()
                                .map(i -> "'" + entries.get(i).packageName() + "'")
                                .collect(Collectors.joining(", "));
                problems.add(
                        "Ambiguous override '"
                                + override.raw()
                                + "': group '"
                                + key
                                + "' is used for several packages ("
                                + packages
                                + "); name the package instead, e.g. '"
                                + override.prefix().symbol()
                                + entries.get(byGroup.get(0)).packageName()
                                + override.raw().substring(override.raw().indexOf(key) + key.length())
                                + "'.");
                return true;
            }
            if (byGroup.size() == 1) {
                target = byGroup.get(0);
            }
        }
        boolean adding =
                override.prefix() == ConfigOverride.Prefix.ADD
                        || override.prefix() == ConfigOverride.Prefix.FORCE_ADD;
        boolean deleting = override.prefix() == ConfigOverride.Prefix.DELETE;
        boolean implicit = IMPLICIT_GROUPS.contains(key) && groups().contains(key);
        if (target < 0 && !(at >= 0 || implicit || ((adding || deleting) && groups().contains(key)))) {
            return false; // a key override
        }
        if (group == null) {
            group = target >= 0 ? entries.get(target).group() : key;
            packageName = target >= 0 ? entries.get(target).packageName() : key;
        }
        String where = "in override '" + override.raw() + "'";
        DefaultsEntry current = target >= 0 ? entries.get(target) : null;
        switch (override.prefix()) {
            case DELETE -> {
                if (current == null || current.option() == null) {
                    problems.add("Cannot delete config group '" + key + "' in override '" + override.raw()
                            + "': the defaults list chooses no option for it.");
                    return true;
                }
                String expected = override.value() instanceof ConfigOverride.Single single
                        ? optionName(single.value()) : null;
                if (expected != null && !expected.equals(current.option())) {
                    problems.add("Cannot delete config group '" + key + "' in override '" + override.raw()
                            + "': its option is '" + current.option() + "' (" + current.where()
                            + "), not '" + expected + "'.");
                    return true;
                }
                entries.set(target, current.withOption(null, where));
                return true;
            }
            case ADD -> {
                if (current != null && current.option() != null) {
                    problems.add("Cannot add config group '" + key + "' in override '" + override.raw()
                            + "': the defaults list already chooses '" + current.option() + "' ("
                            + current.where() + "). Write '" + key + "=<option>' to switch it, or '++"
                            + key + "=<option>' to add or switch.");
                    return true;
                }
            }
            case SET -> {
                if (current == null && !implicit) {
                    problems.add("Cannot switch config group '" + key + "' in override '" + override.raw()
                            + "': the experiment's defaults list does not use it. Write '+"
                            + override.raw() + "' to add it.");
                    return true;
                }
            }
            case FORCE_ADD -> {}
        }
        String option = override.value() instanceof ConfigOverride.Single single
                ? optionName(single.value()) : null;
        if (option == null || option.isEmpty() || option.contains("/") || option.contains("\\")) {
            if (option == null && override.prefix() == ConfigOverride.Prefix.SET && current != null
                    && override.value() instanceof ConfigOverride.Single) {
                entries.set(target, current.withOption(null, where)); // group=null leaves it out
                return true;
            }
            problems.add(
                    "Malformed override '"
                            + override.raw()
                            + "': '"
                            + key
                            + "' is a config group, so the value must be an option name, e.g. '"
                            + key
                            + "=kd'"
                            + (options(group).isEmpty() ? "" : "; options: " + String.join(", ", options(group)))
                            + ".");
            return true;
        }
        if (current != null) {
            entries.set(target, current.withOption(option, where));
        } else {
            // Appended last, as Hydra appends command-line defaults: it wins over earlier entries.
            entries.add(new DefaultsEntry(group, packageName, option, where));
        }
        return true;
    }

    /** The option name of a group override's value; null for null or a non-scalar value. */
    private static String optionName(ConfigValue value) {
        Object unwrapped = value.unwrapped();
        return unwrapped instanceof String || unwrapped instanceof Number || unwrapped instanceof Boolean
                ? String.valueOf(unwrapped).trim()
                : null;
    }

    private Config applyKeyOverride(
            Config composed, ConfigOverride override, Set<String> paths, ConfigProblems problems) {
        String path = override.path();
        boolean exists = paths.contains(path);
        switch (override.prefix()) {
            case SET -> {
                if (!exists) {
                    problems.add(unknownKeyMessage(override, path, paths));
                    return composed;
                }
            }
            case ADD -> {
                if (exists) {
                    problems.add("Cannot add key '" + override.key() + "' in override '" + override.raw()
                            + "': it already exists" + describeValue(composed, path)
                            + ". Write '" + override.raw().substring(1) + "' to change it, or '+"
                            + override.raw() + "' to add or change.");
                    return composed;
                }
            }
            case DELETE -> {
                if (!exists) {
                    problems.add(unknownKeyMessage(override, path, paths));
                    return composed;
                }
                if (override.value() instanceof ConfigOverride.Single single) {
                    ConfigValue current = currentValue(composed, path);
                    if (current == null || !sameValue(current, single.value())) {
                        problems.add("Cannot delete key '" + override.key() + "' in override '"
                                + override.raw() + "': its value is not '" + render(single.value()) + "' but"
                                + describeValue(composed, path).replaceFirst("^ \\(value ", " ").replaceFirst("\\)$", "")
                                + ". Write '~" + override.key() + "' to delete it whatever its value.");
                        return composed;
                    }
                }
                return composed.withoutPath(path);
            }
            case FORCE_ADD -> {}
        }
        // A list replaces the current one; an object merges into the current one (Hydra's merge).
        ConfigValue value = ((ConfigOverride.Single) override.value()).value();
        return ConfigFactory.empty().withValue(path, value).withFallback(composed);
    }

    /** " (value 'x' at file: line)", or "" when the value cannot be read yet. */
    private static String describeValue(Config composed, String path) {
        ConfigValue current = currentValue(composed, path);
        return current == null
                ? ""
                : " (value '" + render(current) + "' at " + current.origin().description() + ")";
    }

    private static ConfigValue currentValue(Config composed, String path) {
        try {
            Config partial = composed.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
            return partial.hasPathOrNull(path) ? partial.getValue(path) : null;
        } catch (ConfigException e) {
            return null;
        }
    }

    private static boolean sameValue(ConfigValue current, ConfigValue expected) {
        Object a = current.unwrapped();
        Object b = expected.unwrapped();
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return java.util.Objects.equals(a, b) || String.valueOf(a).equals(String.valueOf(b));
    }

    /** The message for a multi-valued override given without --multirun, as Hydra words it. */
    static String sweepWithoutMultirun(ConfigOverride override) {
        String key = override.prefix().symbol() + override.key();
        String value = override.raw().substring(override.raw().indexOf('=') + 1).trim();
        String message = "Override '" + override.raw() + "' sweeps over several values, which needs -m"
                + " (--multirun): add -m to run one job per value.";
        if (override.value() instanceof ConfigOverride.Sweep sweep && sweep.form().equals("a comma-separated list")) {
            message += " For a list value write " + key + "=[" + value + "]; for a string containing commas"
                    + " quote it, " + key + "='" + value + "'.";
        }
        return message;
    }

    private static ConfigOverride parseOverride(String raw, ConfigProblems problems) {
        try {
            return OverrideParser.parse(raw);
        } catch (FadException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /**
     * Groups the runner's job defaults always fill with a section of their own (its {@code type}
     * included), so that {@code group=option} chooses an option without the experiment's defaults
     * list naming the group, as Hydra's {@code hydra/launcher}: {@code launcher=local}.
     */
    private static final Set<String> IMPLICIT_GROUPS = Set.of("launcher");

    private String unknownKeyMessage(ConfigOverride override, String path, Set<String> paths) {
        StringBuilder message =
                new StringBuilder(
                        "Unknown config key '"
                                + override.key()
                                + "' in override '"
                                + override.raw()
                                + (override.prefix() == ConfigOverride.Prefix.DELETE
                                        ? "': only keys that exist in the composed config can be deleted."
                                        : "': only keys that exist in the composed config can be set."));
        List<String> segments = ConfigUtil.splitPath(path);
        if (segments.size() == 1 && groups().contains(path)) {
            message.append(" '")
                    .append(path)
                    .append(
                            "' is a config group that the experiment's defaults list"
                                    + " does not use; write '+" + override.raw().replaceFirst("^[+~]+", "")
                                    + "' to add it, or add { ")
                    .append(path)
                    .append(": <option> } to the defaults list.");
        }
        String parent =
                segments.size() > 1
                        ? ConfigUtil.joinPath(segments.subList(0, segments.size() - 1))
                        : null;
        if (parent != null && paths.contains(parent)) {
            message.append(" Keys under '")
                    .append(parent)
                    .append("': ")
                    .append(listOrNone(children(paths, segments.subList(0, segments.size() - 1))))
                    .append('.');
        } else {
            message.append(" Top-level keys: ")
                    .append(listOrNone(children(paths, List.of())))
                    .append('.');
        }
        return message.append(Suggestions.format(Suggestions.nearestPath(path, paths))).toString();
    }

    private static List<String> children(Set<String> paths, List<String> parent) {
        TreeSet<String> children = new TreeSet<>();
        for (String path : paths) {
            List<String> segments = ConfigUtil.splitPath(path);
            if (segments.size() == parent.size() + 1
                    && segments.subList(0, parent.size()).equals(parent)) {
                children.add(segments.get(parent.size()));
            }
        }
        return List.copyOf(children);
    }

    private List<DefaultsEntry> readDefaults(Config experiment, ConfigProblems problems) {
        List<DefaultsEntry> entries = new ArrayList<>();
        ConfigValue defaults = experiment.root().get(DEFAULTS);
        if (defaults == null) {
            return entries;
        }
        String shape = "Expected { group: option }, { \"group@package\": option }, { \"optional group\": option } or "
                + SELF + ".";
        if (typeOf(defaults) != ConfigValueType.LIST) {
            problems.add(
                    "'"
                            + DEFAULTS
                            + "' at "
                            + defaults.origin().description()
                            + " must be a list of config group choices. "
                            + shape);
            return entries;
        }
        Set<String> packages = new HashSet<>();
        for (ConfigValue element : (ConfigList) defaults) {
            ConfigValueType type = typeOf(element);
            String where = "at " + element.origin().description();
            if (type == ConfigValueType.STRING && SELF.equals(element.unwrapped())) {
                if (entries.stream().anyMatch(DefaultsEntry::isSelf)) {
                    problems.add(
                            "'" + SELF + "' appears twice in the defaults list " + where + ".");
                } else {
                    entries.add(DefaultsEntry.self(element.origin()));
                }
                continue;
            }
            if (type != ConfigValueType.OBJECT || ((ConfigObject) element).size() != 1) {
                problems.add(
                        "Malformed defaults entry '"
                                + render(element)
                                + "' "
                                + where
                                + ". "
                                + shape);
                continue;
            }
            Map.Entry<String, ConfigValue> choice =
                    ((ConfigObject) element).entrySet().iterator().next();
            String key = choice.getKey();
            // Hydra's "optional group: option": the entry is skipped when the option's file does not exist.
            boolean optional = key.startsWith(OPTIONAL);
            if (optional) {
                key = key.substring(OPTIONAL.length()).strip();
            }
            int at = key.indexOf('@');
            String group = at < 0 ? key : key.substring(0, at);
            String packageName = at < 0 ? key : key.substring(at + 1);
            ConfigValueType optionType = typeOf(choice.getValue());
            if (group.isEmpty()
                    || packageName.isEmpty()
                    || !ConfigPaths.isPath(packageName)
                    || (optionType != ConfigValueType.STRING
                            && optionType != ConfigValueType.NUMBER
                            && optionType != ConfigValueType.NULL)) {
                problems.add(
                        "Malformed defaults entry '"
                                + render(element)
                                + "' "
                                + where
                                + ". "
                                + shape);
                continue;
            }
            if (!packages.add(packageName)) {
                problems.add(
                        "Package '"
                                + packageName
                                + "' is chosen twice in the defaults list (again "
                                + where
                                + "); give one of them another package with \""
                                + group
                                + "@<package>\".");
                continue;
            }
            String option =
                    optionType == ConfigValueType.NULL
                            ? null
                            : String.valueOf(choice.getValue().unwrapped());
            entries.add(new DefaultsEntry(group, packageName, option, where, optional));
        }
        return entries;
    }

    private void collectAxes(
            ConfigObject object,
            List<String> prefix,
            List<String> lines,
            List<SweepAxis> axes,
            ConfigProblems problems) {
        for (Map.Entry<String, ConfigValue> member : object.entrySet()) {
            List<String> segments = new ArrayList<>(prefix);
            segments.add(member.getKey());
            String key = ConfigUtil.joinPath(segments);
            ConfigValue value = member.getValue();
            ConfigValueType type = typeOf(value);
            if (prefix.isEmpty() && SWEEP_SETTINGS.contains(member.getKey()) && type != ConfigValueType.LIST) {
                continue; // sweep.dir and sweep.subdir: where the sweep writes, composed like any key
            }
            if (type == ConfigValueType.OBJECT) {
                collectAxes((ConfigObject) value, segments, lines, axes, problems);
                continue;
            }
            if (type != ConfigValueType.LIST || ((ConfigList) value).isEmpty()) {
                problems.add(
                        "Sweep key '"
                                + key
                                + "' at "
                                + value.origin().description()
                                + " must be a non-empty list of values, e.g. sweep { "
                                + key
                                + " = [1, 2] }.");
                continue;
            }
            List<String> values = new ArrayList<>();
            for (ConfigValue element : (ConfigList) value) {
                values.add(renderOverrideValue(element));
            }
            int line = value.origin().lineNumber();
            axes.add(new SweepAxis(key, values, line, column(lines, line, key, member.getKey())));
        }
    }

    // Typesafe Config keeps object members in a hash map, so declaration order is recovered from
    // the source: line first, then the position of the key within the line.
    private static int column(List<String> lines, int line, String path, String lastSegment) {
        if (line < 1 || line > lines.size()) {
            return Integer.MAX_VALUE;
        }
        String text = lines.get(line - 1);
        int column = text.indexOf(path);
        if (column < 0) {
            column = text.indexOf(lastSegment);
        }
        return column < 0 ? Integer.MAX_VALUE : column;
    }

    private static List<String> sourceLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Writes a sweep value so that the override parser reads back the same value. */
    static String renderOverrideValue(ConfigValue value) {
        if (typeOf(value) == ConfigValueType.STRING) {
            String string = (String) value.unwrapped();
            // Words the override parser reads as something other than a string.
            boolean keyword = string.toLowerCase(java.util.Locale.ROOT)
                    .matches("true|false|null|inf|nan");
            return BARE_STRING.matcher(string).matches() && !keyword
                    ? string
                    : ConfigUtil.quoteString(string);
        }
        return render(value);
    }

    private Config parseFile(Path file, ConfigProblems problems) {
        ConfigParseOptions options =
                ConfigParseOptions.defaults()
                        .setSyntax(ConfigSyntax.CONF)
                        .setAllowMissing(false)
                        .setClassLoader(ConfigComposer.class.getClassLoader());
        try {
            return ConfigFactory.parseFile(file.toFile(), options);
        } catch (ConfigException.IO e) {
            problems.add("Cannot read config file '" + file + "': " + e.getMessage());
        } catch (ConfigException e) {
            problems.add("Syntax error " + UnclosedBrackets.find(file, e).orElseGet(() -> describe(e)));
        }
        return null;
    }

    /** "at file: line: what", from a Typesafe exception whose message starts with its origin. */
    private static String describe(ConfigException e) {
        ConfigOrigin origin = e.origin();
        String message = e.getMessage();
        if (origin == null) {
            return ": " + message;
        }
        String prefix = origin.description() + ": ";
        return "at "
                + origin.description()
                + ": "
                + (message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    /**
     * Every path in the config, objects and leaves, as {@link ConfigUtil#joinPath} writes them.
     * Resolved as far as possible first, since a merge involving a substitution hides its members.
     */
    private static Set<String> existingPaths(Config config) {
        Config partial;
        try {
            partial = config.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
        } catch (ConfigException e) {
            partial = config;
        }
        Set<String> paths = new HashSet<>();
        collectPaths(partial.root(), new ArrayList<>(), paths);
        return paths;
    }

    private static void collectPaths(ConfigObject object, List<String> prefix, Set<String> paths) {
        try {
            for (Map.Entry<String, ConfigValue> member : object.entrySet()) {
                prefix.add(member.getKey());
                paths.add(ConfigUtil.joinPath(prefix));
                if (typeOf(member.getValue()) == ConfigValueType.OBJECT) {
                    collectPaths((ConfigObject) member.getValue(), prefix, paths);
                }
                prefix.remove(prefix.size() - 1);
            }
        } catch (ConfigException.NotResolved e) {
            // An unresolved merge: its members are unknown until resolution; keep what we have.
        }
    }

    /** The value's type, or null when it is an unresolved substitution. */
    private static ConfigValueType typeOf(ConfigValue value) {
        try {
            return value.valueType();
        } catch (ConfigException.NotResolved e) {
            return null;
        }
    }

    private static String render(ConfigValue value) {
        try {
            return value.render(ConfigRenderOptions.concise());
        } catch (ConfigException e) {
            return String.valueOf(value);
        }
    }


    private String dirList() {
        return configDirs.isEmpty()
                ? "no config directories"
                : configDirs.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    private static String listOrNone(List<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    /** One entry of the defaults list; {@code group == null} marks {@code _self_}. */
    private record DefaultsEntry(String group, String packageName, String option, String where, boolean optional) {
        DefaultsEntry(String group, String packageName, String option, String where) {
            this(group, packageName, option, where, false);
        }

        static DefaultsEntry self(ConfigOrigin origin) {
            return new DefaultsEntry(null, null, null, "at " + origin.description());
        }

        boolean isSelf() {
            return group == null;
        }

        DefaultsEntry withOption(String newOption, String newWhere) {
            return new DefaultsEntry(group, packageName, newOption, newWhere, optional);
        }
    }

    private record SweepAxis(String key, List<String> values, int line, int column) {}
}
