/**
 * Batching, kept apart from loading: {@link org.fadkd.engine.data.BatchPlan} decides which sample
 * indices form each batch of an epoch (seeded shuffling, last partial batch dropped), so the order
 * is reproducible from the seed whatever the dataset.
 *
 * <p>Plain Java: no NDArray, no fad-api type, no other engine package.
 */
package org.fadkd.engine.data;
