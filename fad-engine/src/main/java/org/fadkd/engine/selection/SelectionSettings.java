package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fadkd.api.SettingsReader;

/**
 * The {@code selection} section of an experiment (fad-spec §10), documented in the runner's {@code
 * selection-defaults.conf}.
 *
 * @param enabled whether a run selects its student from the candidates before distilling it
 * @param candidates the candidate students, in the order they are listed
 * @param budgets the budgets a candidate must stay within
 * @param batches {@code M_b}, the training batches the flow analysis averages over, at least 1
 * @param proxy the warm-up proxy
 * @param weights the weights of the score
 * @since 0.1
 */
public record SelectionSettings(
        boolean enabled,
        List<CandidateSpec> candidates,
        SelectionBudgets budgets,
        int batches,
        Proxy proxy,
        SelectionWeights weights) {
    /** fad-spec §14.1: the flow analysis averages over 10 batches. */
    public static final int DEFAULT_BATCHES = 10;

    /** The keys of a candidate written as an object. */
    private static final List<String> CANDIDATE_KEYS = List.of("name", "model", "settings");

    public SelectionSettings {
        candidates = List.copyOf(candidates);
        requireNonNull(budgets, "budgets is null");
        if (batches < 1) {
            throw new IllegalArgumentException("the flow analysis needs at least 1 batch, got " + batches);
        }
        requireNonNull(proxy, "proxy is null");
        requireNonNull(weights, "weights is null");
    }

    /**
     * The selection settings of fad-spec §14.1 with the given candidates: no budgets, 10 batches,
     * the proxy on with 100 steps and 10 evaluation batches, weights 0.4, 0.3, 0.3.
     *
     * @param candidates the candidates, never null
     * @return the settings, with {@code enabled} false
     * @since 0.1
     */
    public static SelectionSettings defaults(List<CandidateSpec> candidates) {
        return new SelectionSettings(false, candidates, SelectionBudgets.NONE, DEFAULT_BATCHES, Proxy.DEFAULTS,
                SelectionWeights.DEFAULTS);
    }

    /**
     * The proxy accuracy: a warm-up of each candidate with the proxy's method (by default kd, T =
     * 4, α = 0.9) and the run's optimizer and batch size, then top-1 on the first validation
     * batches in inference mode.
     *
     * @param enabled whether candidates get a proxy accuracy
     * @param method the warm-up's method section ({@code type} and settings), as under {@code method}
     * @param steps {@code K}, the optimizer steps of the warm-up, at least 1
     * @param evalBatches the validation batches (of the run's evaluation batch size) top-1 is
     *     measured on, at least 1
     * @since 0.1
     */
    public record Proxy(boolean enabled, Config method, int steps, int evalBatches) {
        /** fad-spec §14.1: on, kd (its defaults are T = 4 and α = 0.9), 100 steps, 10 evaluation batches. */
        public static final Proxy DEFAULTS =
                new Proxy(true, com.typesafe.config.ConfigFactory.parseString("type = kd"), 100, 10);

        public Proxy {
            java.util.Objects.requireNonNull(method, "method is null");
            if (steps < 1 || evalBatches < 1) {
                throw new IllegalArgumentException(
                        "the proxy needs at least 1 step and 1 evaluation batch, got " + steps + " and " + evalBatches);
            }
        }
    }

    /**
     * One candidate as the experiment names it. The runner builds its architecture from the option
     * {@code model} of the {@code model} config group ({@code configs/model/<model>.conf}) with
     * {@code settings} merged over it.
     *
     * @param name the candidate's name in tables, files and tracking; unique within a selection
     * @param model the option of the {@code model} config group
     * @param settings architecture settings merged over the option's, possibly empty
     * @since 0.1
     */
    public record CandidateSpec(String name, String model, Config settings) {
        public CandidateSpec {
            requireNonNull(name, "name is null");
            requireNonNull(model, "model is null");
            requireNonNull(settings, "settings is null");
        }

        /** A candidate that is the option {@code model} as it is, named after it. */
        public static CandidateSpec of(String model) {
            return new CandidateSpec(model, model, ConfigFactory.empty());
        }
    }

    /**
     * Reads and checks a {@code selection} section, reporting every problem at once.
     *
     * <p>A candidate is a model option ({@code cnn}) or an object {@code { name = cnn-wide, model =
     * cnn, settings { widths = [32, 64, 128] } }} whose {@code name} defaults to its {@code model}.
     * Budgets set to {@code null} (the default) are not applied.
     *
     * @param section the section, merged over the documented defaults; never null
     * @return the settings, never null
     * @throws org.fadkd.api.FadException with {@link org.fadkd.api.ErrorCode#CONFIG_INVALID}
     *     listing every invalid value
     * @since 0.1
     */
    public static SelectionSettings from(Config section) {
        requireNonNull(section, "section is null");
        SettingsReader reader = new SettingsReader(section, "section", "selection");
        boolean enabled = reader.getBoolean("enabled");
        List<CandidateSpec> candidates = candidates(section, reader);
        reader.check(candidates == null || !enabled || !candidates.isEmpty(), "candidates",
                "a non-empty list when 'enabled' is true");
        Long maxParams = null;
        if (section.hasPath("budgets.max-params")) {
            maxParams = (long) reader.getDouble("budgets.max-params", value -> value >= 1 && value == Math.rint(value),
                    "[1, inf), a whole number");
        }
        Double maxGflops = section.hasPath("budgets.max-gflops")
                ? reader.getDouble("budgets.max-gflops", value -> value > 0, "(0, inf)")
                : null;
        Double maxLatencyMs = section.hasPath("budgets.max-latency-ms")
                ? reader.getDouble("budgets.max-latency-ms", value -> value > 0, "(0, inf)")
                : null;
        int batches = reader.getInt("batches", 1, Integer.MAX_VALUE);
        boolean proxyEnabled = reader.getBoolean("proxy.enabled");
        int steps = reader.getInt("proxy.steps", 1, Integer.MAX_VALUE);
        int evalBatches = reader.getInt("proxy.eval-batches", 1, Integer.MAX_VALUE);
        Config proxyMethod = reader.getComponentSection("proxy.method");
        double alignment = reader.getDouble("weights.alignment", value -> value >= 0, "[0, inf)");
        double match = reader.getDouble("weights.match", value -> value >= 0, "[0, inf)");
        double proxy = reader.getDouble("weights.proxy", value -> value >= 0, "[0, inf)");
        reader.check(alignment + match > 0, "weights.match",
                "positive when weights.alignment is 0: without a proxy the score would be undefined");
        reader.throwIfInvalid();
        return new SelectionSettings(enabled, candidates == null ? List.of() : candidates, new SelectionBudgets(maxParams, maxGflops, maxLatencyMs),
                batches, new Proxy(proxyEnabled, proxyMethod, steps, evalBatches), new SelectionWeights(alignment, match, proxy));
    }

    /** Reads the candidates, recording a problem for each bad entry; null when there is no list to read. */
    private static List<CandidateSpec> candidates(Config section, SettingsReader reader) {
        ConfigList list;
        try {
            list = section.getList("candidates");
        } catch (ConfigException e) {
            reader.check(false, "candidates", "a list of candidates");
            return null;
        }
        List<CandidateSpec> candidates = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int index = 0; index < list.size(); index++) {
            CandidateSpec candidate = candidate(list.get(index), index + 1, reader);
            if (candidate == null) {
                continue;
            }
            reader.check(names.add(candidate.name()), "candidates",
                    "a list of candidates with distinct names, but '" + candidate.name() + "' appears twice;"
                            + " give one of them another 'name'");
            candidates.add(candidate);
        }
        return candidates;
    }

    /** Reads entry {@code number} (1-based), or records a problem and returns null. */
    private static CandidateSpec candidate(ConfigValue value, int number, SettingsReader reader) {
        String expected = "a list of model options (cnn) or objects { name, model, settings }";
        if (value.valueType() == ConfigValueType.STRING) {
            String model = (String) value.unwrapped();
            reader.check(!model.isBlank(), "candidates", expected + ", but entry " + number + " is empty");
            return model.isBlank() ? null : CandidateSpec.of(model);
        }
        if (value.valueType() != ConfigValueType.OBJECT) {
            reader.check(false, "candidates", expected + ", but entry " + number + " is '"
                    + value.render(ConfigRenderOptions.concise()) + "'");
            return null;
        }
        Config entry = ((ConfigObject) value).toConfig();
        boolean valid = true;
        for (String key : entry.root().keySet()) {
            if (!CANDIDATE_KEYS.contains(key)) {
                reader.check(false, "candidates", expected + ", but entry " + number + " has the key '" + key
                        + "' (architecture settings go in its 'settings')");
                valid = false;
            }
        }
        String model = string(entry, "model");
        if (model == null || model.isBlank()) {
            reader.check(false, "candidates", expected + ", but entry " + number + " has no 'model' string");
            return null;
        }
        String name = entry.hasPath("name") ? string(entry, "name") : model;
        if (name == null || name.isBlank()) {
            reader.check(false, "candidates", expected + ", but the 'name' of entry " + number + " is not a string");
            return null;
        }
        Config settings = ConfigFactory.empty();
        if (entry.hasPath("settings")) {
            if (entry.getValue("settings").valueType() != ConfigValueType.OBJECT) {
                reader.check(false, "candidates", expected + ", but the 'settings' of entry " + number
                        + " is not an object");
                return null;
            }
            settings = entry.getConfig("settings");
        }
        return valid ? new CandidateSpec(name, model, settings) : null;
    }

    private static String string(Config entry, String key) {
        if (!entry.hasPath(key) || entry.getValue(key).valueType() != ConfigValueType.STRING) {
            return null;
        }
        return entry.getString(key);
    }
}
