package org.fadkd.vision.detection.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadException;
import org.fadkd.api.Task;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.vision.VisionPlugin;
import org.junit.jupiter.api.Test;

final class TestDetectionTaskFactory {
    @Test
    void testDefaults() {
        assertThat(DetectionSettings.from(new DetectionTaskFactory().getDefaults()))
                .isEqualTo(new DetectionSettings(0.1, 1, 100));
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            Task task = context.create(ComponentKind.TASK, "type = detection");
            assertThat(task.getPrimaryMetric()).isEqualTo("map");
        }
    }

    @Test
    void testExplicitSettings() {
        assertThat(DetectionSettings.from(ConfigFactory.parseString(
                        "size-weight = 0.5, offset-weight = 2, max-detections = 10")))
                .isEqualTo(new DetectionSettings(0.5, 2, 10));
    }

    @Test
    void testUnknownKeyRejected() {
        try (TestingFadContext context = TestingFadContext.of(new VisionPlugin())) {
            assertThatThrownBy(() -> context.create(ComponentKind.TASK, "type = detection, size-wieght = 1"))
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("is not used by task 'detection'")
                    .hasMessageContaining("Did you mean 'size-weight'?");
        }
    }

    @Test
    void testOutOfRangeRejectedByCheck() {
        DetectionTaskFactory factory = new DetectionTaskFactory();
        assertThatThrownBy(() -> factory.check(ConfigFactory.parseString("max-detections = 0, offset-weight = -1")
                        .withFallback(factory.getDefaults())))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Setting 'offset-weight' of task 'detection' is '-1'")
                .hasMessageContaining("Setting 'max-detections' of task 'detection' is '0'");
    }
}
