package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

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
                new SettingsReader(settings, "architecture", CnnArchitectureFactory.NAME);
        List<Integer> widths = reader.getIntList("widths");
        List<Boolean> pool = reader.getBooleanList("pool");
        StageChecks.checkWidths(reader, widths, "stage");
        // an empty 'widths' is reported above; comparing against it would only add noise
        reader.check(
                widths.isEmpty() || pool.size() == widths.size(),
                "pool",
                "a list with one entry per stage, as many as 'widths' " + widths + " has");
        reader.throwIfInvalid();
        return new CnnSettings(widths, pool);
    }
}
