package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;

final class TestTrainingSettings {
    private static final String BASE = "epochs = 30, batch-size = 128, eval-batch-size = 500, optimizer = sgd,"
            + " learning-rate = 0.1, momentum = 0.9, weight-decay = 5e-4, ";

    private static TrainingSettings parse(String rest) {
        return TrainingSettings.from(ConfigFactory.parseString(BASE + rest), "trainer");
    }

    @Test
    void testTheRecipeOfIssue18() {
        TrainingSettings settings = parse("schedule = one-cycle, augment = crop-flip");
        assertThat(settings).isEqualTo(
                new TrainingSettings(30, 128, 500, "sgd", 0.1, 0.9, 5e-4, "one-cycle", List.of(), 0.1, "crop-flip", 2));
    }

    @Test
    void testRepDistillersStepDecay() {
        TrainingSettings settings = parse("schedule = multi-step, milestones = [150, 180, 210], gamma = 0.1");
        assertThat(settings.schedule()).isEqualTo("multi-step");
        assertThat(settings.milestones()).containsExactly(150, 180, 210);
        assertThat(settings.gamma()).isEqualTo(0.1);
        // sections written before multi-step: no milestones, gamma 0.1
        assertThat(parse("schedule = cosine")).extracting(TrainingSettings::milestones, TrainingSettings::gamma)
                .containsExactly(List.of(), 0.1);
    }

    @Test
    void testMultiStepNeedsIncreasingMilestonesAndAPositiveGamma() {
        assertThatThrownBy(() -> parse("schedule = multi-step"))
                .hasMessageContaining("milestones")
                .hasMessageContaining("a non-empty list of epochs when schedule = multi-step");
        assertThatThrownBy(() -> parse("schedule = multi-step, milestones = [180, 150], gamma = 0"))
                .hasMessageContaining("a strictly increasing list of epochs, each at least 1")
                .hasMessageContaining("gamma");
        assertThatThrownBy(() -> parse("schedule = multi-step, milestones = [0, 5]"))
                .hasMessageContaining("each at least 1");
    }

    @Test
    void testPrefetchDefaultsToTwoAndMayBeTurnedOff() {
        assertThat(parse("schedule = cosine").prefetch()).isEqualTo(TrainingSettings.DEFAULT_PREFETCH).isEqualTo(2);
        assertThat(parse("schedule = cosine, prefetch = 0").prefetch()).isZero();
        assertThatThrownBy(() -> parse("schedule = cosine, prefetch = -1")).hasMessageContaining("prefetch");
    }

    @Test
    void testASectionWithoutAugmentDoesNotAugment() {
        assertThat(parse("schedule = cosine").augment()).isEqualTo("none");
        assertThat(parse("schedule = FIXED, augment = None"))
                .extracting(TrainingSettings::schedule, TrainingSettings::augment)
                .containsExactly("fixed", "none");
    }

    @Test
    void testUnknownScheduleAndAugmentationAreReportedTogether() {
        assertThatThrownBy(() -> parse("schedule = onecycle, augment = flip"))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("schedule")
                .hasMessageContaining("cosine, one-cycle, multi-step or fixed")
                .hasMessageContaining("augment")
                .hasMessageContaining("none or crop-flip");
    }
}
