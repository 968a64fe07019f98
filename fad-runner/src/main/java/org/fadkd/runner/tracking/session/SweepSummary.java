package org.fadkd.runner.tracking.session;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.runner.results.JobResult;
import org.fadkd.runner.results.SummaryTable;
import org.fadkd.runner.tracking.TrackingSettings;

/**
 * What a sweep's parent run holds: its overrides as params (but those of the {@code tracking}
 * section: where runs are logged is no part of what they compute, and the URI may hold
 * credentials), and for each configuration (the
 * groups of {@link SummaryTable#configurations}: the same overrides but the seed) the mean and
 * sample standard deviation over seeds of every number in the jobs' summaries, as metrics named
 * {@code <configuration>/<metric>_mean}, {@code .../<metric>_std} and {@code <configuration>/n}.
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

    /** The key an override sets: {@code ++trainer.epochs=3} sets {@code trainer.epochs}. */
    static String overrideKey(String override) {
        int equals = override.indexOf('=');
        return (equals < 0 ? override : override.substring(0, equals)).replaceFirst("^[+~]+", "").trim();
    }

    /** Mean and standard deviation per configuration of the finished jobs, in the order they ran. */
    public static Map<String, Double> metrics(List<JobResult> results) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        SummaryTable.groupByConfiguration(results).forEach((configuration, group) -> {
            Set<String> keys = new LinkedHashSet<>();
            group.forEach(result -> result.metrics().forEach((key, value) -> {
                if (value instanceof Number) {
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
}
