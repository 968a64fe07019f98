package org.fadkd.runner.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Random;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;

final class TestSearchSpace {
    private static final SearchSpace SPACE = SearchSpace.of("method", ConfigFactory.parseString("""
            temperature = { log-uniform = [1, 8] }
            alpha = { uniform = [0.3, 0.95] }
            points = { int = [2, 4] }
            form = { choice = [integrated, weighted-sum] }
            """), "method 'test'");

    @Test
    void testDrawsStayInTheirRangesAsSortedOverrides() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            List<String> draw = SPACE.draw(random);
            assertThat(draw).extracting(override -> override.split("=")[0])
                    .containsExactly("method.alpha", "method.form", "method.points", "method.temperature");
            assertThat(Double.parseDouble(value(draw, 0))).isBetween(0.3, 0.95);
            assertThat(value(draw, 1)).isIn("integrated", "weighted-sum");
            assertThat(Integer.parseInt(value(draw, 2))).isBetween(2, 4);
            assertThat(Double.parseDouble(value(draw, 3))).isBetween(1.0, 8.0);
            // Three significant digits: an override a person can read and type.
            assertThat(value(draw, 3).replace(".", "").replaceFirst("^0+", "")).hasSizeLessThanOrEqualTo(3);
        }
    }

    @Test
    void testTheSameSeedDrawsTheSameTrials() {
        assertThat(SPACE.draw(new Random(3))).isEqualTo(SPACE.draw(new Random(3)));
        assertThat(SPACE.keys()).containsExactly("method.alpha", "method.form", "method.points", "method.temperature");
    }

    @Test
    void testMalformedRangesAreReportedTogether() {
        assertThatThrownBy(() -> SearchSpace.of("method", ConfigFactory.parseString("""
                temperature = { log-uniform = [0, 8] }
                alpha = { normal = [0, 1] }
                beta = 3
                """), "method 'kd'"))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("3 errors")
                .hasMessageContaining("malformed range for 'temperature'")
                .hasMessageContaining("'normal' is not a kind of range")
                .hasMessageContaining("malformed range for 'beta': it is not an object");
    }

    @Test
    void testEmptySpaceHasNothingToTune() {
        SearchSpace empty = SearchSpace.of("method", ConfigFactory.empty(), "method 'none'");
        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.draw(new Random(1))).isEmpty();
    }

    private static String value(List<String> draw, int index) {
        return draw.get(index).split("=", 2)[1];
    }
}
