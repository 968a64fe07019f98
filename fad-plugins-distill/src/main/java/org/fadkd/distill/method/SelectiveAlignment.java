package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import org.fadkd.distill.method.FadSettings.CriticalSigma;
import org.fadkd.flow.DepthAlignment;

/**
 * The selective-alignment mask of fad-spec §7, computed on the Java heap from statistics that
 * carry no gradient. The caller keeps the statistics and decides when to refresh.
 */
final class SelectiveAlignment {
    private SelectiveAlignment() {}

    /**
     * Returns the critical depths {@code c_j = [Ŵ_j > μ + σ]} (strict); none with fewer than 3
     * points.
     */
    static boolean[] critical(double[] weights, CriticalSigma sigma) {
        requireNonNull(weights, "weights is null");
        boolean[] critical = new boolean[weights.length];
        if (weights.length < 3) {
            return critical;
        }
        double threshold = mean(weights) + standardDeviation(weights, sigma);
        for (int j = 0; j < weights.length; j++) {
            critical[j] = weights[j] > threshold;
        }
        return critical;
    }

    /** Returns {@code σ} of the values: {@code 1/M} (population) or {@code 1/(M−1)} (unbiased). */
    static double standardDeviation(double[] values, CriticalSigma sigma) {
        double mean = mean(values);
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        int divisor = sigma == CriticalSigma.POPULATION ? values.length : values.length - 1;
        // unbiased with one value is undefined; NaN makes every comparison false, so nothing is critical
        return divisor <= 0 ? Double.NaN : Math.sqrt(squares / divisor);
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** Returns the alignment errors {@code e_j = |T̄_j − S̄_j| / (T̄_j + ε)}. */
    static double[] errors(double[] teacher, double[] student) {
        checkLengths(teacher, student);
        double[] errors = new double[teacher.length];
        for (int j = 0; j < errors.length; j++) {
            errors[j] = Math.abs(teacher[j] - student[j]) / (teacher[j] + DepthAlignment.EPSILON);
        }
        return errors;
    }

    /**
     * Returns the mask {@code m_j = [c_j ∧ e_j > τ]} ({@code c_j} dropped unless {@code
     * useCritical}); when it selects nothing, {@code m_j = [e_j > 0]}.
     */
    static boolean[] mask(
            double[] teacher, double[] student, double[] weights, double tau, boolean useCritical, CriticalSigma sigma) {
        double[] errors = errors(teacher, student);
        if (weights.length != errors.length) {
            throw new IllegalArgumentException(
                    "weights have " + weights.length + " points, the statistics " + errors.length);
        }
        boolean[] critical = critical(weights, sigma);
        boolean[] mask = new boolean[errors.length];
        boolean any = false;
        for (int j = 0; j < mask.length; j++) {
            mask[j] = (!useCritical || critical[j]) && errors[j] > tau;
            any |= mask[j];
        }
        if (!any) {
            for (int j = 0; j < mask.length; j++) {
                mask[j] = errors[j] > 0;
            }
        }
        return mask;
    }

    private static void checkLengths(double[] teacher, double[] student) {
        requireNonNull(teacher, "teacher is null");
        requireNonNull(student, "student is null");
        if (teacher.length != student.length) {
            throw new IllegalArgumentException(
                    "statistics differ in length: " + teacher.length + " vs " + student.length);
        }
    }
}
