/**
 * Batching, kept apart from loading: {@link org.fadkd.engine.data.BatchPlan} decides which sample
 * indices form each batch of an epoch (seeded shuffling, last partial batch dropped), so the order
 * is reproducible from the seed whatever the dataset. {@link
 * org.fadkd.engine.data.HeldOutValidation} holds part of a training split out as validation, and
 * {@link org.fadkd.engine.data.InputShapes} gives a dataset's input shapes in the forms DJL takes.
 */
package org.fadkd.engine.data;
