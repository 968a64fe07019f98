package org.fadkd.vision.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;

import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.FileTensor;
import org.fadkd.api.block.TappedSequentialBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * VGG in torchvision's ImageNet layout (Simonyan and Zisserman 2015; batch norm as torchvision's
 * {@code vgg*_bn}): five groups of 3×3 convolutions, each group ending with 2×2 max pooling, then
 * adaptive average pooling to 7×7 and three fully connected layers (4096, 4096, classes) with ReLU
 * and dropout 0.5 between them. The five poolings divide the input side by 32, so it must be at
 * least 32; at 224 the last map is 7×7 and the adaptive pooling does nothing, elsewhere it pools
 * or stretches as PyTorch's does. Taps: {@code block1} ... {@code block5} (after each pooling).
 */
final class ImageNetVggArchitecture extends ImageArchitecture<VggLayout> {
    /** torchvision pools the last map to 7×7 at any input size, fixing the classifier's input. */
    private static final int POOLED_SIDE = 7;

    private static final int HIDDEN_UNITS = 4096;
    private static final float DROPOUT = 0.5f;

    ImageNetVggArchitecture(VggLayout settings) {
        super(ImageNetVggArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        Layers.checkPoolingFits(
                name,
                sampleShape,
                settings.groups().size(),
                "It needs images of at least 32x32 pixels (224x224 as on ImageNet); use"
                        + " 'cifar-vgg' for smaller ones.");
        TappedSequentialBlock model = new TappedSequentialBlock();
        for (int group = 0; group < settings.groups().size(); group++) {
            model.addStage(
                    tapNames.get(group),
                    settings.convolutions(group).add(Layers.halvingMaxPool()));
        }
        Block head =
                new SequentialBlock()
                        .add(new AdaptiveAveragePool(POOLED_SIDE))
                        .add(Blocks.batchFlattenBlock())
                        .add(hiddenLayer())
                        .add(hiddenLayer())
                        .add(Linear.builder().setUnits(outputSize).build());
        return model.setHead(head);
    }

    private static Block hiddenLayer() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(HIDDEN_UNITS).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(DROPOUT).build());
    }

    /**
     * torchvision's {@code vgg11} ... {@code vgg19_bn} names: the layers of {@code features} are
     * numbered with the ReLUs and poolings between them, the classifier's linear layers are 0, 3
     * and 6.
     */
    @Override
    public Map<String, FileTensor> getParameterNames(String convention, Block block) {
        if (!convention.equals(TorchvisionNames.CONVENTION)) {
            return Map.of();
        }
        List<String> names = new ArrayList<>();
        int layer = 0;
        for (List<Integer> group : settings.groups()) {
            for (int convolution = 0; convolution < group.size(); convolution++) {
                TorchvisionNames.weightAndBias(names, "features." + layer++);
                if (settings.batchNorm()) {
                    TorchvisionNames.batchNorm(names, "features." + layer++);
                }
                layer++; // ReLU
            }
            layer++; // max pooling
        }
        for (String classifier : List.of("classifier.0", "classifier.3", "classifier.6")) {
            TorchvisionNames.weightAndBias(names, classifier);
        }
        return TorchvisionNames.inOrder(name, block, names);
    }

    @Override
    public List<String> getTapNames() {
        return Layers.numberedTaps(List.of(), "block", settings.groups().size());
    }

    /**
     * The classifier reads the flattened 7×7 map through two hidden layers, not the last map's
     * spatial mean, so no embedding of the kind {@link EmbeddingSource} describes exists.
     */
    @Override
    public EmbeddingSource getEmbeddingSource() {
        return EmbeddingSource.NONE;
    }
}
