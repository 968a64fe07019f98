package org.fadkd.vision.detection.data;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

/**
 * Settings of dataset {@code fashion-mnist-canvas}; documented in {@code
 * defaults/fashion-mnist-canvas.conf}.
 *
 * @param root where Fashion-MNIST is, passed on to dataset {@code fashion-mnist}; empty: its search
 */
record FashionMnistCanvasSettings(String root, int trainSize, int testSize, int canvasSize, int minObjects,
        int maxObjects, int minObjectSize, int maxObjectSize, double maxOverlap, long generatorSeed,
        DetectionInputSettings input) {
    static FashionMnistCanvasSettings from(Config settings) {
        SettingsReader reader = new SettingsReader(settings, "dataset", FashionMnistCanvasDatasetFactory.NAME);
        String root = reader.getString("root").strip();
        int trainSize = reader.getInt("train-size", 1, 1_000_000);
        int testSize = reader.getInt("test-size", 1, 1_000_000);
        int canvasSize = reader.getInt("canvas-size", 28, 4096);
        int minObjects = reader.getInt("min-objects", 1, 100);
        int maxObjects = reader.getInt("max-objects", 1, 100);
        reader.check(maxObjects >= minObjects, "max-objects", "at least min-objects (" + minObjects + ")");
        int minObjectSize = reader.getInt("min-object-size", 8, 4096);
        int maxObjectSize = reader.getInt("max-object-size", 8, 4096);
        reader.check(maxObjectSize >= minObjectSize && maxObjectSize <= canvasSize, "max-object-size",
                "between min-object-size (" + minObjectSize + ") and canvas-size (" + canvasSize + ")");
        double maxOverlap = reader.getDouble("max-overlap", value -> value >= 0 && value <= 1, "[0, 1]");
        long generatorSeed = reader.getInt("generator-seed", 0, Integer.MAX_VALUE);
        DetectionInputSettings input = DetectionInputSettings.from(settings, reader);
        reader.throwIfInvalid();
        return new FashionMnistCanvasSettings(root, trainSize, testSize, canvasSize, minObjects, maxObjects,
                minObjectSize, maxObjectSize, maxOverlap, generatorSeed, input);
    }

    /** The generator's settings, for the fingerprint. */
    String describeGenerator() {
        return String.format("train-size=%d test-size=%d canvas-size=%d objects=%d..%d object-size=%d..%d"
                + " max-overlap=%s generator-seed=%d", trainSize, testSize, canvasSize, minObjects, maxObjects,
                minObjectSize, maxObjectSize, maxOverlap, generatorSeed);
    }
}
