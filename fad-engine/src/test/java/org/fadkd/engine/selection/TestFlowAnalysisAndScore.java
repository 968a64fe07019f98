package org.fadkd.engine.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.ndarray.NDManager;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.junit.jupiter.api.Test;

/** fad-spec Example 10.1 and the score's weights. */
final class TestFlowAnalysisAndScore {
    /** The teacher of Example 3.1. */
    private static final double[] TEACHER = {0.9, 0.4, 0.6, 0.2, 0.5};
    private static final double TOLERANCE = 1e-9;

    @Test
    void testExample10Point1() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double scoreA = assertCandidate(manager, new double[] {0.7, 0.3, 0.5}, 0.62,
                    0.08068550919, 0.9253385851, 0.5990721002, 0.7995360501, 0.7959962491, 0.871423213);
            double scoreB = assertCandidate(manager, new double[] {0.8, 0.5, 0.4, 0.3}, 0.55,
                    0.06409795974, 0.9397631025, 0.7143203833, 0.8571601917, 0.7980532985, 0.904361855);

            // b ranks first, with or without the proxy
            assertThat(scoreB).isGreaterThan(scoreA);
            assertThat(manager.getManagedArrays()).isEmpty();
        }
    }

    /** Checks every figure of one candidate of Example 10.1; returns its score with the proxy. */
    private static double assertCandidate(
            NDManager manager, double[] profile, double proxy, double dAlign, double capacityAlignment,
            double rho, double match, double score, double scoreWithoutProxy) {
        FlowAnalysis analysis = FlowAnalysis.of(TEACHER, profile, DepthDistribution.L1, manager);
        assertThat(analysis.dAlign()).isEqualTo(dAlign, withPrecision(TOLERANCE));
        assertThat(analysis.capacityAlignment()).isEqualTo(capacityAlignment, withPrecision(TOLERANCE));
        assertThat(analysis.rho()).isEqualTo(rho, withPrecision(TOLERANCE));
        assertThat(analysis.match()).isEqualTo(match, withPrecision(TOLERANCE));
        double withProxy = SelectionWeights.DEFAULTS.score(analysis.capacityAlignment(), analysis.match(), proxy);
        assertThat(withProxy).isEqualTo(score, withPrecision(TOLERANCE));
        assertThat(SelectionWeights.DEFAULTS.score(analysis.capacityAlignment(), analysis.match(), null))
                .isEqualTo(scoreWithoutProxy, withPrecision(TOLERANCE));
        return withProxy;
    }

    @Test
    void testTheRunsDepthDistributionIsUsed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            FlowAnalysis softmax =
                    FlowAnalysis.of(TEACHER, new double[] {0.7, 0.3, 0.5}, DepthDistribution.SOFTMAX, manager);

            // fad-spec Example 3.1's softmax D_align; ρ does not depend on the distribution
            assertThat(softmax.dAlign()).isEqualTo(0.01619019521, withPrecision(TOLERANCE));
            assertThat(softmax.capacityAlignment()).isEqualTo(1 / 1.01619019521, withPrecision(TOLERANCE));
            assertThat(softmax.rho()).isEqualTo(0.5990721002, withPrecision(TOLERANCE));
        }
    }

    @Test
    void testConstantProfileHasNoSensitivityCorrelation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // resampled from 3 to 5 points, the constant profile may differ from itself by an ulp
            FlowAnalysis flat = FlowAnalysis.of(TEACHER, new double[] {0.3, 0.3, 0.3}, DepthDistribution.L1, manager);
            FlowAnalysis same = FlowAnalysis.of(TEACHER, TEACHER, DepthDistribution.L1, manager);

            assertThat(flat.rho()).isZero();
            assertThat(flat.match()).isEqualTo(0.5);
            assertThat(same.dAlign()).isZero();
            assertThat(same.capacityAlignment()).isEqualTo(1.0);
            assertThat(same.rho()).isEqualTo(1.0, withPrecision(1e-12));
            assertThat(same.match()).isEqualTo(1.0, withPrecision(1e-12));
        }
    }

    @Test
    void testWeightsWithoutProxyAreRenormalised() {
        assertThat(SelectionWeights.DEFAULTS.effective(true)).isEqualTo(SelectionWeights.DEFAULTS);
        SelectionWeights withoutProxy = SelectionWeights.DEFAULTS.effective(false);
        assertThat(withoutProxy.alignment()).isEqualTo(4.0 / 7, withPrecision(1e-15));
        assertThat(withoutProxy.match()).isEqualTo(3.0 / 7, withPrecision(1e-15));
        assertThat(withoutProxy.proxy()).isZero();
        assertThat(new SelectionWeights(1, 0, 1).score(0.8, 0.1, null)).isEqualTo(0.8);
        assertThat(new SelectionWeights(1, 1, 2).score(0.5, 0.7, 0.2)).isEqualTo(0.5 + 0.7 + 0.4, withPrecision(1e-15));
        assertThatThrownBy(() -> new SelectionWeights(0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not both be 0");
        assertThatThrownBy(() -> new SelectionWeights(-0.1, 0.5, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
