package org.fadkd.engine.report;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fadkd.flow.DepthAlignment;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.fadkd.flow.DepthInterpolation;

/**
 * A job's flow report: the mean flow profiles of the teacher and of the student before and after
 * training, all measured with one {@link FlowMeasurement}, and their depth alignment {@code
 * D_align} (fad-spec §3).
 *
 * <p>Immutable: arrays are copied in and out. Thread-safe.
 *
 * @since 0.1
 */
public final class FlowReport {
    private final String metric;
    private final double[] teacher;
    private final double[] studentBefore;
    private final double[] studentAfter;
    private final double dAlignBefore;
    private final double dAlignAfter;

    /**
     * Creates a report from profiles and their alignments.
     *
     * @param metric the flow metric's name, e.g. {@code cka}; never null
     * @param teacher the teacher's mean profile, at least one value; never null
     * @param studentBefore the student's mean profile before training; never null
     * @param studentAfter the student's mean profile after training, as long as {@code
     *     studentBefore}; never null
     * @param dAlignBefore {@code D_align(teacher, studentBefore)}
     * @param dAlignAfter {@code D_align(teacher, studentAfter)}
     * @throws IllegalArgumentException when a profile is empty or the student's differ in length
     * @since 0.1
     */
    public FlowReport(
            String metric,
            double[] teacher,
            double[] studentBefore,
            double[] studentAfter,
            double dAlignBefore,
            double dAlignAfter) {
        this.metric = requireNonNull(metric, "metric is null");
        this.teacher = nonEmpty(teacher, "teacher");
        this.studentBefore = nonEmpty(studentBefore, "studentBefore");
        this.studentAfter = nonEmpty(studentAfter, "studentAfter");
        if (studentBefore.length != studentAfter.length) {
            throw new IllegalArgumentException("the student's profiles differ in length: "
                    + studentBefore.length + " before, " + studentAfter.length + " after");
        }
        this.dAlignBefore = dAlignBefore;
        this.dAlignAfter = dAlignAfter;
    }

    /**
     * Creates a report, computing both {@code D_align} values in float64.
     *
     * @param metric the flow metric's name, never null
     * @param teacher the teacher's mean profile, never null
     * @param studentBefore the student's mean profile before training, never null
     * @param studentAfter the student's mean profile after training, never null
     * @param distribution the depth distribution of {@code D_align} (the FAD method's), never null
     * @param parent the manager whose sub-managers hold temporary arrays, never null
     * @return the report, never null
     * @since 0.1
     */
    public static FlowReport of(
            String metric,
            double[] teacher,
            double[] studentBefore,
            double[] studentAfter,
            DepthDistribution distribution,
            NDManager parent) {
        return new FlowReport(metric, teacher, studentBefore, studentAfter,
                FlowMeasurement.dAlign(teacher, studentBefore, distribution, parent),
                FlowMeasurement.dAlign(teacher, studentAfter, distribution, parent));
    }

    /**
     * Returns the per-depth alignment error on the common grid of {@code M = max(P_T, P_S)}
     * points: {@code |T̂_j − Ŝ_j| / (T̂_j + ε)}, {@code ε = 1e-8}.
     *
     * @param teacher the teacher's profile, never null
     * @param student the student's profile, never null
     * @return a new array of {@code M} values
     * @since 0.1
     */
    public static double[] alignmentError(double[] teacher, double[] student) {
        int grid = DepthInterpolation.commonGridSize(
                nonEmpty(teacher, "teacher").length, nonEmpty(student, "student").length);
        double[] teacherHat = DepthInterpolation.resample(teacher, grid);
        double[] studentHat = DepthInterpolation.resample(student, grid);
        double[] errors = new double[grid];
        for (int j = 0; j < grid; j++) {
            errors[j] = Math.abs(teacherHat[j] - studentHat[j]) / (teacherHat[j] + DepthAlignment.EPSILON);
        }
        return errors;
    }

    /** @return the flow metric's name, never null */
    public String metric() {
        return metric;
    }

    /** @return a copy of the teacher's mean profile */
    public double[] teacher() {
        return teacher.clone();
    }

    /** @return a copy of the student's mean profile before training */
    public double[] studentBefore() {
        return studentBefore.clone();
    }

    /** @return a copy of the student's mean profile after training */
    public double[] studentAfter() {
        return studentAfter.clone();
    }

    /** @return {@code D_align} of the teacher and the student before training */
    public double dAlignBefore() {
        return dAlignBefore;
    }

    /** @return {@code D_align} of the teacher and the student after training */
    public double dAlignAfter() {
        return dAlignAfter;
    }

    /** @return the size {@code M} of the common grid of the teacher's and the student's profiles */
    public int commonGridSize() {
        return DepthInterpolation.commonGridSize(teacher.length, studentBefore.length);
    }

    /** @return the per-depth alignment error before training, on the common grid */
    public double[] alignmentErrorBefore() {
        return alignmentError(teacher, studentBefore);
    }

    /** @return the per-depth alignment error after training, on the common grid */
    public double[] alignmentErrorAfter() {
        return alignmentError(teacher, studentAfter);
    }

    /**
     * Returns the report as a job summary writes it: {@code metric}, {@code teacher}, {@code
     * student_before}, {@code student_after} (each {@code [[s, D], …]}), {@code d_align_before}
     * and {@code d_align_after}, in that order.
     *
     * @return a new mutable map, never null
     * @since 0.1
     */
    public Map<String, Object> toSummary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("metric", metric);
        summary.put("teacher", FlowMeasurement.points(teacher));
        summary.put("student_before", FlowMeasurement.points(studentBefore));
        summary.put("student_after", FlowMeasurement.points(studentAfter));
        summary.put("d_align_before", dAlignBefore);
        summary.put("d_align_after", dAlignAfter);
        return summary;
    }

    @Override
    public String toString() {
        return "FlowReport{metric=" + metric + ", teacher=" + Arrays.toString(teacher)
                + ", studentBefore=" + Arrays.toString(studentBefore)
                + ", studentAfter=" + Arrays.toString(studentAfter)
                + ", dAlignBefore=" + dAlignBefore + ", dAlignAfter=" + dAlignAfter + "}";
    }

    private static double[] nonEmpty(double[] profile, String name) {
        requireNonNull(profile, name + " is null");
        if (profile.length == 0) {
            throw new IllegalArgumentException(name + " profile is empty");
        }
        return profile.clone();
    }
}
