/**
 * Transformer architectures for text, built natively in DJL: {@code bert} (a BERT-style encoder
 * with a classifier, onto which Hugging Face BERT checkpoints and the ONNX export of
 * all-MiniLM-L6-v2 load through a model section's {@code weights}) and {@code gpt} (a GPT-2-style
 * causal decoder with a language-model head).
 *
 * <p>Input contract: {@code NDList(ids (B, L) int64, mask (B, L) int64)}, the mask 1 for a token
 * and 0 for padding; BERT also takes an optional third array of token types. Output: the logits,
 * then the taps in execution order.
 */
package org.fadkd.nlp.model;
