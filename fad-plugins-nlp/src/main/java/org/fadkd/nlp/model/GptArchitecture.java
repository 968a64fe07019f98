package org.fadkd.nlp.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fadkd.api.Architecture;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FileTensor;

/**
 * A GPT-2-style causal decoder ({@link GptModel}) whose output is next-token logits (B, L, V), V
 * being the task's output count. Taps: {@code embeddings}, {@code block1} … {@code blockN}, each
 * (B, L, H). It declares no embedding: a language model has no classifier input.
 */
final class GptArchitecture implements Architecture {
    private final GptSettings settings;

    GptArchitecture(GptSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * @param outputSize the vocabulary the logits range over, the task's; equal to {@code
     *     vocab-size} when that is set
     */
    @Override
    public Block newBlock(Shape sampleShape, int outputSize) {
        requireNonNull(sampleShape, "sampleShape is null");
        TextArchitectures.checkTextInput(GptArchitectureFactory.NAME, sampleShape, settings.maxPositions(), outputSize);
        if (settings.vocabularySize() != 0 && settings.vocabularySize() != outputSize) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Architecture '%s' has a vocabulary of %d tokens (vocab-size) but the task predicts %d. Set"
                            + " 'vocab-size' to 0 to take the task's, or use the tokenizer the model was trained with.",
                    GptArchitectureFactory.NAME, settings.vocabularySize(), outputSize));
        }
        return new GptModel(settings, outputSize);
    }

    @Override
    public List<String> getTapNames() {
        List<String> names = new ArrayList<>();
        names.add("embeddings");
        for (int block = 1; block <= settings.layers(); block++) {
            names.add("block" + block);
        }
        return List.copyOf(names);
    }

    /**
     * Hugging Face's names ({@code huggingface}): {@code GPT2Model}'s ({@code wte}, {@code wpe},
     * {@code h.N.*}, {@code ln_f}), and {@code lm_head.weight} for an untied head. A {@code
     * GPT2LMHeadModel} file puts the decoder under {@code transformer.}, which the host finds
     * itself. Every weight has GPT-2's own layout, Conv1D's (in, out) included.
     */
    @Override
    public Map<String, FileTensor> getParameterNames(String convention, Block block) {
        if (!convention.equals(TextArchitectures.HUGGING_FACE) || !(block instanceof GptModel model)) {
            return Map.of();
        }
        return TextArchitectures.byDjlName(block, model.huggingFaceNames());
    }
}
