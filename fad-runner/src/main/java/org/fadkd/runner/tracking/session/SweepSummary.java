package org.fadkd.runner.tracking.session;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.JobSpec;
import org.fadkd.runner.results.SummaryTable;
import org.fadkd.runner.tracking.TrackingSettings;
import org.fadkd.runner.tracking.mlflow.MlflowNames;

/**
 * What a sweep's parent run holds, named so that it lines up with its children in MLflow's compare
 * views:
 *
 * <ul>
 *   <li>its overrides as params, under the keys the children use too: {@code method=kd,fad}
 *       becomes param {@code method} = {@code kd,fad} on the parent, and each child gets {@code
 *       method} = {@code kd} ({@link #overrideParams}) besides its config's {@code method.type};
 *   <li>for each configuration (the jobs with the same overrides but the seed, as {@link
 *       SummaryTable#groupByConfiguration} groups them) the mean and sample standard deviation over
 *       seeds of every number in the jobs' summaries, as metrics {@code <name>/<metric>_mean},
 *       {@code <name>/<metric>_std} and {@code <name>/n}. A configuration's name is the values of
 *       the overrides that differ between the sweep's configurations, joined by {@code _} in the
 *       order of the parent's params: {@code kd/best_top1_mean} for {@code method=kd,fad}, {@code
 *       kd_0.01/best_top1_mean} for {@code method=kd,fad trainer.learning-rate=0.1,0.01}; the
 *       method's name when only seeds vary. Where such names would not be unique, configurations
 *       are named {@code config_<n>} (in job order) and param {@code config_<n>} holds their
 *       overrides.
 * </ul>
 *
 * <p>Overrides of the {@code tracking} section are left out everywhere: where runs are logged is no
 * part of what they compute, and the URI may hold credentials.
 */
public final class SweepSummary {
    private SweepSummary() {}

    /**
     * The sweep's overrides as params: {@code key=a,b} becomes param {@code key} with value {@code
     * a,b}; {@code +key=}, {@code ++key=} count as {@code key=}; overrides without a value and those
     * of the {@code tracking} section are left out.
     */
    public static Map<String, String> params(List<String> overrides) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String key = overrideKey(override);
            if (!TrackingSettings.isTrackingKey(key)) {
                params.put(key, override.substring(equals + 1));
            }
        }
        return params;
    }

    /**
     * A job's overrides that are no value of its resolved config, as params under the same keys as
     * the parent's: the choice of a config group option, {@code method=kd} becoming param {@code
     * method} = {@code kd}. Overrides of a value ({@code seed=2}) are already params through the
     * flattened config, under the same key; those of the {@code tracking} section are left out.
     */
    public static Map<String, String> overrideParams(JobSpec spec) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : params(spec.overrides()).entrySet()) {
            if (!isConfigValue(spec.config(), entry.getKey())) {
                params.put(entry.getKey(), entry.getValue());
            }
        }
        return params;
    }

    private static boolean isConfigValue(Config config, String key) {
        try {
            return config.hasPath(key) && config.getValue(key).valueType() != ConfigValueType.OBJECT;
        } catch (ConfigException e) {
            return false; // not a path at all: "model@assistant"
        }
    }

    /** The key an override sets: {@code ++trainer.epochs=3} sets {@code trainer.epochs}. */
    static String overrideKey(String override) {
        int equals = override.indexOf('=');
        return (equals < 0 ? override : override.substring(0, equals)).replaceFirst("^[+~]+", "").trim();
    }

    /**
     * The params that say which configuration a parent's metric names: empty when the names are
     * the configurations' values ({@code kd}), else {@code config_<n>} with its overrides.
     */
    public static Map<String, String> configurationParams(List<JobResult> results) {
        Naming naming = naming(results);
        Map<String, String> params = new LinkedHashMap<>();
        if (naming.numbered()) {
            naming.names().forEach((label, name) -> params.put(name, label));
        }
        return params;
    }

    /** Mean and standard deviation per configuration of the finished jobs, in the order they ran. */
    public static Map<String, Double> metrics(List<JobResult> results) {
        Map<String, String> names = naming(results).names();
        Map<String, Double> metrics = new LinkedHashMap<>();
        SummaryTable.groupByConfiguration(results).forEach((label, group) -> {
            String configuration = names.get(label);
            Set<String> keys = new LinkedHashSet<>();
            group.forEach(result -> result.metrics().forEach((key, value) -> {
                if (value instanceof Number && MlflowNames.isTrackedSummaryMetric(key)) {
                    keys.add(key);
                }
            }));
            metrics.put(configuration + "/n", (double) group.size());
            for (String key : keys) {
                double[] values = group.stream()
                        .map(result -> result.metrics().get(key))
                        .filter(Number.class::isInstance)
                        .mapToDouble(value -> ((Number) value).doubleValue())
                        .toArray();
                metrics.put(configuration + "/" + key + "_mean", Arrays.stream(values).average().orElse(Double.NaN));
                metrics.put(configuration + "/" + key + "_std", SummaryTable.standardDeviation(values));
            }
        });
        return metrics;
    }

    /**
     * The configurations' names in metric keys, by {@link SummaryTable#configurationLabel}. Taken
     * over every job, finished or not, so that a resumed sweep names its configurations the same.
     *
     * @param numbered whether the names are {@code config_<n>} rather than the varying values
     */
    private record Naming(Map<String, String> names, boolean numbered) {}

    private static Naming naming(List<JobResult> results) {
        Map<String, Map<String, String>> configurations = new LinkedHashMap<>();
        Map<String, String> methods = new LinkedHashMap<>();
        for (JobResult result : results) {
            String label = SummaryTable.configurationLabel(result.spec());
            if (!configurations.containsKey(label)) {
                configurations.put(label, axes(result.spec()));
                methods.put(label, result.spec().method());
            }
        }
        Set<String> keys = new LinkedHashSet<>();
        configurations.values().forEach(axes -> keys.addAll(axes.keySet()));
        List<String> varying = new ArrayList<>();
        for (String key : keys) {
            Set<String> values = new HashSet<>();
            configurations.values().forEach(axes -> values.add(Objects.toString(axes.get(key), "")));
            if (values.size() > 1) {
                varying.add(key);
            }
        }
        Map<String, String> names = new LinkedHashMap<>();
        configurations.forEach((label, axes) -> {
            List<String> values = new ArrayList<>();
            for (String key : varying) {
                values.add(axes.getOrDefault(key, "default").replace('/', '_'));
            }
            names.put(label, MlflowNames.key(varying.isEmpty() ? methods.get(label) : String.join("_", values)));
        });
        if (new HashSet<>(names.values()).size() == names.size()) {
            return new Naming(names, false);
        }
        Map<String, String> numbered = new LinkedHashMap<>();
        for (String label : configurations.keySet()) {
            numbered.put(label, "config_" + numbered.size());
        }
        return new Naming(numbered, true);
    }

    /** The overrides that define a job's configuration, as the summary table groups them: key to value. */
    private static Map<String, String> axes(JobSpec spec) {
        Map<String, String> axes = new LinkedHashMap<>();
        for (String override : spec.overrides()) {
            int equals = override.indexOf('=');
            String key = overrideKey(override);
            if (equals > 0 && !key.equals("seed") && !TrackingSettings.isTrackingKey(key) && !key.startsWith("run.")
                    && !key.startsWith("sweep.")) {
                axes.put(key, override.substring(equals + 1));
            }
        }
        return axes;
    }
}
