package org.fadkd.engine.measure;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.convolutional.Deconvolution;
import ai.djl.nn.core.AbstractEmbedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.core.Multiplication;
import ai.djl.nn.core.Prelu;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.block.MacCounted;
import org.fadkd.api.block.TappedSequentialBlock;

/**
 * Counts the multiply-accumulates (MACs) of one sample's forward pass by walking a block tree, as
 * fad-spec §13 defines them (1 MAC = 1 FLOP, as torchvision and fvcore report):
 *
 * <ul>
 *   <li>convolution (1-, 2- and 3-d): {@code output elements · (C_in/groups) · kernel size};
 *   <li>transposed convolution: {@code input elements · (C_out/groups) · kernel size};
 *   <li>linear: {@code rows · in · out}, rows being the product of the leading axes per sample;
 *   <li>a {@link MacCounted} block: whatever it reports (matmuls, attention).
 * </ul>
 *
 * Not counted, as fvcore does not count them for conv and linear: bias, normalisation,
 * activations, pooling, softmax, element-wise operations and embedding lookups.
 *
 * <p>Shapes travel through the tree the way the blocks pass data: a {@link SequentialBlock} or
 * {@link TappedSequentialBlock} feeds each child the previous child's output ({@code
 * getOutputShapes}), a {@link ParallelBlock} gives every child its own input. The walk runs at
 * batch size 1, so every count is per sample. A composite block of any other class has a data flow
 * the counter cannot know, and a leaf layer with parameters that is not listed above may multiply
 * in ways it cannot see; both fail with a message naming the block, instead of undercounting,
 * unless the block implements {@link MacCounted}. A parameterless leaf is taken to do element-wise
 * work only: a block that multiplies two activations must implement {@link MacCounted}.
 *
 * <p>The count needs no initialised weights, except for transposed convolutions, whose kernel
 * size DJL only exposes through the weight's shape. No NDArray is created, apart from the brief
 * ones DJL's lambda and parallel blocks make to infer their output shapes.
 *
 * <p>Thread-safety: stateless.
 *
 * @since 0.1
 */
public final class MacCounter {
    /** Leaf layers with parameters that do only the work fad-spec §13 does not count. */
    private static final List<Class<?>> UNCOUNTED_LAYERS = List.of(
            BatchNorm.class, LayerNorm.class, AbstractEmbedding.class, Prelu.class, Multiplication.class);

    private MacCounter() {}

    /**
     * Counts the MACs of one forward pass of {@code block} on one sample.
     *
     * @param block the model, never null
     * @param sampleShapes the shape of each input of one sample, without the batch axis, e.g.
     *     {@code (1, 28, 28)}
     * @return the MACs per sample, or {@link MacCounted#UNKNOWN} when a block of the model reports
     *     that its work cannot be seen (a TorchScript module)
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} naming a block the
     *     counter cannot count
     */
    public static long count(Block block, Shape... sampleShapes) {
        requireNonNull(block, "block is null");
        Shape[] batchOfOne = Arrays.stream(sampleShapes).map(shape -> new Shape(1).addAll(shape)).toArray(Shape[]::new);
        return new Walk().count("model", block, batchOfOne);
    }

    /** One walk; keeps the path of the block being counted for messages. */
    private static final class Walk {
        long count(String path, Block block, Shape[] inputShapes) {
            if (block instanceof MacCounted counted) {
                long macs = counted.countMultiplyAccumulates(inputShapes.clone(),
                        (child, childShapes) -> count(path + "/" + childName(block, child), child, childShapes));
                if (macs == MacCounted.UNKNOWN) {
                    return MacCounted.UNKNOWN;
                }
                if (macs < 0) {
                    throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                            "Block '%s' (%s) reported %d multiply-accumulates; a count cannot be negative.",
                            path, block.getClass().getName(), macs));
                }
                return macs;
            }
            if (block instanceof Convolution convolution) {
                return convolution(convolution, inputShapes[0]);
            }
            if (block instanceof Deconvolution deconvolution) {
                return transposedConvolution(path, deconvolution, inputShapes[0]);
            }
            if (block instanceof Linear linear) {
                // rows · in · out = (all input elements) · out, since rows · in is the input's size
                return inputShapes[0].size() * linear.getOutputShapes(inputShapes)[0].getLastDimension();
            }
            if (block instanceof SequentialBlock || block instanceof TappedSequentialBlock) {
                // TappedSequentialBlock's children are its stages, then its head, run in that order.
                long total = 0;
                Shape[] current = inputShapes;
                for (Pair<String, Block> child : block.getChildren()) {
                    total = sum(total, count(path + "/" + child.getKey(), child.getValue(), current));
                    current = child.getValue().getOutputShapes(current);
                }
                return total;
            }
            if (block instanceof ParallelBlock) {
                long total = 0;
                for (Pair<String, Block> child : block.getChildren()) {
                    total = sum(total, count(path + "/" + child.getKey(), child.getValue(), inputShapes));
                }
                return total;
            }
            if (!block.getChildren().isEmpty()) {
                throw uncountable(path, block, "a composite block whose data flow the counter does not know");
            }
            boolean uncountedLayer = UNCOUNTED_LAYERS.stream().anyMatch(type -> type.isInstance(block));
            if (!block.getDirectParameters().isEmpty() && !uncountedLayer) {
                throw uncountable(path, block, "a layer with parameters the counter does not know");
            }
            return 0;
        }

        /** A sum that stays unknown once a part is. */
        private static long sum(long total, long part) {
            return total == MacCounted.UNKNOWN || part == MacCounted.UNKNOWN ? MacCounted.UNKNOWN : total + part;
        }

        private static long convolution(Convolution convolution, Shape input) {
            long inputChannels = input.get(1);
            Shape output = convolution.getOutputShapes(new Shape[] {input})[0];
            return output.size() * (inputChannels / convolution.getGroups()) * convolution.getKernelShape().size();
        }

        /** The weight is (C_in, C_out/groups, kernel…): input elements / C_in · weight size. */
        private static long transposedConvolution(String path, Deconvolution deconvolution, Shape input) {
            Parameter weight = deconvolution.getDirectParameters().get("weight");
            if (weight == null || weight.getShape() == null) {
                throw new FadException(ErrorCode.INTERNAL, String.format(
                        "Transposed convolution '%s' must be initialised before its multiply-accumulates are counted:"
                                + " DJL exposes its kernel only through the weight's shape.", path));
            }
            return input.size() / input.get(1) * weight.getShape().size();
        }

        private static String childName(Block parent, Block child) {
            for (Pair<String, Block> pair : parent.getChildren()) {
                if (pair.getValue() == child) {
                    return pair.getKey();
                }
            }
            return child.getClass().getSimpleName();
        }

        private static FadException uncountable(String path, Block block, String what) {
            return new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Cannot count the multiply-accumulates of block '%s' (%s): it is %s. Implement %s in %s to"
                            + " report them (fad-spec §13 counts conv, linear, matmul and attention).",
                    path, block.getClass().getName(), what, MacCounted.class.getName(),
                    block.getClass().getSimpleName()));
        }
    }
}
