package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

import org.fadkd.api.block.TappedSequentialBlock;

import java.util.List;

/**
 * A plain CNN student: stages of 3×3 conv-BN-ReLU, each optionally followed by 2×2 max pooling,
 * then global average pooling and a linear classifier. Taps: {@code conv1}, {@code conv2}, ...
 */
final class CnnArchitecture extends ImageArchitecture<CnnSettings> {
    CnnArchitecture(CnnSettings settings) {
        super(CnnArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        Layers.checkPoolingFits(
                name,
                sampleShape,
                (int) settings.pool().stream().filter(pool -> pool).count(),
                "Set fewer stages of 'pool' to true.");
        TappedSequentialBlock model = new TappedSequentialBlock();
        for (int stage = 0; stage < settings.widths().size(); stage++) {
            SequentialBlock unit = Layers.convolutionUnit(settings.widths().get(stage), 1);
            if (settings.pool().get(stage)) {
                unit.add(Layers.halvingMaxPool());
            }
            model.addStage(tapNames.get(stage), unit);
        }
        return model.setHead(Layers.classifierHead(outputSize));
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(List.of(), "conv", settings.widths().size());
    }
}
