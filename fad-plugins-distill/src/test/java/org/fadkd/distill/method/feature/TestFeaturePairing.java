package org.fadkd.distill.method.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fadkd.distill.method.feature.FeatureBatches.CNN;
import static org.fadkd.distill.method.feature.FeatureBatches.RESNET;
import static org.fadkd.distill.method.feature.FeatureBatches.layout;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.distill.method.feature.FeatureSettings.NamedPair;
import org.junit.jupiter.api.Test;

/** Feature taps and their pairing (fad-spec §1). */
final class TestFeaturePairing {
    @Test
    void testFeatureTapsOfMapsAreTheLastOfEachResolution() {
        assertThat(FeaturePairing.featureTaps(RESNET)).containsExactly(0, 1, 2, 3);
        assertThat(FeaturePairing.featureTaps(CNN)).containsExactly(0, 2);
        TapLayout stages = layout("t", new Shape(8, 16, 16), new Shape(8, 16, 16), new Shape(16, 8, 8),
                new Shape(16, 8, 8), new Shape(16, 8, 8), new Shape(32, 4, 4));
        assertThat(FeaturePairing.featureTaps(stages)).containsExactly(1, 4, 5);
        // Equal height is not enough: the spatial size is (H, W).
        assertThat(FeaturePairing.featureTaps(layout("t", new Shape(4, 8, 8), new Shape(4, 8, 4))))
                .containsExactly(0, 1);
        // A run that comes back to an earlier size is a new run.
        assertThat(FeaturePairing.featureTaps(layout("t", new Shape(4, 8, 8), new Shape(4, 4, 4), new Shape(4, 8, 8))))
                .containsExactly(0, 1, 2);
    }

    @Test
    void testFeatureTapsOfTokensAreAtThirds() {
        Shape token = new Shape(5, 8);
        // L = 7: round(2), round(4), round(6)
        assertThat(FeaturePairing.featureTaps(layout("b", token, token, token, token, token, token, token)))
                .containsExactly(2, 4, 6);
        // L = 12: round(11/3 = 3.67) = 4, round(7.33) = 7, 11
        assertThat(FeaturePairing.featureTaps(layout("b", repeat(token, 12)))).containsExactly(4, 7, 11);
        // L = 4: 1, 2, 3
        assertThat(FeaturePairing.featureTaps(layout("b", repeat(new Shape(8), 4)))).containsExactly(1, 2, 3);
        // L = 2: round(1/3) = 0, round(2/3) = 1, 1: each tap once
        assertThat(FeaturePairing.featureTaps(layout("b", token, token))).containsExactly(0, 1);
        assertThat(FeaturePairing.featureTaps(layout("b", token))).containsExactly(0);
        assertThat(FeaturePairing.featureTaps(new TapLayout(List.of(), List.of()))).isEmpty();
        // A mix of maps and vectors is not all maps: the index rule applies.
        assertThat(FeaturePairing.featureTaps(layout("m", new Shape(4, 8, 8), new Shape(4, 8, 8), new Shape(4),
                new Shape(4)))).containsExactly(1, 2, 3);
    }

    @Test
    void testPairingByNearestDepthWithTiesToTheSmallerTeacherTap() {
        // n_T = 4 (depths 0, 1/3, 2/3, 1), n_S = 2 (0, 1)
        assertThat(FeaturePairing.pairedTeacherTap(0, 2, 4)).isZero();
        assertThat(FeaturePairing.pairedTeacherTap(1, 2, 4)).isEqualTo(3);
        // n_T = 2 (0, 1), n_S = 3 (0, 1/2, 1): 1/2 is as near to 0 as to 1, ties to the smaller
        assertThat(List.of(0, 1, 2)).map(j -> FeaturePairing.pairedTeacherTap(j, 3, 2)).containsExactly(0, 0, 1);
        // n_T = 3 (0, 1/2, 1), n_S = 5 (0, 1/4, 1/2, 3/4, 1): 1/4 and 3/4 are ties
        assertThat(List.of(0, 1, 2, 3, 4)).map(j -> FeaturePairing.pairedTeacherTap(j, 5, 3))
                .containsExactly(0, 0, 1, 1, 2);
        // n_T = 4, n_S = 3 (0, 1/2, 1): 1/2 lies between 1/3 and 2/3, a tie
        assertThat(List.of(0, 1, 2)).map(j -> FeaturePairing.pairedTeacherTap(j, 3, 4)).containsExactly(0, 1, 3);
        // n_T = 5 (0, .25, .5, .75, 1), n_S = 4 (0, 1/3, 2/3, 1): 1/3 → .25, 2/3 → .75
        assertThat(List.of(0, 1, 2, 3)).map(j -> FeaturePairing.pairedTeacherTap(j, 4, 5)).containsExactly(0, 1, 3, 4);
        // A single feature tap has depth 0.
        assertThat(FeaturePairing.pairedTeacherTap(0, 1, 4)).isZero();
        assertThat(List.of(0, 1, 2)).map(j -> FeaturePairing.pairedTeacherTap(j, 3, 1)).containsExactly(0, 0, 0);
    }

