package org.fadkd.engine.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;

/** The {@code measurement} section read into {@link TimingSettings}. */
final class TestTimingSettings {
    @Test
    void testEveryKeyMapsOntoItsComponent() {
        TimingSettings settings = TimingSettings.from(ConfigFactory.parseString("""
                latency-warmup = 1, latency-runs = 2, throughput-batch-size = 3
                throughput-warmup = 4, throughput-min-batches = 5, throughput-min-seconds = 0.5
                """), "measurement");

        assertThat(settings).isEqualTo(new TimingSettings(1, 2, 3, 4, 5, 0.5));
    }

    @Test
    void testEveryProblemIsReportedAtOnceWithTheSectionPath() {
        assertThatThrownBy(() -> TimingSettings.from(ConfigFactory.parseString("""
                latency-warmup = -1, latency-runs = 0, throughput-batch-size = 64
                throughput-warmup = 10, throughput-min-batches = 50
                """), "measurement"))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("section 'measurement'")
                .hasMessageContaining("'latency-warmup'")
                .hasMessageContaining("'latency-runs'")
                .hasMessageContaining("'throughput-min-seconds'")
                .hasMessageContaining("3 errors");
    }
}
