package org.fadkd.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withPrecision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.TapLayout;
import org.junit.jupiter.api.Test;

final class TestFlowProfiles {
    /** Mean absolute difference; rejects taps of different sizes, as relative-change does. */
    private static final FlowMetric MEAN_ABSOLUTE_CHANGE = new FlowMetric() {
        @Override
        public NDArray divergence(NDArray previous, NDArray next) {
            return next.sub(previous).abs().mean();
        }

        @Override
        public void checkAdjacentTaps(String previousName, Shape previous, String nextName, Shape next) {
            if (previous.size() != next.size()) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS,
                        "taps '" + previousName + "' and '" + nextName + "' differ");
            }
        }
    };

    @Test
    void testProfileIsFloat32InTapOrder() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> taps = List.of(
                    manager.create(new double[] {0, 0, 0, 0}, new Shape(2, 2)),
                    manager.create(new double[] {1, 1, 1, 1}, new Shape(2, 2)),
                    manager.create(new double[] {1, 1, 1, 3}, new Shape(2, 2)));
            NDArray profile = FlowProfiles.profile(MEAN_ABSOLUTE_CHANGE, taps);
            assertThat(profile.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(profile.getShape()).isEqualTo(new Shape(2));
            assertThat(profile.toFloatArray()).containsExactly(new float[] {1f, 0.5f}, withPrecision(1e-6f));
        }
    }

    /** Issue 17, item 21: a metric that reports on single taps is told whose taps it profiles. */
    @Test
    void testANamingMetricIsToldWhoseTapsTheseAre() {
        List<ProfiledTaps> seen = new ArrayList<>();
        TapNamingFlowMetric naming = new TapNamingFlowMetric() {
            @Override
            public NDList divergences(List<NDArray> taps, ProfiledTaps source) {
                seen.add(source);
                return new NDList(MEAN_ABSOLUTE_CHANGE.divergence(taps.get(0), taps.get(1)));
            }

            @Override
            public NDArray divergence(NDArray previous, NDArray next) {
                return divergences(List.of(previous, next)).singletonOrThrow();
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> taps = List.of(manager.zeros(new Shape(2, 2)), manager.ones(new Shape(2, 2)));
            TapLayout layout = new TapLayout(List.of("layer1", "layer2"), List.of(new Shape(2), new Shape(2)));

            FlowProfiles.profile(naming, taps, ProfiledTaps.of("teacher", layout));
            FlowProfiles.profile(naming, taps);
            // a plain metric works as before
            assertThat(FlowProfiles.profile(MEAN_ABSOLUTE_CHANGE, taps, ProfiledTaps.of("student", layout))
                    .toFloatArray()).containsExactly(1f);
        }
        assertThat(seen).containsExactly(new ProfiledTaps("teacher", List.of("layer1", "layer2")), ProfiledTaps.unnamed());
        assertThat(seen.get(0).describe(1)).isEqualTo("teacher tap 'layer2'");
        assertThat(seen.get(1).describe(1)).isEqualTo("tap 1");
        assertThat(ProfiledTaps.of("student", null).describe(0)).isEqualTo("student tap 0");
    }

    @Test
    void testProfileNeedsTwoTaps() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> taps = List.of(manager.ones(new Shape(2, 3)));
            assertThatThrownBy(() -> FlowProfiles.profile(MEAN_ABSOLUTE_CHANGE, taps))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("got 1");
        }
    }

    @Test
    void testCheckTaps() {
        TapLayout good = new TapLayout(List.of("a", "b", "c"), List.of(new Shape(4), new Shape(2, 2), new Shape(4)));
        FlowProfiles.checkTaps(MEAN_ABSOLUTE_CHANGE, good);

        TapLayout single = new TapLayout(List.of("only"), List.of(new Shape(4)));
        assertThatThrownBy(() -> FlowProfiles.checkTaps(MEAN_ABSOLUTE_CHANGE, single, "the student"))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("the student declares '1' [only]")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);

        TapLayout bad = new TapLayout(List.of("a", "b"), List.of(new Shape(4), new Shape(3)));
        assertThatThrownBy(() -> FlowProfiles.checkTaps(MEAN_ABSOLUTE_CHANGE, bad))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("'a' and 'b'");
    }
}
