package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.TrainingProgress;
import org.junit.jupiter.api.Test;

final class TestDivergenceMessage {
    private static final TrainingProgress STEP = new TrainingProgress(2, 4, 17);

    @Test
    void testNamesTheNonFiniteTerms() {
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("task", 2.3);
        terms.put("kd", Double.NaN);
        terms.put("fad", Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> DistillationLoop.checkFinite(Double.NaN, terms, STEP, 0.005))
                .isInstanceOfSatisfying(FadException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.getErrorCode())
                                .isEqualTo(ErrorCode.TRAINING_DIVERGED))
                .hasMessageContaining("Training diverged in epoch 2 at step 17: the loss is NaN, from the terms"
                        + " kd = NaN, fad = Infinity")
                .hasMessageContaining("trainer.learning-rate (now 0.005)");
    }

    @Test
    void testSaysWhenEveryTermIsFiniteButTheirSumOverflowed() {
        assertThatThrownBy(() -> DistillationLoop.checkFinite(Double.POSITIVE_INFINITY,
                Map.of("task", 3e38, "kd", 3e38), STEP, 0.1))
                .hasMessageContaining("although every logged term is finite (their weighted sum overflowed)");
        assertThatCode(() -> DistillationLoop.checkFinite(1.5, Map.of("task", 1.5), STEP, 0.1)).doesNotThrowAnyException();
    }
}
