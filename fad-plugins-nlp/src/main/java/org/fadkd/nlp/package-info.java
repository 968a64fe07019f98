/** The NLP plugin's entry point, {@link org.fadkd.nlp.NlpPlugin}. */
package org.fadkd.nlp;
