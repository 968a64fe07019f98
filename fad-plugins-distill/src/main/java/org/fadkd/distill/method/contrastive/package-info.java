/**
 * Contrastive representation distillation, method {@code crd} (fad-spec §11.5).
 *
 * <p>{@link org.fadkd.distill.method.contrastive.CrdLoss} projects both embeddings with trained
 * heads and contrasts them either against memory banks of past projections ({@code objective =
 * memory}, RepDistiller's NCE form) or within the batch ({@code objective = in-batch}). The banks
 * are parameters without gradient of a block of the method's own, so the engine's checkpoints save
 * and restore them with the heads.
 *
 * <p>Native memory: the heads and banks live on the run's manager, every per-step array on the
 * batch manager. Operations are therefore called on batch arrays, and rows are read from a bank
 * with {@code get(batchManager, index)}, so that no per-step result lands on the run's manager.
 *
 * @since 0.1
 */
package org.fadkd.distill.method.contrastive;
