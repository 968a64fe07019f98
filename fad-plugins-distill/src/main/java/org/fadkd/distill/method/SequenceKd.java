package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.flow.Scalars;

/**
 * Knowledge distillation per position of a sequence model's output (fad-spec §12, language
 * modelling): the output is {@code (B, L, V)}, next-token logits over a vocabulary of {@code V} ids at
 * each of {@code L} positions, and
 * <pre>
 * D = T²·(1/N) Σ_{b,t} m_{b,t} · KL(softmax(z^T_{b,t}/T) ‖ softmax(z^S_{b,t}/T)),   N = Σ_{b,t} m_{b,t}
 * </pre>
 * the teacher constant, where {@code m} is the position mask: 1 where the input holds a token, 0
 * on padding. Every token position counts, the last one of a sequence included (its next-token
 * distribution is the teacher's as much as any other); padding positions count for nothing, whatever
 * their logits.
 *
 * <p>Where the mask comes from: a method sees the labels, not the inputs. A per-position task's
 * labels carry the position mask {@code (B, L)}, 1 for a token and 0 for padding, as their last
 * array; task {@code language-modelling}'s labels are the inputs again, {@code (ids (B, L), mask (B,
 * L))}.
 *
 * <p>Teacher and student must share the tokenizer and vocabulary: logits over different
 * vocabularies are refused, naming both sizes.
 *
 * @since 0.2
 */
public final class SequenceKd {
    private SequenceKd() {}

    /**
     * Says whether an output is a sequence model's per-position logits {@code (B, L, V)}.
     *
     * @param shape an output's shape, never null
     * @return true for rank 3
     * @since 0.2
     */
    public static boolean isPerPosition(Shape shape) {
        return requireNonNull(shape, "shape is null").dimension() == 3;
    }

    /**
     * Computes {@code D} between two per-position outputs.
     *
     * @param student the student's logits {@code (B, L, V)}, with gradient, never null
     * @param teacher the teacher's logits {@code (B, L, V)}, treated as a constant, never null
     * @param labels the batch labels, whose last array is the position mask {@code (B, L)} (any
     *     numeric type; nonzero marks a token), never null
     * @param temperature {@code T > 0}
     * @param method the method asking, for messages, never null
     * @return a scalar in the logits' data type, attached to the student logits' manager (the
     *     batch's)
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the vocabularies or
     *     the sequence shapes differ, when the labels carry no mask of shape {@code (B, L)}, or when
     *     the mask marks no token
     * @since 0.2
     */
    public static NDArray divergence(
            NDArray student, NDArray teacher, NDList labels, double temperature, String method) {
        requireNonNull(student, "student is null");
        requireNonNull(teacher, "teacher is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(method, "method is null");
        checkShapes(student.getShape(), teacher.getShape(), method);
        NDArray mask = positionMask(labels, student.getShape(), method).toType(student.getDataType(), false);
        // The number of positions is read back to the host: a Java constant, like B in batchmean.
        double positions = mask.sum().toType(DataType.FLOAT64, false).getDouble();
        if (!(positions > 0)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s': the position mask of the labels marks no token in a batch of shape %s, so there"
                            + " is nothing to distil. Every sequence must hold at least one token.",
                    method, student.getShape()));
        }
        NDArray teacherLog = Scalars.div(teacher.stopGradient(), temperature).logSoftmax(-1);
        NDArray studentLog = Scalars.div(student, temperature).logSoftmax(-1);
        // KL per position (B, L), summed over the vocabulary; then padding positions weigh 0.
        NDArray perPosition = teacherLog.exp().mul(teacherLog.sub(studentLog)).sum(new int[] {-1});
        return Scalars.mul(perPosition.mul(mask).sum(), temperature * temperature / positions);
    }

    /** The labels' last array, checked to be one mask value per position of the output. */
    private static NDArray positionMask(NDList labels, Shape output, String method) {
        Shape expected = new Shape(output.get(0), output.get(1));
        NDArray mask = labels.isEmpty() ? null : labels.get(labels.size() - 1);
        if (mask == null || !mask.getShape().equals(expected)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' distils per-position logits %s position by position and needs the position mask"
                            + " %s (1 for a token, 0 for padding) as the last array of the labels, got labels %s."
                            + " Use task 'language-modelling', whose labels are (ids, mask).",
                    method, output, expected, shapes(labels)));
        }
        return mask;
    }

    private static void checkShapes(Shape student, Shape teacher, String method) {
        if (!isPerPosition(student) || !isPerPosition(teacher)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' distils per-position logits only between two sequence models, whose outputs are"
                            + " (B, L, V); the student gives %s, the teacher %s.",
                    method, student, teacher));
        }
        long teacherVocabulary = teacher.get(2);
        long studentVocabulary = student.get(2);
        if (teacherVocabulary != studentVocabulary) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' needs teacher and student logits over the same vocabulary: the teacher gives '%d'"
                            + " token ids %s, the student '%d' %s. Teacher and student must share the tokenizer and"
                            + " vocabulary (fad-spec §12): build both for the same dataset and tokenizer.",
                    method, teacherVocabulary, teacher, studentVocabulary, student));
        }
        if (teacher.get(0) != student.get(0) || teacher.get(1) != student.get(1)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' needs teacher and student logits for the same sequences: the teacher gives %s, the"
                            + " student %s.",
                    method, teacher, student));
        }
    }

    private static String shapes(NDList labels) {
        StringBuilder shapes = new StringBuilder("[");
        for (int i = 0; i < labels.size(); i++) {
            shapes.append(i == 0 ? "" : ", ").append(labels.get(i).getShape());
        }
        return shapes.append(']').toString();
    }
}
