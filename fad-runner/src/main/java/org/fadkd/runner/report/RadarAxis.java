package org.fadkd.runner.report;

/**
 * The six axes of the radar chart (fad-spec §13), in the order they are drawn, each with the
 * {@code summary.json} metrics it is scored from.
 */
public enum RadarAxis {
    /** Best top-1 accuracy, in percent, as is. */
    ACCURACY("Acc", "Acc", "best_top1", null),
    /** Compression wall clock, as the complement of its share of the slowest compared method's. */
    COMPRESSION_TIME("compression time", "comp. time", "compression_time_s", null),
    /** Batch-1 median latency, as the share of the teacher's latency saved ({@code 1 − 1/speed-up}). */
    LATENCY("latency", "latency", "student_latency_ms", "teacher_latency_ms"),
    /** Weight-file size, as the share of the teacher's size saved. */
    SIZE("size", "size", "student_size_mb", "teacher_size_mb"),
    /** Multiply-accumulates of one sample, as the share of the teacher's saved. */
    GFLOPS("GFLOPs", "GFLOPs", "student_gflops", "teacher_gflops"),
    /** Trainable parameters, as the share of the teacher's saved. */
    PARAMS("params", "params", "student_params", "teacher_params");

    private final String label;
    private final String chartLabel;
    private final String metric;
    private final String baselineMetric;

    RadarAxis(String label, String chartLabel, String metric, String baselineMetric) {
        this.label = label;
        this.chartLabel = chartLabel;
        this.metric = metric;
        this.baselineMetric = baselineMetric;
    }

    /** The axis's name in tables and notes. */
    public String label() {
        return label;
    }

    /**
     * The axis's name on the chart, short enough for a side of a 370 px chart (XChart clips
     * longer labels there).
     */
    public String chartLabel() {
        return chartLabel;
    }

    /** The {@code summary.json} metric the axis scores. */
    public String metric() {
        return metric;
    }

    /** The teacher's metric the score is relative to; null for accuracy and compression time. */
    public String baselineMetric() {
        return baselineMetric;
    }
}
