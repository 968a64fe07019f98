package org.fadkd.runner.report;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The radar chart's normalisation (fad-spec §13): every axis scored 0–100, higher is better,
 * clamped. Accuracy is taken as is (percent); compression time as {@code 100·(1 − t/t_max)} with
 * {@code t_max} the slowest compared configuration's; latency as {@code 100·(1 − lat/lat_base) =
 * 100·(1 − 1/speed-up)}; size, GFLOPs and params as {@code 100·(1 − x/x_base)}, where the base is
 * the uncompressed teacher.
 */
public final class RadarScores {
    private RadarScores() {}

    /** Accuracy in percent, as is (clamped). */
    public static double accuracy(double percent) {
        return clamp(percent);
    }

    /** {@code 100·(1 − seconds/slowestSeconds)}, clamped. */
    public static double compressionTime(double seconds, double slowestSeconds) {
        return clamp(100 * (1 - seconds / slowestSeconds));
    }

    /** {@code 100·(1 − milliseconds/baselineMilliseconds)}, clamped: a student slower than the teacher scores 0. */
    public static double latency(double milliseconds, double baselineMilliseconds) {
        return clamp(100 * (1 - milliseconds / baselineMilliseconds));
    }

    /** {@code 100·(1 − value/baselineValue)}, clamped: the compression level of size, GFLOPs or params. */
    public static double reduction(double value, double baselineValue) {
        return clamp(100 * (1 - value / baselineValue));
    }

    /** Clamps to 0–100; NaN stays NaN. */
    static double clamp(double score) {
        return Double.isNaN(score) ? score : Math.max(0, Math.min(100, score));
    }

    /**
     * Scores each configuration on every axis it has the measurements for, from the means over its
     * jobs: its own metric and, for latency, size, GFLOPs and params, its jobs' teacher metric.
     * Compression time is relative to the slowest of {@code configurations}.
     *
     * @param configurations the configurations compared on one chart
     * @return per configuration (same order), the scores of the axes it can be scored on
     */
    public static List<Map<RadarAxis, Double>> score(List<ConfigurationResults> configurations) {
        double slowest = configurations.stream()
                .map(configuration -> configuration.mean(RadarAxis.COMPRESSION_TIME.metric()))
                .filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble)
                .max()
                .orElse(Double.NaN);
        return configurations.stream().map(configuration -> score(configuration, slowest)).toList();
    }

    private static Map<RadarAxis, Double> score(ConfigurationResults configuration, double slowestSeconds) {
        Map<RadarAxis, Double> scores = new EnumMap<>(RadarAxis.class);
        for (RadarAxis axis : RadarAxis.values()) {
            OptionalDouble value = configuration.mean(axis.metric());
            if (value.isEmpty()) {
                continue;
            }
            double x = value.getAsDouble();
            switch (axis) {
                // summary.json records accuracy as a fraction; the chart shows percent
                case ACCURACY -> scores.put(axis, accuracy(100 * x));
                case COMPRESSION_TIME -> {
                    if (slowestSeconds > 0) {
                        scores.put(axis, compressionTime(x, slowestSeconds));
                    }
                }
                default -> {
                    OptionalDouble baseline = configuration.mean(axis.baselineMetric());
                    if (baseline.isPresent() && baseline.getAsDouble() > 0) {
                        double base = baseline.getAsDouble();
                        scores.put(axis, axis == RadarAxis.LATENCY ? latency(x, base) : reduction(x, base));
                    }
                }
            }
        }
        return scores;
    }
}
