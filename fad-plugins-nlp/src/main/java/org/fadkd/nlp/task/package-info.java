/**
 * The text tasks (fad-spec §12): {@code text-classification} (cross-entropy loss, accuracy and F1)
 * for the classified text datasets of {@code org.fadkd.nlp.data}, and {@code language-modelling}
 * (next-token cross-entropy, perplexity) for {@code sotu-lm}.
 */
package org.fadkd.nlp.task;
