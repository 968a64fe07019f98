/**
 * Student selection (fad-spec §10): measure candidate students, drop those over the budgets, score
 * the rest by flow analysis of their untrained weights (and optionally a short warm-up with the proxy's method), rank
 * them, and, to validate the ranking honestly, correlate the scores with the accuracies the
 * candidates reach when all of them are distilled.
 *
 * <p>NDArray ownership: every array a selection creates lives in a sub-manager of the manager the
 * caller passes in, or in a candidate model's own manager, and is closed before the method
 * returns; results are plain Java values.
 *
 * @since 0.1
 */
package org.fadkd.engine.selection;
