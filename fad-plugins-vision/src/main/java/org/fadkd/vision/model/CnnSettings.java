package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.vision.config.SettingsReader;

import java.util.List;

/**
 * Settings of architecture {@code cnn}; documented in {@code defaults/cnn.conf}.
 *
 * @param widths output channels of each stage
 * @param pool whether each stage ends with 2×2 max pooling
 */
record CnnSettings(List<Integer> widths, List<Boolean> pool) {
    CnnSettings {
        widths = List.copyOf(widths);
        pool = List.copyOf(pool);
    }

    static CnnSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(settings, "architecture '" + CnnArchitectureFactory.NAME + "'");
        List<Integer> widths = reader.getIntList("widths");
        List<Boolean> pool = reader.getBooleanList("pool");
        reader.throwIfInvalid();
        reader.check(!widths.isEmpty(), "widths", widths, "at least one stage is needed");
        reader.check(
                widths.stream().allMatch(width -> width >= 1),
                "widths",
                widths,
                "every width must be at least 1");
        reader.check(
                pool.size() == widths.size(),
                "pool",
                pool,
                "it needs one entry per stage, as many as 'widths' " + widths + " has");
        reader.throwIfInvalid();
        return new CnnSettings(widths, pool);
    }
}
