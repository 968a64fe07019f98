package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

import org.fadkd.api.Architecture;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.block.TappedSequentialBlock;

import java.util.ArrayList;
import java.util.List;

/**
 * A VGG-style network (Simonyan and Zisserman 2015) for small images: stages of plain 3×3
 * conv-BN-ReLU stacks, each stage ending with 2×2 max pooling, then global average pooling and a
 * linear classifier (in place of VGG's large fully connected layers, which would dwarf the
 * convolutions at 28×28). Every stage keeps one width. Taps: {@code stage1}, {@code stage2}, ...
 * (each stage's output, after its pooling).
 */
final class VggArchitecture implements Architecture {
    private final VggSettings settings;

    VggArchitecture(VggSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public Block newBlock(Shape sampleShape, int outputSize) {
        requireNonNull(sampleShape, "sampleShape is null");
        Layers.checkImageInput(VggArchitectureFactory.NAME, sampleShape, outputSize);
        Layers.checkPoolingFits(
                VggArchitectureFactory.NAME,
                sampleShape,
                settings.widths().size(),
                "Use fewer entries in 'widths': every stage ends with 2x2 max pooling.");
        List<String> tapNames = getTapNames();
        TappedSequentialBlock model = new TappedSequentialBlock();
        for (int stage = 0; stage < settings.widths().size(); stage++) {
            SequentialBlock stack = new SequentialBlock();
            for (int convolution = 0;
                    convolution < settings.convolutionsPerStage();
                    convolution++) {
                stack.add(Layers.convolutionUnit(settings.widths().get(stage), 1));
            }
            stack.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            model.addStage(tapNames.get(stage), stack);
        }
        return model.setHead(Layers.classifierHead(outputSize));
    }

    /** The head global-average-pools the last tap's feature map into the classifier. */
    @Override
    public EmbeddingSource getEmbeddingSource() {
        return EmbeddingSource.SPATIAL_MEAN;
    }

    @Override
    public List<String> getTapNames() {
        List<String> names = new ArrayList<>();
        for (int stage = 1; stage <= settings.widths().size(); stage++) {
            names.add("stage" + stage);
        }
        return List.copyOf(names);
    }
}
