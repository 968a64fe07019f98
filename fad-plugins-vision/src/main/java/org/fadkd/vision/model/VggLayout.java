package org.fadkd.vision.model;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;

import com.typesafe.config.Config;

import org.fadkd.api.SettingsReader;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the two reference VGG families, {@code imagenet-vgg} and {@code cifar-vgg}
 * (documented in their {@code defaults/*.conf}), and the five convolution groups both build.
 *
 * @param depth weight layers of the network: 8 (RepDistiller's "S"), 11, 13, 16 or 19
 * @param batchNorm whether every convolution is followed by batch norm
 */
record VggLayout(int depth, boolean batchNorm) {
    /**
     * Output channels of every 3×3 convolution of the five groups, by depth: Simonyan and
     * Zisserman's configurations A (11), B (13), D (16) and E (19), and RepDistiller's S (8, one
     * convolution per group). Each network has three more weight layers after these in torchvision
     * and one in RepDistiller.
     */
    private static final Map<Integer, List<List<Integer>>> GROUPS =
            Map.of(
                    8, List.of(List.of(64), List.of(128), List.of(256), List.of(512), List.of(512)),
                    11,
                    List.of(
                            List.of(64),
                            List.of(128),
                            List.of(256, 256),
                            List.of(512, 512),
                            List.of(512, 512)),
                    13,
                    List.of(
                            List.of(64, 64),
                            List.of(128, 128),
                            List.of(256, 256),
                            List.of(512, 512),
                            List.of(512, 512)),
                    16,
                    List.of(
                            List.of(64, 64),
                            List.of(128, 128),
                            List.of(256, 256, 256),
                            List.of(512, 512, 512),
                            List.of(512, 512, 512)),
                    19,
                    List.of(
                            List.of(64, 64),
                            List.of(128, 128),
                            List.of(256, 256, 256, 256),
                            List.of(512, 512, 512, 512),
                            List.of(512, 512, 512, 512)));

    /**
     * Reads the settings of {@code architecture}, which offers the depths {@code depths} (all of
     * them in {@link #GROUPS}).
     */
    static VggLayout from(Config settings, String architecture, Set<Integer> depths) {
        SettingsReader reader = new SettingsReader(settings, "architecture", architecture);
        int depth = reader.getInt("depth", 1, Integer.MAX_VALUE);
        boolean batchNorm = reader.getBoolean("batch-norm");
        reader.check(depths.contains(depth), "depth", "one of " + new TreeSet<>(depths));
        reader.throwIfInvalid();
        return new VggLayout(depth, batchNorm);
    }

    /** The five convolution groups, each a list of output channels. */
    List<List<Integer>> groups() {
        return GROUPS.get(depth);
    }

    /**
     * One group's convolutions: each a 3×3 convolution with bias (VGG keeps it even before batch
     * norm), batch norm where enabled, and ReLU.
     */
    SequentialBlock convolutions(int group) {
        SequentialBlock stack = new SequentialBlock();
        for (int width : groups().get(group)) {
            stack.add(Layers.convolution(width, 3, 1, true));
            if (batchNorm) {
                stack.add(Layers.batchNorm());
            }
            stack.add(Activation.reluBlock());
        }
        return stack;
    }
}
