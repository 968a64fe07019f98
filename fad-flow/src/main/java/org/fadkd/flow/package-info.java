/**
 * Flow and alignment math of fad-spec §1–§6: flow profiles from tap outputs, depth
 * interpolation and resampling, depth alignment, teacher layer and depth weights, and the adaptive
 * loss weights.
 *
 * <p>NDArray ownership, everywhere in this package: a returned array is attached to the manager of
 * the first array argument (DJL attaches an op's result to its first operand's manager), unless a
 * method takes an explicit {@code NDManager}. Callers close it by closing that manager.
 *
 * @since 0.1
 */
package org.fadkd.flow;
