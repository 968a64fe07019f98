/**
 * Methods that distil attention distributions of transformer models: {@code minilm}, MiniLM's
 * self-attention distillation (Wang et al. 2020).
 *
 * <p>They read an attention tap, the probabilities {@code (B, heads, L, L)} an architecture exposes
 * beside its hidden-state taps (fad-plugins-nlp's {@code bert} with {@code attention-tap = true}),
 * chosen by name. Unlike the feature methods ({@code org.fadkd.distill.method.feature}) they build no
 * extra modules: attention distributions over the same tokens are comparable as they are.
 *
 * @since 0.2
 */
package org.fadkd.distill.method.attention;
