package org.fadkd.vision.detection.task;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

/**
 * Settings of task {@code detection}; documented in {@code defaults/detection.conf}.
 *
 * @param sizeWeight the weight of {@code L_size} in {@code L_det}
 * @param offsetWeight the weight of {@code L_off} in {@code L_det}
 * @param maxDetections the most detections decoded per image
 */
record DetectionSettings(double sizeWeight, double offsetWeight, int maxDetections) {
    static DetectionSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "task", DetectionTaskFactory.NAME);
        double sizeWeight = reader.getDouble("size-weight", value -> value >= 0, "[0, inf)");
        double offsetWeight = reader.getDouble("offset-weight", value -> value >= 0, "[0, inf)");
        int maxDetections = reader.getInt("max-detections", 1, Integer.MAX_VALUE);
        reader.throwIfInvalid();
        return new DetectionSettings(sizeWeight, offsetWeight, maxDetections);
    }
}
