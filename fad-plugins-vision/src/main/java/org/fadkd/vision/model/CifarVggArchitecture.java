package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

import org.fadkd.api.block.TappedSequentialBlock;

import java.util.List;

/**
 * VGG as RepDistiller defines it for CIFAR (Tian et al. 2020, {@code models/vgg.py}): five groups
 * of 3×3 convolutions (with bias), batch norm and ReLU, with 2×2 max pooling between groups 1-2,
 * 2-3 and 3-4, then global average pooling and one linear layer on the 512 channels. RepDistiller
 * pools between groups 4 and 5 only for 64-pixel inputs, keeping the last groups at 4×4 for both
 * CIFAR's 32 and Tiny ImageNet's 64; this family does so for inputs of at least 64 pixels. Taps:
 * {@code block1} ... {@code block5}, each group's activated output before the pooling that
 * follows it (RepDistiller's features {@code f0} ... {@code f4}).
 */
final class CifarVggArchitecture extends ImageArchitecture<VggLayout> {
    /** The input side from which the fourth pooling applies. */
    private static final int FOURTH_POOLING_SIDE = 64;

    CifarVggArchitecture(VggLayout settings) {
        super(CifarVggArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        boolean fourthPooling =
                Math.min(sampleShape.get(1), sampleShape.get(2)) >= FOURTH_POOLING_SIDE;
        int poolings = fourthPooling ? 4 : 3;
        Layers.checkPoolingFits(
                name,
                sampleShape,
                poolings,
                "It needs images of at least 8x8 pixels (32x32 as CIFAR's).");
        TappedSequentialBlock model = new TappedSequentialBlock();
        for (int group = 0; group < settings.groups().size(); group++) {
            SequentialBlock stage = new SequentialBlock();
            if (group > 0 && group <= poolings) {
                stage.add(Layers.halvingMaxPool());
            }
            model.addStage(tapNames.get(group), stage.add(settings.convolutions(group)));
        }
        return model.setHead(Layers.classifierHead(outputSize));
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(List.of(), "block", settings.groups().size());
    }
}
