package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

import org.fadkd.api.block.TappedSequentialBlock;

import java.util.List;

/**
 * A VGG-style network (Simonyan and Zisserman 2015) for small images: stages of plain 3×3
 * conv-BN-ReLU stacks, each stage ending with 2×2 max pooling, then global average pooling and a
 * linear classifier (in place of VGG's large fully connected layers, which would dwarf the
 * convolutions at 28×28). Every stage keeps one width. Taps: {@code stage1}, {@code stage2}, ...
 * (each stage's output, after its pooling).
 */
final class VggArchitecture extends ImageArchitecture<VggSettings> {
    VggArchitecture(VggSettings settings) {
        super(VggArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        Layers.checkPoolingFits(
                name,
                sampleShape,
                settings.widths().size(),
                "Use fewer entries in 'widths': every stage ends with 2x2 max pooling.");
        TappedSequentialBlock model = new TappedSequentialBlock();
        for (int stage = 0; stage < settings.widths().size(); stage++) {
            SequentialBlock stack = new SequentialBlock();
            for (int convolution = 0;
                    convolution < settings.convolutionsPerStage();
                    convolution++) {
                stack.add(Layers.convolutionUnit(settings.widths().get(stage), 1));
            }
            stack.add(Layers.halvingMaxPool());
            model.addStage(tapNames.get(stage), stack);
        }
        return model.setHead(Layers.classifierHead(outputSize));
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(List.of(), "stage", settings.widths().size());
    }
}
