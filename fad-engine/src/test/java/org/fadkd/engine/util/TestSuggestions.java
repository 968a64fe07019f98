package org.fadkd.engine.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

final class TestSuggestions {
    @Test
    void testDistanceCountsSwapsAsOneEdit() {
        assertThat(Suggestions.distance("fashion-minst", "fashion-mnist")).isEqualTo(1);
        assertThat(Suggestions.distance("kdd", "kd")).isEqualTo(1);
        assertThat(Suggestions.distance("KD", "kd")).isZero();
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("temprature", "temperature")).isEqualTo(1);
    }

    @Test
    void testNearest() {
        List<String> names = List.of("kd", "fitnets", "fad", "attention-transfer");
        assertThat(Suggestions.nearest("kdd", names)).contains("kd");
        assertThat(Suggestions.nearest("fitnet", names)).contains("fitnets");
        assertThat(Suggestions.nearest("attention", names)).contains("attention-transfer");
        assertThat(Suggestions.nearest("xyz", names)).isEmpty();
        assertThat(Suggestions.nearest("kd", names)).isEmpty();
    }

    @Test
    void testNearestPath() {
        List<String> paths =
                List.of("method", "method.temperature", "method.type", "trainer", "trainer.epochs");
        assertThat(Suggestions.nearestPath("trainer.epoch", paths)).contains("trainer.epochs");
        assertThat(Suggestions.nearestPath("method.temprature", paths))
                .contains("method.temperature");
        assertThat(Suggestions.nearestPath("temperature", paths)).contains("method.temperature");
        assertThat(Suggestions.nearestPath("distill.temperatur", paths))
                .contains("method.temperature");
        assertThat(Suggestions.nearestPath("seed", paths)).isEmpty();
    }

    @Test
    void testDidYouMean() {
        assertThat(Suggestions.didYouMean("kdd", List.of("kd", "fad")))
                .isEqualTo(" Did you mean 'kd'?");
        assertThat(Suggestions.didYouMean("zzzz", List.of("kd", "fad"))).isEmpty();
    }
}
