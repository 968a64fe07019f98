package org.fadkd.runner.results;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Each configuration against its baseline, the student trained alone: the configuration whose
 * method is {@value #BASELINE_METHOD} and whose overrides are otherwise the same. The difference
 * of a metric is taken seed by seed (a seed fixes the student's initialisation and the data
 * order, so pairing removes the spread both share) over the seeds both finished, with a two-sided
 * {@value #CONFIDENCE} Student's t interval on the mean difference. Unpaired means of two or three
 * seeds differ by about their standard deviation from noise alone; "ahead" means something only
 * when the interval excludes zero.
 *
 * <p>Configurations are those of {@link SummaryTable#groupByConfiguration}, which holds finished
 * jobs only. The overrides compared are {@link SummaryTable#configurationOverrides} without the
 * method choice ({@code method=kd}) and without the method's own settings ({@code
 * method.temperature=2}): the student alone has no such settings, so they describe the method, not
 * the setting it is compared in.
 */
public final class PairedComparison {
    /** The method of a baseline configuration. */
    public static final String BASELINE_METHOD = "none";

    /** The two-sided coverage of the intervals. */
    public static final double CONFIDENCE = 0.95;

    private static final Pattern METHOD_CHOICE = Pattern.compile("\\+{0,2}method=.*");
    private static final Pattern METHOD_SETTING = Pattern.compile("[+~]{0,2}method\\..*");
    private static final char MINUS = '\u2212';

    private final Map<String, List<JobResult>> groups;
    /** Each configuration's baseline configuration, for those that have one (a baseline has itself). */
    private final Map<String, String> baselines;
    private final boolean anyBaseline;

    private PairedComparison(Map<String, List<JobResult>> groups, Map<String, String> baselines,
            boolean anyBaseline) {
        this.groups = groups;
        this.baselines = baselines;
        this.anyBaseline = anyBaseline;
    }

    /**
     * The comparison of the configurations {@link SummaryTable#groupByConfiguration} made. When two
     * baseline configurations have the same settings (runs pooled from several sweeps, one with
     * {@code method=none} on its command line, one with it as the experiment's default), the first
     * is the baseline of both.
     *
     * @param groups finished jobs by configuration label, each list non-empty
     */
    public static PairedComparison of(Map<String, List<JobResult>> groups) {
        requireNonNull(groups, "groups is null");
        Map<List<String>, String> baselineBySettings = new LinkedHashMap<>();
        groups.forEach((label, jobs) -> {
            if (jobs.isEmpty()) {
                throw new IllegalArgumentException("configuration '" + label + "' has no jobs");
            }
            if (BASELINE_METHOD.equals(jobs.get(0).summary().method())) {
                baselineBySettings.putIfAbsent(sharedSettings(jobs.get(0).spec()), label);
            }
        });
        Map<String, String> baselines = new LinkedHashMap<>();
        groups.forEach((label, jobs) -> {
            String baseline = baselineBySettings.get(sharedSettings(jobs.get(0).spec()));
            if (baseline != null) {
                baselines.put(label, baseline);
            }
        });
        return new PairedComparison(new LinkedHashMap<>(groups), baselines, !baselineBySettings.isEmpty());
    }

    /**
     * The overrides a configuration shares with its baseline: all of its configuration overrides
     * but the method's choice and settings.
     */
    static List<String> sharedSettings(JobSpec spec) {
        return SummaryTable.configurationOverrides(spec).stream()
                .filter(o -> !METHOD_CHOICE.matcher(o).matches() && !METHOD_SETTING.matcher(o).matches())
                .toList();
    }

    /** Whether any configuration ran the student alone. */
    public boolean hasBaseline() {
        return anyBaseline;
    }

    /** The label of {@code label}'s baseline configuration; empty when the student alone did not run with its settings. */
    public Optional<String> baselineOf(String label) {
        checkKnown(label);
        return Optional.ofNullable(baselines.get(label));
    }

    /** Whether {@code label} is a baseline configuration (compared with itself, its difference is zero). */
    public boolean isBaseline(String label) {
        checkKnown(label);
        return label.equals(baselines.get(label));
    }

    /**
     * {@code metric} of {@code label}'s jobs minus its baseline's, paired by seed over the seeds
     * where both recorded the metric. A seed run more than once in a configuration (pooled sweeps)
     * counts once, with the mean of its runs.
     *
     * @param metric a key of the jobs' {@code metrics}, e.g. {@code final_top1}
     * @return empty when the configuration has no baseline; a difference with {@code n = 0} when
     *     they have no seed in common
     * @throws IllegalArgumentException when {@code label} is not one of the configurations
     */
    public Optional<Difference> difference(String label, String metric) {
        requireNonNull(metric, "metric is null");
        String baseline = baselineOf(label).orElse(null);
        if (baseline == null) {
            return Optional.empty();
        }
        Map<Long, Double> compared = meanBySeed(groups.get(label), metric);
        Map<Long, Double> alone = meanBySeed(groups.get(baseline), metric);
        double[] differences = compared.entrySet().stream()
                .filter(entry -> alone.containsKey(entry.getKey()))
                .mapToDouble(entry -> entry.getValue() - alone.get(entry.getKey()))
                .toArray();
        return Optional.of(Difference.of(differences));
    }

    private void checkKnown(String label) {
        if (!groups.containsKey(label)) {
            throw new IllegalArgumentException("no configuration '" + label + "'; known: " + groups.keySet());
        }
    }

    private static Map<Long, Double> meanBySeed(List<JobResult> jobs, String metric) {
        Map<Long, List<Double>> bySeed = new LinkedHashMap<>();
        for (JobResult job : jobs) {
            Double value = job.summary().metric(metric);
            if (value != null) {
                bySeed.computeIfAbsent(job.summary().seed(), seed -> new ArrayList<>()).add(value);
            }
        }
        Map<Long, Double> means = new LinkedHashMap<>();
        bySeed.forEach((seed, values) ->
                means.put(seed, values.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        return means;
    }

    /**
     * The mean of paired differences with its two-sided {@value #CONFIDENCE} Student's t interval:
     * {@code mean ± t(1 − α/2, n − 1) · sd / √n}, sd the sample standard deviation (n − 1).
     *
     * @param n how many seeds were paired; 0 when none
     * @param mean the mean difference; NaN when {@code n = 0}
     * @param standardDeviation the differences' sample standard deviation; NaN when {@code n < 2}
     * @param lower the interval's lower end; NaN when {@code n < 2} (no interval from one pair)
     * @param upper the interval's upper end; NaN when {@code n < 2}
     */
    public record Difference(int n, double mean, double standardDeviation, double lower, double upper) {
        /** The mean difference and interval of {@code differences}. */
        public static Difference of(double[] differences) {
            int n = differences.length;
            if (n == 0) {
                return new Difference(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double mean = 0;
            for (double difference : differences) {
                mean += difference;
            }
            mean /= n;
            if (n == 1) {
                return new Difference(1, mean, Double.NaN, Double.NaN, Double.NaN);
            }
            double standardDeviation = SummaryTable.standardDeviation(differences);
            double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
            double halfWidth = t * standardDeviation / Math.sqrt(n);
            return new Difference(n, mean, standardDeviation, mean - halfWidth, mean + halfWidth);
        }

        /** Whether there is an interval: at least two seeds were paired. */
        public boolean hasInterval() {
            return n >= 2;
        }

        /** Whether the interval lies wholly above or wholly below zero; false without an interval. */
        public boolean excludesZero() {
            return hasInterval() && (lower > 0 || upper < 0);
        }

        /** The mean, e.g. {@code +0.0069}, multiplied by {@code scale}. */
        public String meanText(double scale, int decimals) {
            return signed(mean * scale, decimals);
        }

        /**
         * The interval, e.g. {@code [−0.0021, +0.0159]}, multiplied by {@code scale}; empty when
         * there is none.
         */
        public String intervalText(double scale, int decimals) {
            return hasInterval() ? "[" + signed(lower * scale, decimals) + ", " + signed(upper * scale, decimals) + "]"
                    : "";
        }

        /**
         * One line: {@code +0.0069 [−0.0021, +0.0159] n=3}, followed by {@code " *"} when the
         * interval excludes zero; {@code "no common seed"} when no seed was paired.
         */
        public String toText(double scale, int decimals) {
            if (n == 0) {
                return "no common seed";
            }
            return meanText(scale, decimals) + (hasInterval() ? " " + intervalText(scale, decimals) : "") + " n=" + n
                    + (excludesZero() ? " *" : "");
        }
    }

    /** {@code value} with its sign always shown, a true minus sign for negatives: {@code +0.0100}, {@code −0.0148}. */
    public static String signed(double value, int decimals) {
        String text = String.format(Locale.ROOT, "%+." + decimals + "f", value);
        return text.charAt(0) == '-' ? MINUS + text.substring(1) : text;
    }
}
