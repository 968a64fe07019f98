package org.fadkd.vision.model;

import org.fadkd.api.SettingsReader;

import java.util.List;

/** Checks of the per-stage settings the convolutional families share. */
final class StageChecks {
    private StageChecks() {}

    /**
     * Checks {@code widths}: at least one entry, each at least 1.
     *
     * @param unit what one entry builds, for messages: {@code stage} or {@code block}
     */
    static void checkWidths(SettingsReader reader, List<Integer> widths, String unit) {
        reader.check(!widths.isEmpty(), "widths", "a list with at least one " + unit);
        reader.check(
                widths.stream().allMatch(width -> width >= 1),
                "widths",
                "a list of widths, each at least 1");
    }

    /**
     * Checks {@code strides}: one per entry of {@code widths}, each 1 or 2.
     *
     * @param unit what one entry builds, for messages: {@code stage} or {@code block}
     */
    static void checkStrides(
            SettingsReader reader, List<Integer> strides, List<Integer> widths, String unit) {
        // an empty 'widths' is reported by checkWidths; comparing against it would only add noise
        reader.check(
                widths.isEmpty() || strides.size() == widths.size(),
                "strides",
                "a list with one stride per " + unit + ", as many as 'widths' " + widths + " has");
        reader.check(
                strides.stream().allMatch(stride -> stride == 1 || stride == 2),
                "strides",
                "a list of strides, each 1 or 2");
    }
}
