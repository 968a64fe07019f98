package org.fadkd.vision.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import org.fadkd.api.SettingsReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Settings of dataset {@code imagefolder}; documented in {@code defaults/imagefolder.conf}.
 *
 * @param root the directory holding {@code train/} and {@code val/}; empty when not set
 * @param channels 1 (grayscale) or 3 (RGB)
 * @param imageSize the side of the square inputs the model sees
 * @param resizeSize the shorter side evaluation images are resized to before the center crop
 * @param randomResizedCrop whether training batches are RandomResizedCrop'd (else they are
 *     transformed as evaluation batches are)
 * @param scale the range of the crop's area, as fractions of the image's
 * @param ratio the range of the crop's aspect ratio (width / height)
 * @param flip whether training images are flipped left-right with probability ½
 * @param mean per channel, subtracted when {@code normalize}
 * @param std per channel, divided by when {@code normalize}
 * @param verifyLimit splits with at most this many images are decoded in full when first read
 * @param workers threads that decode and transform a batch's images, at least 1 (the setting's 0
 *     means one per available processor)
 */
record ImageFolderSettings(
        Optional<Path> root,
        int channels,
        int imageSize,
        int resizeSize,
        boolean randomResizedCrop,
        double[] scale,
        double[] ratio,
        boolean flip,
        boolean normalize,
        float[] mean,
        float[] std,
        int verifyLimit,
        int workers) {
    static ImageFolderSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "dataset", ImageFolderDatasetFactory.NAME);
        String root = reader.getString("root").strip();
        int channels = reader.getInt("channels", 1, 3);
        reader.check(channels != 2, "channels", "1 (grayscale) or 3 (RGB)");
        int imageSize = reader.getInt("image-size", 1, 1 << 14);
        int resizeSize = reader.getInt("resize-size", 1, 1 << 14);
        reader.check(resizeSize >= imageSize, "resize-size", "at least image-size (" + imageSize + ")");
        boolean randomResizedCrop = reader.getBoolean("random-resized-crop");
        double[] scale = range(settings, reader, "scale", 0, 1, "two fractions 0 < low <= high <= 1");
        double[] ratio = range(settings, reader, "ratio", 0, Double.MAX_VALUE, "two numbers 0 < low <= high");
        boolean flip = reader.getBoolean("flip");
        boolean normalize = reader.getBoolean("normalize");
        float[] mean = perChannel(settings, reader, "mean", channels, false);
        float[] std = perChannel(settings, reader, "std", channels, true);
        int verifyLimit = reader.getInt("verify-limit", 0, Integer.MAX_VALUE);
        int workers = reader.getInt("workers", 0, 1024);
        reader.throwIfInvalid();
        return new ImageFolderSettings(
                root.isEmpty() ? Optional.empty() : Optional.of(DataSearch.expandHome(root)),
                channels, imageSize, resizeSize, randomResizedCrop, scale, ratio, flip, normalize, mean, std,
                verifyLimit, workers == 0 ? Runtime.getRuntime().availableProcessors() : workers);
    }

    private static double[] range(Config settings, SettingsReader reader, String key, double min, double max,
            String allowed) {
        List<Double> values = doubles(settings, key);
        boolean valid = values != null && values.size() == 2 && values.get(0) > min && values.get(0) <= values.get(1)
                && values.get(1) <= max;
        reader.check(valid, key, allowed);
        return valid ? new double[] {values.get(0), values.get(1)} : new double[] {min, max};
    }

    private static float[] perChannel(Config settings, SettingsReader reader, String key, int channels,
            boolean positive) {
        List<Double> values = doubles(settings, key);
        boolean valid = values != null && values.size() == channels
                && values.stream().allMatch(value -> !positive || value > 0);
        reader.check(valid, key, "a list of " + channels + (positive ? " positive" : "")
                + " numbers, one per channel (channels = " + channels + ")");
        float[] result = new float[channels];
        for (int i = 0; valid && i < channels; i++) {
            result[i] = values.get(i).floatValue();
        }
        return result;
    }

    // SettingsReader has no list-of-doubles getter; a wrong type is reported by the caller's check
    private static List<Double> doubles(Config settings, String key) {
        try {
            return settings.getDoubleList(key);
        } catch (ConfigException e) {
            return null;
        }
    }
}
