package org.fadkd.engine.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.fadkd.engine.train.EpochReport;
import org.junit.jupiter.api.Test;

final class TestOutcomeWarnings {
    private static EpochReport epoch(int number, double loss) {
        return new EpochReport(number, Map.of("loss", loss), Map.of("top1", 0.5), 1.0, 100.0);
    }

    @Test
    void testLearningStudentRaisesNoWarning() {
        assertThat(OutcomeWarnings.of(List.of(epoch(1, 2.3), epoch(2, 0.9)), "top1", 0.85, 10, 0.01)).isEmpty();
    }

    @Test
    void testChanceLevelIsReportedWithTheNumbers() {
        assertThat(OutcomeWarnings.of(List.of(epoch(1, 2.3)), "top1", 0.1, 10, 10000.0)).singleElement().asString()
                .contains("ended at chance level", "test top-1 0.1000 with 10 classes (chance 0.1000)",
                        "trainer.learning-rate (now 10000.0)");
        // Just above chance is not chance; other primary metrics are not classification accuracies.
        assertThat(OutcomeWarnings.of(List.of(epoch(1, 2.3)), "top1", 0.12, 10, 0.01)).isEmpty();
        assertThat(OutcomeWarnings.of(List.of(epoch(1, 2.3)), "map", 0.01, 10, 0.01)).isEmpty();
    }

    @Test
    void testLossGrowingByOrdersOfMagnitudeIsExploding() {
        assertThat(OutcomeWarnings.of(List.of(epoch(1, 2.3), epoch(2, 40.0), epoch(3, 1.8e7)), "top1", 0.5, 10, 1e4))
                .singleElement().asString().contains("grew from 2.300 in epoch 1 to 1.800e+07 in epoch 3");
        assertThat(OutcomeWarnings.of(List.of(epoch(1, 2.3), epoch(2, 200.0)), "top1", 0.5, 10, 0.1)).isEmpty();
    }
}
