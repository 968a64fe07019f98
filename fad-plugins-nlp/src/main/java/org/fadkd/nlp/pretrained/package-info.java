/**
 * Pretrained files the NLP plugin can download on request ({@code runner data fetch}), offered as
 * {@link org.fadkd.api.DownloadableAsset}s: {@link org.fadkd.nlp.pretrained.MiniLmFiles}
 * ({@code minilm}), all-MiniLM-L6-v2's ONNX weights and tokenizer.
 */
package org.fadkd.nlp.pretrained;
