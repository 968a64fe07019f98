package org.fadkd.nlp.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FileTensor;

/** Checks and name maps the text architectures share. */
final class TextArchitectures {
    /**
     * The convention of Hugging Face transformers' {@code state_dict} names ({@code weights.names =
     * huggingface}), as in a model's {@code model.safetensors} or an ONNX export.
     */
    static final String HUGGING_FACE = "huggingface";

    private TextArchitectures() {}

    /**
     * Checks that one sample is a sequence of token ids, shape (L), that the position table covers.
     *
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} otherwise
     */
    static void checkTextInput(String architecture, Shape sampleShape, int maxPositions, int outputSize) {
        if (sampleShape.dimension() != 1) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Architecture '%s' takes token ids, one sequence of shape (L) per sample, but the dataset's samples"
                            + " have shape %s. Use a text dataset.", architecture, sampleShape));
        }
        if (sampleShape.get(0) > maxPositions) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Architecture '%s' has %d positions (max-positions) but the dataset's sequences are %d tokens"
                            + " long. Shorten the dataset's sequences or raise 'max-positions' (a pretrained model's"
                            + " table cannot grow).", architecture, maxPositions, sampleShape.get(0)));
        }
        if (outputSize < 1) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Architecture '%s' needs at least one output, got %d.", architecture, outputSize));
        }
    }

    /**
     * The block's DJL parameter names, in the block's order, to the file names a model gives its
     * parameters.
     */
    static Map<String, FileTensor> byDjlName(Block block, Map<Parameter, String> fileNames) {
        Map<String, FileTensor> names = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            String name = fileNames.get(pair.getValue());
            if (name == null) {
                throw new IllegalStateException("no file name for parameter " + pair.getKey());
            }
            names.put(pair.getKey(), FileTensor.whole(name));
        }
        return names;
    }
}
