package org.fadkd.vision.model;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.util.List;
import java.util.Map;

/**
 * Settings of architecture {@code imagenet-resnet}; documented in {@code
 * defaults/imagenet-resnet.conf}.
 *
 * @param depth the ResNet depth: 18, 34, 50, 101 or 152
 * @param widthMultiplier scales the base width 64 and so every stage's width
 */
record ImageNetResNetSettings(int depth, double widthMultiplier) {
    /** torchvision's base width, the stem's output channels and the first stage's width. */
    static final int BASE_WIDTH = 64;

    /** Residual blocks per stage, by depth (He et al. 2016, table 1). */
    private static final Map<Integer, List<Integer>> BLOCKS_PER_STAGE =
            Map.of(
                    18, List.of(2, 2, 2, 2),
                    34, List.of(3, 4, 6, 3),
                    50, List.of(3, 4, 6, 3),
                    101, List.of(3, 4, 23, 3),
                    152, List.of(3, 8, 36, 3));

    static ImageNetResNetSettings from(Config settings) {
        SettingsReader reader =
                new SettingsReader(
                        settings, "architecture", ImageNetResNetArchitectureFactory.NAME);
        int depth = reader.getInt("depth", 1, Integer.MAX_VALUE);
        double widthMultiplier =
                reader.getDouble(
                        "width-multiplier",
                        multiplier -> Math.round(BASE_WIDTH * multiplier) >= 1,
                        "[1/128, inf) (64 times it, rounded, is the base width)");
        reader.check(
                BLOCKS_PER_STAGE.containsKey(depth), "depth", "one of 18, 34, 50, 101 or 152");
        reader.throwIfInvalid();
        return new ImageNetResNetSettings(depth, widthMultiplier);
    }

    /** Residual blocks in each of the four stages. */
    List<Integer> blocksPerStage() {
        return BLOCKS_PER_STAGE.get(depth);
    }

    /** Depths from 50 on use bottleneck blocks, the shallower ones basic blocks. */
    boolean bottleneck() {
        return depth >= 50;
    }

    /** The stem's output channels and the first stage's width, 64 at a multiplier of 1. */
    int baseWidth() {
        return (int) Math.round(BASE_WIDTH * widthMultiplier);
    }
}
