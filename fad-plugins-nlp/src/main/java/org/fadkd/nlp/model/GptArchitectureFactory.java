package org.fadkd.nlp.model;

/**
 * Architecture {@code gpt}: a GPT-2-style causal decoder with a language-model head. Its defaults
 * are GPT-2 small's shape (124,439,808 parameters with GPT-2's 50,257-token vocabulary, tied head);
 * Hugging Face GPT-2 checkpoints load with their own names.
 */
public final class GptArchitectureFactory extends TextArchitectureFactory<GptSettings> {
    public static final String NAME = "gpt";

    public GptArchitectureFactory() {
        super(NAME, GptSettings::from, GptArchitecture::new);
    }
}
