package org.fadkd.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;

/**
 * Depth alignment of two flow profiles (fad-spec §3): the symmetrised KL divergence {@code
 * D_align} of their depth distributions on the common grid, and the scalar alignment {@code a(t,
 * s)} the flow loss is built from.
 *
 * @since 0.1
 */
public final class DepthAlignment {
    /** The ε of fad-spec §3. */
    public static final double EPSILON = 1e-8;

    /**
     * How a resampled profile becomes a distribution over depth.
     *
     * @since 0.1
     */
    public enum DepthDistribution {
        /** {@code p_j = (X̂_j + ε) / Σ_i (X̂_i + ε)}: keeps the shape of the profile (default). */
        L1,
        /** {@code p_j = softmax(X̂)_j}: the reference implementation's choice (§14.2). */
        SOFTMAX
    }

    private DepthAlignment() {}

    /**
     * Returns the depth distribution of a profile, without resampling it.
     *
     * <p>Differentiable in {@code profile}.
     *
     * @param profile a 1-D floating-point profile, never null
     * @param distribution which distribution, never null
     * @return a 1-D array of the profile's length summing to 1, attached to the profile's manager
     * @since 0.1
     */
    public static NDArray distribution(NDArray profile, DepthDistribution distribution) {
        DepthInterpolation.profileLength(profile);
        requireNonNull(distribution, "distribution is null");
        switch (distribution) {
            case L1:
                NDArray shifted = profile.add(EPSILON);
                return shifted.div(shifted.sum());
            case SOFTMAX:
                return profile.softmax(0);
            default:
                throw new AssertionError(distribution);
        }
    }

    /**
     * Computes {@code D_align} of two profiles of possibly different lengths: both are resampled to
     * the common grid of {@code max(P_T, P_S)} points, turned into depth distributions {@code p}
     * and {@code q}, and {@code D_align = ½ Σ_j (p_j − q_j)(ln(p_j + ε) − ln(q_j + ε))}.
     *
     * <p>Differentiable in both profiles; callers that report it pass arrays without gradient.
     *
     * @param teacherProfile {@code D^T}, 1-D, never null
     * @param studentProfile {@code D^S}, 1-D, of the same data type, never null
     * @param distribution the depth distribution, never null
     * @return a scalar {@code ≥ 0} (0 for identical profiles), attached to the teacher profile's
     *     manager
     * @since 0.1
     */
    public static NDArray dAlign(
            NDArray teacherProfile, NDArray studentProfile, DepthDistribution distribution) {
        int gridSize = DepthInterpolation.commonGridSize(
                DepthInterpolation.profileLength(teacherProfile),
                DepthInterpolation.profileLength(studentProfile));
        NDArray p = distribution(DepthInterpolation.resample(teacherProfile, gridSize), distribution);
        NDArray q = distribution(DepthInterpolation.resample(studentProfile, gridSize), distribution);
        return Scalars.mul(p.sub(q).mul(p.add(EPSILON).log().sub(q.add(EPSILON).log())).sum(), 0.5);
    }

    /**
     * Computes the scalar alignment {@code a(t, s) = ½ (t − s)·ln((t + ε)/(s + ε))} elementwise, a
     * Jeffreys-type discrepancy of two non-negative numbers ({@code ≥ 0}, 0 iff {@code t = s}).
     *
     * <p>Differentiable in both arguments; {@code ∂a/∂s = ½[ln((s+ε)/(t+ε)) + 1 − (t+ε)/(s+ε)]}.
     *
     * <p>Finite for all {@code t, s ≥ 0}, value and slope, so it needs no guard of its own; but the
     * slope grows like {@code −(t+ε)/(2(s+ε))} as a student point {@code s} goes to 0, up to {@code
     * −(t+ε)/(2ε) ≈ −5·10⁷·t} at {@code s = 0} (issue 18, item 5). Whatever produces {@code s} is
     * multiplied by that: a flow metric must give {@code s ≥ 0} (else {@code ln(s + ε)} leaves its
     * domain below {@code −ε}) and should resolve values near 0 rather than round them, with a
     * derivative that is exact there (cka computes {@code 1 − CKA} as {@code ½‖K̂ − L̂‖²} for this).
     *
     * @param teacher {@code t ≥ 0}, never null
     * @param student {@code s ≥ 0}, broadcastable to {@code teacher}, never null
     * @return the alignment, attached to the teacher's manager
     * @since 0.1
     */
    public static NDArray scalarAlignment(NDArray teacher, NDArray student) {
        requireNonNull(teacher, "teacher is null");
        requireNonNull(student, "student is null");
        NDArray logRatio = Scalars.add(teacher, EPSILON).log().sub(Scalars.add(student, EPSILON).log());
        return Scalars.mul(teacher.sub(student).mul(logRatio), 0.5);
    }
}