    @Test
    void testResNetTeacherAndCnnStudent() {
        List<TapPair> pairs = FeaturePairing.automatic(RESNET, CNN);
        assertThat(pairs).extracting(TapPair::teacherTap).containsExactly("stem", "stage3");
        assertThat(pairs).extracting(TapPair::studentTap).containsExactly("conv1", "conv3");
        TapPair first = pairs.get(0);
        assertThat(first.teacherIndex()).isZero();
        assertThat(first.studentIndex()).isZero();
        assertThat(first.teacherShape()).isEqualTo(new Shape(32, 28, 28));
        // The teacher's 28×28 is pooled to the student's 14×14.
        assertThat(first.matchedTeacherShape()).isEqualTo(new Shape(32, 14, 14));
        assertThat(first.matchedStudentShape()).isEqualTo(new Shape(16, 14, 14));
        TapPair last = pairs.get(1);
        assertThat(last.teacherIndex()).isEqualTo(3);
        assertThat(last.studentIndex()).isEqualTo(2);
        // The student's 7×7 is pooled to the teacher's 4×4.
        assertThat(last.matchedStudentShape()).isEqualTo(new Shape(64, 4, 4));
        assertThat(last.matchedTeacherShape()).isEqualTo(new Shape(128, 4, 4));
        assertThat(last.studentChannels()).isEqualTo(64);
        assertThat(last.teacherChannels()).isEqualTo(128);
        // The other way round: every teacher feature tap finds one of the two student taps.
        assertThat(FeaturePairing.automatic(CNN, RESNET)).extracting(TapPair::teacherTap)
                .containsExactly("conv1", "conv1", "conv3", "conv3");
    }

    @Test
    void testExplicitPairsOverrideTheAutomaticOnes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MethodSetup setup = setup(manager);
            List<TapPair> pairs = FeaturePairing.resolve("fitnets", setup,
                    List.of(new NamedPair("stage2", "conv2"), new NamedPair("stage1", "conv1")));
            assertThat(pairs).extracting(TapPair::teacherIndex).containsExactly(2, 1);
            assertThat(pairs).extracting(TapPair::studentIndex).containsExactly(1, 0);
            assertThat(FeaturePairing.resolve("fitnets", setup, List.of())).extracting(TapPair::studentTap)
                    .containsExactly("conv1", "conv3");
        }
    }

    @Test
    void testUnknownTapNamesAreAllReported() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MethodSetup setup = setup(manager);
            assertThatThrownBy(() -> FeaturePairing.resolve("vid", setup, List.of(new NamedPair("stage9", "conv1"))))
                    .isInstanceOf(FadException.class)
                    .hasMessage("Method 'vid' pairs teacher tap 'stage9', which model 'resnet' does not declare."
                            + " Its taps: stem, stage1, stage2, stage3.")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
            assertThatThrownBy(() -> FeaturePairing.resolve("vid", setup,
                            List.of(new NamedPair("layer1", "conv1"), new NamedPair("stem", "fc"))))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Method 'vid' cannot use its 'pairs':")
                    .hasMessageContaining("teacher tap 'layer1', which model 'resnet'")
                    .hasMessageContaining("student tap 'fc', which model 'cnn' does not declare. Its taps: conv1, conv2, conv3.")
                    .hasMessageEndingWith("2 errors");
        }
    }

    @Test
    void testModelsWithoutTapsAndIncomparablePairsFail() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MethodSetup noTeacherTaps = new MethodSetup(new TapLayout(List.of(), List.of()), CNN, 0, 0, "mlp", "cnn",
                    manager, 0, null, 1, 0);
            assertThatThrownBy(() -> FeaturePairing.resolve("at", noTeacherTaps, List.of()))
                    .isInstanceOf(FadException.class)
                    .hasMessage("Method 'at' needs feature taps, but model 'mlp' declares no taps.");
            TapLayout tokens = new TapLayout(List.of("blocks.0", "blocks.1"), List.of(new Shape(17, 64), new Shape(9, 64)));
            MethodSetup mixed = new MethodSetup(RESNET, tokens, 0, 0, "resnet", "vit", manager, 0, null, 1, 0);
            assertThatThrownBy(() -> FeaturePairing.resolve("fitnets", mixed, List.of()))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("Method 'fitnets' pairs teacher tap 'stem' of model 'resnet', shape (B, 32, 28, 28),"
                            + " with student tap 'blocks.0' of model 'vit', shape (B, 17, 64)")
                    .extracting(e -> ((FadException) e).getErrorCode())
                    .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
            MethodSetup tokenCounts = new MethodSetup(tokens, tokens, 0, 0, "vit", "vit", manager, 0, null, 1, 0);
            assertThatThrownBy(() -> FeaturePairing.resolve("vid", tokenCounts,
                            List.of(new NamedPair("blocks.0", "blocks.1"))))
                    .hasMessageContaining("both (B, N, D) with the same N");
            assertThat(FeaturePairing.resolve("vid", tokenCounts, List.of())).hasSize(2);
        }
    }

    private static MethodSetup setup(NDManager manager) {
        return new MethodSetup(RESNET, CNN, 0, 0, "resnet", "cnn", manager, 0, null, 1, 0);
    }

    private static Shape[] repeat(Shape shape, int count) {
        Shape[] shapes = new Shape[count];
        java.util.Arrays.fill(shapes, shape);
        return shapes;
    }
}
