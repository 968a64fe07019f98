/**
 * Tokenizers for text datasets: {@link org.fadkd.nlp.tokenize.TextEncoder}, the contract, and
 * {@link org.fadkd.nlp.tokenize.TextEncoders}, which builds one from a dataset's {@code tokenizer}
 * section ({@link org.fadkd.nlp.tokenize.TokenizerSettings}). Every kind ends as a Hugging Face
 * {@code tokenizer.json} encoded by DJL's Hugging Face tokenizers ({@link
 * org.fadkd.nlp.tokenize.HuggingFaceTextEncoder}): a user's file, GPT-2's byte-level BPE assembled
 * from OpenAI's files, or a WordPiece vocabulary built from the training texts.
 */
package org.fadkd.nlp.tokenize;
