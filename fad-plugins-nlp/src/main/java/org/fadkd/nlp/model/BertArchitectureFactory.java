package org.fadkd.nlp.model;

/**
 * Architecture {@code bert}: a BERT-style encoder with a classifier on the first token. Its
 * defaults are all-MiniLM-L6-v2's shape (6 layers, 384 wide, 12 heads, 22,565,376 encoder
 * parameters), whose ONNX export loads through {@code weights { file = all-minilm-l6-v2.onnx,
 * new-head = true }}; Hugging Face BERT safetensors load with their own names.
 */
public final class BertArchitectureFactory extends TextArchitectureFactory<BertSettings> {
    public static final String NAME = "bert";

    public BertArchitectureFactory() {
        super(NAME, BertSettings::from, BertArchitecture::new);
    }
}
