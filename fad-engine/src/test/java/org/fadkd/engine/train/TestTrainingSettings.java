package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
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
                new TrainingSettings(30, 128, 500, "sgd", 0.1, 0.9, 5e-4, "one-cycle", "crop-flip"));
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
                .hasMessageContaining("cosine, one-cycle or fixed")
                .hasMessageContaining("augment")
                .hasMessageContaining("none or crop-flip");
    }
}
