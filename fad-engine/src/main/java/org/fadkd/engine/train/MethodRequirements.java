package org.fadkd.engine.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fadkd.api.BatchField;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.engine.model.TappedModel;

/**
 * What the host checks and derives from a method's {@linkplain
 * org.fadkd.api.DistillationLoss#getRequirements() requirements} before the method sees a batch
 * (fad-spec §11): a method that needs something a model cannot provide fails when the run is
 * built, naming the model and what is missing.
 */
public final class MethodRequirements {
    private MethodRequirements() {}

    /**
     * Fails when the method needs embeddings and the student, or the teacher when one is given,
     * exposes none.
     *
     * @param method the method's name, for the message
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS}
     */
    public static void checkEmbeddings(String method, Set<BatchField> needs, TappedModel student, TappedModel teacher) {
        if (!needs.contains(BatchField.EMBEDDINGS)) {
            return;
        }
        for (TappedModel model : teacher == null ? new TappedModel[] {student} : new TappedModel[] {student, teacher}) {
            if (model.embedding() == EmbeddingSource.NONE) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                        "Method '%s' needs embeddings (the input of the final classifier, fad-spec §1), but the %s"
                                + " model exposes none: its architecture's getEmbeddingSource() is NONE. Choose an"
                                + " architecture that declares one, or another method.",
                        method, model.name()));
            }
        }
    }

    /**
     * Checks before anything trains that a method fits the models: its embedding requirement and
     * its own {@link DistillationLoss#prepare} on tap shapes derived from the blocks' declared
     * output shapes (no forward pass, so an untrained teacher will do). The method instance is
     * used up: give a fresh one, not the one that will train.
     *
     * @param method the method's name, for messages
     * @param probe a fresh instance of the method
     * @param teacher the teacher, its block set, initialised or not
     * @param student the student, its block set, initialised or not
     * @param inputShapes the shape of each input of one sample, without the batch axis ({@link
     *     org.fadkd.api.LabeledDataset#getInputShapes()})
     * @param trainingSamples the training split's size
     * @param epochs the epochs the run will train
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when they do not fit
     */
    public static void preflight(String method, DistillationLoss probe, TappedModel teacher, TappedModel student,
            List<Shape> inputShapes, int trainingSamples, int epochs, long seed) {
        Set<BatchField> needs = probe.getRequirements();
        boolean usesTeacher = needs.contains(BatchField.TEACHER_OUTPUT) || needs.contains(BatchField.TEACHER_TAPS)
                || needs.contains(BatchField.EMBEDDINGS);
        checkEmbeddings(method, needs, student, usesTeacher ? teacher : null);
        TapLayout teacherLayout = usesTeacher ? declaredLayout(teacher, inputShapes) : new TapLayout(List.of(), List.of());
        TapLayout studentLayout = declaredLayout(student, inputShapes);
        try (NDManager manager = student.model().getNDManager().newSubManager()) {
            probe.prepare(new MethodSetup(teacherLayout, studentLayout,
                    usesTeacher ? embeddingSize(teacher, teacherLayout) : 0, embeddingSize(student, studentLayout),
                    teacher.name(), student.name(), manager, trainingSamples, null, epochs, seed));
        }
    }

    /** The taps' shapes as the block declares them for a batch of one, without the batch axis. */
    private static TapLayout declaredLayout(TappedModel model, List<Shape> inputShapes) {
        // Every input, not only the first: a text model's output shapes may depend on its mask's too.
        Shape[] batchOfOne = inputShapes.stream().map(shape -> new Shape(1).addAll(shape)).toArray(Shape[]::new);
        Shape[] shapes = model.model().getBlock().getOutputShapes(batchOfOne);
        if (shapes.length != model.tapNames().size() + 1) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Model '%s' declares %d taps %s but its block declares %d tap outputs.",
                    model.name(), model.tapNames().size(), model.tapNames(), shapes.length - 1));
        }
        List<Shape> taps = new ArrayList<>();
        for (int i = 1; i < shapes.length; i++) {
            taps.add(shapes[i].slice(1));
        }
        return new TapLayout(model.tapNames(), taps);
    }

    /** {@code d} of a model given its tap layout, or 0 when it has no model, taps or embedding. */
    static long embeddingSize(TappedModel model, TapLayout layout) {
        if (model == null || layout.size() == 0 || model.embedding() == EmbeddingSource.NONE) {
            return 0;
        }
        return model.embedding().size(layout.shapes().get(layout.size() - 1));
    }
}
