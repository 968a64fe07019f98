package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;
import org.fadkd.flow.DepthAlignment;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.fadkd.flow.DepthInterpolation;
import org.fadkd.engine.report.FlowMeasurement;

/**
 * How well an untrained candidate's mean flow profile fits the teacher's (fad-spec §10, step 2).
 *
 * @param dAlign {@code D_align(D̄^T, D̄^S) ≥ 0} with the run's depth distribution (§3)
 * @param capacityAlignment {@code A = 1/(1 + D_align) ∈ (0, 1]}: 1 when both networks put their
 *     flow at the same depths
 * @param rho {@code ρ}, Pearson's correlation of the two profiles' sensitivities {@code v_j =
 *     X̂_j/(max_i X̂_i + ε)} on the common grid; 0 when either is constant
 * @param match the sensitivity match {@code (1 + ρ)/2 ∈ [0, 1]}
 * @since 0.1
 */
public record FlowAnalysis(double dAlign, double capacityAlignment, double rho, double match) {
    /**
     * Analyses a candidate's profile against the teacher's, in float64.
     *
     * @param teacher the teacher's mean profile {@code D̄^T}, at least one value, never null
     * @param student the candidate's mean profile {@code D̄^S}, at least one value, never null
     * @param distribution the depth distribution of {@code D_align}, never null
     * @param parent the manager whose sub-manager holds the temporary arrays of {@code D_align};
     *     never null
     * @return the analysis, never null
     * @since 0.1
     */
    public static FlowAnalysis of(
            double[] teacher, double[] student, DepthDistribution distribution, NDManager parent) {
        requireNonNull(teacher, "teacher is null");
        requireNonNull(student, "student is null");
        double dAlign = FlowMeasurement.dAlign(teacher, student, distribution, parent);
        int grid = DepthInterpolation.commonGridSize(teacher.length, student.length);
        double rho = Pearson.correlation(
                        sensitivity(DepthInterpolation.resample(teacher, grid)),
                        sensitivity(DepthInterpolation.resample(student, grid)))
                .orElse(0);
        return new FlowAnalysis(dAlign, 1 / (1 + dAlign), rho, (1 + rho) / 2);
    }

    /** {@code v_j = X̂_j/(max_i X̂_i + ε)}: where along depth a network is most sensitive, on [0, 1]. */
    private static double[] sensitivity(double[] resampled) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : resampled) {
            max = Math.max(max, value);
        }
        double[] normalised = new double[resampled.length];
        for (int j = 0; j < resampled.length; j++) {
            normalised[j] = resampled[j] / (max + DepthAlignment.EPSILON);
        }
        return normalised;
    }
}
