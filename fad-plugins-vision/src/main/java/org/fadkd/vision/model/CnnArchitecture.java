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
 * A plain CNN student: stages of 3×3 conv-BN-ReLU, each optionally followed by 2×2 max pooling,
 * then global average pooling and a linear classifier. Taps: {@code conv1}, {@code conv2}, ...
 */
final class CnnArchitecture implements Architecture {
    private final CnnSettings settings;

    CnnArchitecture(CnnSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public Block newBlock(Shape sampleShape, int outputSize) {
        requireNonNull(sampleShape, "sampleShape is null");
        Layers.checkImageInput(CnnArchitectureFactory.NAME, sampleShape, outputSize);
        Layers.checkPoolingFits(
                CnnArchitectureFactory.NAME,
                sampleShape,
                (int) settings.pool().stream().filter(pool -> pool).count(),
                "Set fewer stages of 'pool' to true.");
        List<String> tapNames = getTapNames();
        TappedSequentialBlock model = new TappedSequentialBlock();
        for (int stage = 0; stage < settings.widths().size(); stage++) {
            SequentialBlock unit = Layers.convolutionUnit(settings.widths().get(stage), 1);
            if (settings.pool().get(stage)) {
                unit.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
            model.addStage(tapNames.get(stage), unit);
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
            names.add("conv" + stage);
        }
        return List.copyOf(names);
    }
}
