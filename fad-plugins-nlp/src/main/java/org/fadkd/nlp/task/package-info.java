/**
 * Task {@code text-classification}: cross-entropy loss, accuracy and F1 (fad-spec §12), for the
 * text datasets of {@code org.fadkd.nlp.data}.
 */
package org.fadkd.nlp.task;
