package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.report.FlowMeasurement;
import org.fadkd.engine.report.FlowPlots;
import org.fadkd.engine.report.FlowReport;
import org.fadkd.engine.train.LoopListener;
import org.fadkd.flow.DepthAlignment.DepthDistribution;

/**
 * The flow report of a job (fad-spec §1–§3): measures the student's flow profile when its first
 * training stage starts (the loop has just initialised it) and, through {@link #finish}, after the
 * last, against the teacher's profile measured before.
 */
final class FlowRecorder implements LoopListener {
    private final String metricName;
    private final DepthDistribution distribution;
    private final FlowMeasurement measurement;
    private final double[] teacherProfile;
    private final NDManager manager;
    private double[] studentBefore;
    private long measuringNanos;

    FlowRecorder(String metricName, DepthDistribution distribution, FlowMeasurement measurement,
            double[] teacherProfile, NDManager manager) {
        this.metricName = requireNonNull(metricName, "metricName is null");
        this.distribution = requireNonNull(distribution, "distribution is null");
        this.measurement = requireNonNull(measurement, "measurement is null");
        this.teacherProfile = requireNonNull(teacherProfile, "teacherProfile is null");
        this.manager = requireNonNull(manager, "manager is null");
    }

    @Override
    public void onTrainingStart(TappedModel student) {
        if (studentBefore != null) {
            return; // a later stage of a multi-stage trainer: "before" is before the first
        }
        long start = System.nanoTime();
        studentBefore = measurement.meanProfile(student, manager);
        measuringNanos += System.nanoTime() - start;
    }

    /** Time spent measuring the student's profile inside the training loop, in nanoseconds. */
    long measuringNanos() {
        return measuringNanos;
    }

    /** Measures the trained student and writes the plots into the job directory. */
    FlowReport finish(TappedModel student, Path directory) throws IOException {
        if (studentBefore == null) {
            throw new IllegalStateException("the training loop never reported its start");
        }
        double[] studentAfter = measurement.meanProfile(student, manager);
        FlowReport report = FlowReport.of(metricName, teacherProfile, studentBefore, studentAfter, distribution, manager);
        FlowPlots.write(report, directory);
        return report;
    }
}
