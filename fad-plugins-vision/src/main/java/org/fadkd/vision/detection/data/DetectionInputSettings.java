package org.fadkd.vision.detection.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import org.fadkd.api.SettingsReader;

import java.util.List;

/**
 * How every detection dataset turns an image and its boxes into a network input, read from its
 * section (the keys each defaults file documents under "Input").
 *
 * @param imageSize the side of the square input
 * @param normalize whether pixels become {@code (x − mean) / std}
 * @param mean per channel (3)
 * @param std per channel (3)
 * @param augment whether training batches are randomly scaled, cropped and flipped
 * @param minScale the smallest zoom factor over the letterbox scale
 * @param maxScale the largest
 * @param flipProbability the probability of a left-right flip
 * @param minVisible the least fraction of a box's area that must stay in the input for it to be kept
 */
record DetectionInputSettings(int imageSize, boolean normalize, float[] mean, float[] std, boolean augment,
        double minScale, double maxScale, double flipProbability, double minVisible) {
    static final int CHANNELS = 3;

    static DetectionInputSettings from(Config settings, SettingsReader reader) {
        int imageSize = reader.getInt("image-size", 8, 4096);
        boolean normalize = reader.getBoolean("normalize");
        float[] mean = perChannel(settings, reader, "mean", false);
        float[] std = perChannel(settings, reader, "std", true);
        boolean augment = reader.getBoolean("augment");
        double[] scale = doubles(settings, "scale");
        boolean scaleValid = scale != null && scale.length == 2 && scale[0] > 0 && scale[0] <= scale[1];
        reader.check(scaleValid, "scale", "two factors 0 < min <= max, e.g. [0.6, 1.4]");
        double flipProbability = reader.getDouble("flip-probability", p -> p >= 0 && p <= 1, "[0, 1]");
        double minVisible = reader.getDouble("min-visible", f -> f > 0 && f <= 1, "(0, 1]");
        return new DetectionInputSettings(imageSize, normalize, mean, std, augment, scaleValid ? scale[0] : 1,
                scaleValid ? scale[1] : 1, flipProbability, minVisible);
    }

    /** The padding value per channel: the mean, so that padding is 0 once normalised. */
    float[] fill() {
        return normalize ? mean.clone() : new float[CHANNELS];
    }

    /** What changes the inputs, for the dataset's fingerprint. */
    String describe() {
        return String.format("image-size=%d normalize=%b mean=%s std=%s augment=%b scale=%s..%s flip=%s"
                + " min-visible=%s", imageSize, normalize, java.util.Arrays.toString(mean),
                java.util.Arrays.toString(std), augment, minScale, maxScale, flipProbability, minVisible);
    }

    private static float[] perChannel(Config settings, SettingsReader reader, String key, boolean positive) {
        double[] values = doubles(settings, key);
        boolean valid = values != null && values.length == CHANNELS;
        for (int i = 0; valid && i < CHANNELS; i++) {
            valid = !positive || values[i] > 0;
        }
        reader.check(valid, key, "a list of 3" + (positive ? " positive" : "") + " numbers, one per channel (R, G, B)");
        float[] result = new float[CHANNELS];
        for (int i = 0; valid && i < CHANNELS; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }

    // SettingsReader has no list-of-doubles getter; a wrong type is reported by the caller's check
    private static double[] doubles(Config settings, String key) {
        try {
            List<Double> values = settings.getDoubleList(key);
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        } catch (ConfigException e) {
            return null;
        }
    }
}
