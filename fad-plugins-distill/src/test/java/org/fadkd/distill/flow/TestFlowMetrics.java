package org.fadkd.distill.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.distill.DistillPlugin;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.flow.FlowProfiles;
import org.fadkd.flow.ProfiledTaps;
import org.fadkd.flow.TapNamingFlowMetric;
import org.junit.jupiter.api.Test;

final class TestFlowMetrics {
    /** 1e-9 relative, as a percentage. */
    private static final double TOLERANCE = 1e-7;

    @Test
    void testRelativeChangeExample21() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FlowMetric metric = metric(context, "relative-change");
            assertThat(metric.divergence(a0(manager), a1(manager)).getDouble())
                    .isCloseTo(0.3157377152, withinPercentage(TOLERANCE));
            assertThatThrownBy(() -> metric.divergence(a1(manager), a2(manager)))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("(2) = 2 values per sample")
                    .hasMessageContaining("(3) = 3");
        }
    }

    @Test
    void testGramExample21() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FlowMetric metric = metric(context, "gram");
            assertThat(metric.divergence(a0(manager), a1(manager)).getDouble())
                    .isCloseTo(0.2999229625, withinPercentage(TOLERANCE));
            assertThat(metric.divergence(a1(manager), a2(manager)).getDouble())
                    .isCloseTo(0.5627030633, withinPercentage(TOLERANCE));
        }
    }

    @Test
    void testCkaExample21() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            FlowMetric metric = metric(context, "cka");
            assertThat(metric.divergence(a0(manager), a1(manager)).getDouble())
                    .isCloseTo(0.1, withinPercentage(TOLERANCE));
            assertThat(metric.divergence(a1(manager), a2(manager)).getDouble())
                    .isCloseTo(0.2920901444, withinPercentage(TOLERANCE));
            // Float32, as in training: same value to 1e-5.
            NDArray d = metric.divergence(a1(manager).toType(DataType.FLOAT32, false),
                    a2(manager).toType(DataType.FLOAT32, false));
            assertThat((double) d.getFloat()).isCloseTo(0.2920901444, withinPercentage(1e-3));
        }
    }

    @Test
    void testRelativeChangeEarlyFailureMessage() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            FlowMetric metric = metric(context, "relative-change");
            assertThatThrownBy(() -> metric.checkAdjacentTaps(
                            "layer1", new Shape(64, 56, 56), "layer2", new Shape(128, 28, 28)))
                    .isInstanceOf(FadException.class)
                    .hasMessage("Flow metric 'relative-change' needs adjacent taps of equal size: tap"
                            + " 'layer1' gives (64, 56, 56) = 200704 values per sample, tap 'layer2' gives"
                            + " (128, 28, 28) = 100352. Use flow-metric = cka (or gram), or declare taps"
                            + " of equal shape.")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
            metric.checkAdjacentTaps("a", new Shape(4, 2), "b", new Shape(8));
            metric(context, "cka").checkAdjacentTaps(
                    "layer1", new Shape(64, 56, 56), "layer2", new Shape(128, 28, 28));
        }
    }

    @Test
    void testDegenerateTapGivesOneWithoutGradient() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            for (String name : new String[] {"cka", "gram"}) {
                FlowMetric metric = metric(context, name);
                // Identical rows: the centred Gram matrix is 0; all zeros: the plain one is too.
                NDArray flat = name.equals("cka") ? manager.ones(new Shape(4, 3)) : manager.zeros(new Shape(4, 3));
                flat = flat.toType(DataType.FLOAT64, false);
                NDArray other = manager.randomNormal(new Shape(4, 5)).toType(DataType.FLOAT64, false);
                other.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray d = metric.divergence(other, flat);
                    assertThat(d.getDouble()).as(name).isEqualTo(1.0);
                    // If d depended on `other`, its gradient would not be exactly the sum's ones.
                    collector.backward(d.add(other.sum()));
                }
                assertThat(other.getGradient().toDoubleArray()).as(name).containsOnly(1.0);
            }
        }
    }

    /**
     * Issue 17, item 21 (fad-spec §2): the warning names the network and the tap, and comes once
     * per network and tap. Teacher and student share one metric instance, so a degenerate teacher
     * tap must not silence the student's.
     */
    @Test
    void testADegenerateTapIsNamedOncePerNetworkAndTap() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String name : new String[] {"cka", "gram"}) {
                List<String> warnings = new ArrayList<>();
                TapNamingFlowMetric metric = name.equals("cka")
                        ? new CkaFlowMetric(new CkaSettings(2), warnings::add)
                        : new GramFlowMetric(new GramSettings(1e-6), warnings::add);
                // identical rows: the centred Gram matrix is 0; all zeros: the plain one is too
                NDArray flat = name.equals("cka") ? manager.ones(new Shape(4, 3)) : manager.zeros(new Shape(4, 3));
                List<NDArray> teacher = List.of(manager.randomNormal(new Shape(4, 2, 3)), flat,
                        manager.randomNormal(new Shape(4, 6)));
                List<NDArray> student = List.of(manager.randomNormal(new Shape(4, 5)), flat, flat,
                        manager.randomNormal(new Shape(4, 5)));
                ProfiledTaps teacherTaps = new ProfiledTaps("teacher", List.of("layer1", "layer2", "layer3"));
                ProfiledTaps studentTaps = new ProfiledTaps("student", List.of("blocks.0", "blocks.1", "blocks.2", "head"));

                for (int step = 0; step < 3; step++) {
                    assertThat(FlowProfiles.profile(metric, teacher, teacherTaps).toFloatArray())
                            .as(name).containsExactly(1f, 1f);
                    assertThat(FlowProfiles.profile(metric, student, studentTaps).toFloatArray()[1])
                            .as(name).isEqualTo(1f);
                }

                String rest = " (shape (4, 3)) has a Gram matrix of norm <= 1e-12, so it carries no direction;"
                        + " the profile points next to it are set to 1 without gradient. Not logged again for this tap.";
                assertThat(warnings).as(name).containsExactly(
                        "Flow metric '" + name + "': teacher tap 'layer2'" + rest,
                        "Flow metric '" + name + "': student tap 'blocks.1'" + rest,
                        "Flow metric '" + name + "': student tap 'blocks.2'" + rest);

                // Taps known by position only: named by it, and told apart by shape.
                metric.divergence(manager.randomNormal(new Shape(4, 2)), flat);
                metric.divergence(manager.randomNormal(new Shape(4, 2)), flat);
                assertThat(warnings).as(name).hasSize(4).last().asString()
                        .isEqualTo("Flow metric '" + name + "': tap 1" + rest);
            }
        }
    }

    @Test
    void testIdenticalTapsGiveZeroAndFiniteGradients() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            for (String name : new String[] {"cka", "gram", "relative-change"}) {
                FlowMetric metric = metric(context, name);
                NDArray x = manager.randomNormal(new Shape(8, 2, 3));
                x.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray d = metric.divergence(x, x.mul(1));
                    assertThat((double) d.getFloat()).as(name).isCloseTo(0, within(1e-5));
                    collector.backward(d);
                }
                float[] gradient = x.getGradient().toFloatArray();
                for (float value : gradient) {
                    assertThat(value).as(name).isFinite();
                }
            }
        }
    }

    /**
     * Issue 18, item 5: a block that changes its tap by 1e-4 of its size has {@code 1 − CKA} of
     * order 1e-8, below float32's resolution of CKA itself. cka resolves it, since it computes
     * {@code ½‖K̂ − L̂‖²} rather than cancelling {@code 1 − CKA} (which gave 0 here), and its
     * gradient vanishes at {@code D = 0} instead of being rounding noise.
     */
    @Test
    void testCkaResolvesANearIdentityPairInFloat32AndIsFlatAtZero() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            manager.getEngine().setRandomSeed(18);
            FlowMetric metric = metric(context, "cka");
            NDArray x = manager.randomNormal(new Shape(16, 8));
            NDArray y = x.add(manager.randomNormal(new Shape(16, 8)).mul(1e-4f));
            double reference = metric.divergence(x.toType(DataType.FLOAT64, false), y.toType(DataType.FLOAT64, false))
                    .getDouble();
            assertThat(reference).isBetween(1e-10, 1e-7);
            assertThat((double) metric.divergence(x, y).getFloat()).isCloseTo(reference, withinPercentage(1));

            NDArray copy = x.duplicate();
            copy.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray d = metric.divergence(x, copy);
                assertThat(d.getFloat()).isEqualTo(0f);
                collector.backward(d);
            }
            assertThat(copy.getGradient().toFloatArray()).containsOnly(0f);
        }
    }

    @Test
    void testAWholeProfileEqualsItsPairsWithTheSameGradients() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            NDArray values = manager.randomNormal(new Shape(8, 2, 3));
            for (String name : new String[] {"cka", "gram", "relative-change"}) {
                FlowMetric metric = metric(context, name);
                NDArray whole = values.duplicate();
                NDArray pairs = values.duplicate();
                whole.setRequiresGradient(true);
                pairs.setRequiresGradient(true);
                double[] profile;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDList divergences = metric.divergences(taps(whole));
                    profile = NDArrays.stack(divergences).toType(DataType.FLOAT64, false).toDoubleArray();
                    collector.backward(NDArrays.stack(divergences).sum());
                }
                double[] pairwise = new double[profile.length];
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    List<NDArray> taps = taps(pairs);
                    NDList divergences = new NDList();
                    for (int k = 1; k < taps.size(); k++) {
                        divergences.add(metric.divergence(taps.get(k - 1), taps.get(k)));
                        pairwise[k - 1] = divergences.get(k - 1).toType(DataType.FLOAT64, false).getDouble();
                    }
                    collector.backward(NDArrays.stack(divergences).sum());
                }
                assertThat(profile).as(name).hasSize(3).containsExactly(pairwise, within(1e-6));
                assertThat(whole.getGradient().toFloatArray()).as(name)
                        .containsExactly(pairs.getGradient().toFloatArray(), within(1e-5f));
                assertThat(whole.getGradient().abs().sum().getFloat()).as(name).isPositive();
            }
        }
    }

    /** Four taps of one shape, each a different function of x, so that every pair differs. */
    private static List<NDArray> taps(NDArray x) {
        return List.of(x, x.mul(2).add(x.square()), x.tanh(), x.mul(x.tanh()).sub(1));
    }

    @Test
    void testGramMetricsNeedTwoSamples() {
        try (TestingFadContext context = TestingFadContext.of(new DistillPlugin())) {
            NDManager manager = context.getManager();
            NDArray one = manager.randomNormal(new Shape(1, 4));
            for (String name : new String[] {"cka", "gram"}) {
                assertThatThrownBy(() -> metric(context, name).divergence(one, one))
                        .isInstanceOf(FadException.class)
                        .hasMessageContaining("at least 2 samples, got '1'");
            }
        }
    }

    @Test
    void testSettings() {
        assertThat(CkaSettings.from(new CkaFactory().getDefaults())).isEqualTo(new CkaSettings(8));
        assertThat(GramSettings.from(new GramFactory().getDefaults())).isEqualTo(new GramSettings(1e-6));
        assertThat(RelativeChangeSettings.from(new RelativeChangeFactory().getDefaults()))
                .isEqualTo(new RelativeChangeSettings(1e-6));
        assertThatThrownBy(() -> GramSettings.from(ConfigFactory.parseString("epsilon = -1")))
                .isInstanceOf(FadException.class)
                .hasMessage("Setting 'epsilon' of flow metric 'gram' is '-1'; it must be a number in (0, 1).");
    }

    private static FlowMetric metric(TestingFadContext context, String name) {
        return context.createComponent(
                ComponentKind.FLOW_METRIC, ConfigFactory.parseString("type = \"" + name + "\""));
    }

    private static NDArray a0(NDManager manager) {
        return manager.create(new double[][] {{1, 0}, {0, 1}, {1, 1}});
    }

    private static NDArray a1(NDManager manager) {
        return manager.create(new double[][] {{2, 0}, {0, 1}, {1, 2}});
    }

    private static NDArray a2(NDManager manager) {
        return manager.create(new double[][] {{1, 0, 1}, {0, 2, 0}, {1, 1, 1}});
    }
}
