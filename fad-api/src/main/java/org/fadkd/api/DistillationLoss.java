package org.fadkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A distillation method: it turns a {@link DistillationBatch} into the loss the student is trained
 * on (fad-spec §11). Created once per job by a {@link DistillationLossFactory}.
 *
 * <p>Every method defines a distillation term {@code D_X} ({@link #distillationTerm}); run alone its
 * loss is {@link #compute}, for example {@code (1 − α)·L_task + α·D_kd} for kd. A method that
 * composes others (fad's {@code kd-term}) calls their {@link #distillationTerm} unscaled.
 *
 * <p>Lifecycle: {@link #prepare} once, on a probe batch, before the first step; then {@link
 * #compute} per training batch on the training thread. Not required to be thread-safe.
 *
 * @since 0.1
 */
public interface DistillationLoss {
    /**
     * Computes the distillation term {@code D_X} of one batch, unscaled.
     *
     * @param batch the batch, never null
     * @return a scalar attached to {@code batch.manager()}, differentiable w.r.t. the student
     * @since 0.1
     */
    NDArray distillationTerm(DistillationBatch batch);

    /**
     * Computes the loss to back-propagate when this method trains a student by itself.
     *
     * @param batch the batch, never null
     * @return the total and its named parts, attached to {@code batch.manager()}, never null
     * @since 0.1
     */
    LossValue compute(DistillationBatch batch);

    /**
     * Returns what this method needs in a batch beyond the student output, labels and task loss.
     *
     * @return the required fields, never null
     * @since 0.1
     */
    default Set<BatchField> getRequirements() {
        return EnumSet.of(BatchField.TEACHER_OUTPUT);
    }

    /**
     * Checks that the models fit this method and builds its extra modules (fad-spec §11) from the
     * tapped shapes of a probe batch. Called once per run, before the first {@link #compute}.
     *
     * <p>Extra modules (regressors, projection heads, generation blocks, variance parameters) are
     * initialised here on {@link MethodSetup#manager()} and returned by {@link
     * #getTrainableBlocks()}; buffers without gradient (memory banks) belong in those blocks too,
     * as parameters that do not require a gradient, so that checkpoints save them.
     *
     * @param setup the shapes, sizes and manager of the run, never null
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the models cannot
     *     provide what the method needs (the message names the method, the model and what is
     *     missing)
     * @since 0.1
     */
    default void prepare(MethodSetup setup) {}

    /**
     * Returns the method's extra modules, trained jointly with the student by the same optimizer
     * settings, saved in checkpoints and never exported with the student. The method runs them in
     * {@link #compute} with {@code block.forward(batch.moduleParameters(), inputs, true)}.
     *
     * @return the blocks, initialised by {@link #prepare}, in a fixed order (checkpoints restore
     *     them by position), never null
     * @since 0.1
     */
    default List<Block> getTrainableBlocks() {
        return List.of();
    }

    /**
     * Returns the flow metric whose mean teacher profile {@code D̄^T} this method wants from the
     * host's teacher-flow cache (fad-spec §9), or null when it wants none.
     *
     * <p>Called by the host once per job, after the method is created and the teacher obtained,
     * before {@link #prepare}. The host does not know the method's classes (it may live in another
     * class loader), so this is how it learns that a profile is wanted and with which metric; it
     * identifies the metric in cache keys by the method's configuration, not by this object.
     *
     * @return the metric, shared by teacher and student; null (the default) when the method uses no
     *     mean teacher profile
     * @since 0.1
     */
    default FlowMetric getTeacherFlowMetric() {
        return null;
    }

    /**
     * Returns how this method compares teacher and student flow profiles, so that the host's flow
     * report and student selection measure what its loss aligns (a host never reads a method's
     * settings itself). It also identifies the method's teacher flow metric in the teacher-flow
     * cache's key.
     *
     * @return the metric section and depth distribution; null (the default) for the host's
     *     defaults, {@code cka} and {@code L1} (fad-spec §2–§3)
     * @since 0.2
     */
    default FlowComparison getFlowComparison() {
        return null;
    }

    /**
     * Supplies the mean teacher profile {@code D̄^T} computed with {@link #getTeacherFlowMetric()}
     * over the training split at the training batch size (fad-spec §9).
     *
     * <p>Called by the host at most once per job, after {@link #getTeacherFlowMetric()} returned a
     * metric and before {@link #prepare} and the first {@link #compute}; never called when the
     * teacher-flow cache is off, in which case the method works from each batch's teacher profile.
     * The default ignores the profile.
     *
     * @param profile the {@code P_T} points of {@code D̄^T} in tap order, never null; a plain
     *     Java array (no NDArray, so nothing to close) that the host neither keeps nor modifies:
     *     the method may hold on to it
     * @since 0.1
     */
    default void setMeanTeacherProfile(double[] profile) {}

    /**
     * Returns the method's resumable state, to be saved in a checkpoint (fad-spec §8): what the
     * method keeps between batches beyond its trainable parameters, such as a curriculum position,
     * running statistics or a mask.
     *
     * <p>Called by the host at the end of each epoch, after the epoch's last {@link #compute}, on
     * the training thread. The values must be JSON-compatible: numbers, booleans, strings, lists
     * and maps with string keys of these, nested as needed; no NDArray and no null. A checkpoint
     * may store them as JSON, so integers can come back as floating-point numbers of integral
     * value, and numbers in general as another {@link Number} type.
     *
     * @return a snapshot the host may keep and serialise, never null; empty (the default) when the
     *     method is stateless
     * @since 0.1
     */
    default Map<String, Object> getState() {
        return Map.of();
    }

    /**
     * Continues from a state returned by {@link #getState()} of a run of the same method, models
     * and settings, so that a resumed run trains as the interrupted one would have.
     *
     * <p>Called by the host at most once per run, before the first {@link #compute} of a resumed
     * run (after {@link #setMeanTeacherProfile} and {@link #prepare}); never called for a run that
     * starts from scratch, nor with the empty state of a stateless method. The default ignores the
     * state.
     *
     * @param state the saved state after a trip through the checkpoint's format (see {@link
     *     #getState()} for what may change), never null
     * @throws IllegalArgumentException when the state is not one this method wrote
     * @since 0.1
     */
    default void restoreState(Map<String, Object> state) {}

    /**
     * Says whether this method can take the mean teacher profile {@code D̄^T} it was given with
     * {@link #setMeanTeacherProfile} as its target profile, so that it needs {@link
     * BatchField#TEACHER_TAPS} only for a profile it already has (fad-spec §9, teacher-logit cache).
     *
     * <p>Called by the host after {@link #setMeanTeacherProfile} (or without it, when the cache is
     * off) and before {@link #prepare}. When it returns true and the host has the teacher's outputs
     * from a cache, the host may skip the teacher forward: {@link #compute} and {@link
     * #distillationTerm} then get batches whose {@link DistillationBatch#teacherTaps()} is empty,
     * and the method must use {@code D̄^T} in place of the batch's teacher profile. Batches with
     * teacher taps are still handled as before. A method that returns true must not need {@code
     * TEACHER_TAPS} for anything else (feature losses, a kd-term that reads taps).
     *
     * @return true when empty teacher taps are acceptable; false (the default) when this method
     *     needs the teacher's taps in every batch, or was given no mean profile
     * @since 0.1
     */
    default boolean canUseMeanProfileAsTarget() {
        return false;
    }
}
