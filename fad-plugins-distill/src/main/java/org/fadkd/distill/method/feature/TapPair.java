package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;

/**
 * A teacher tap paired with a student tap, resolved against the models' tap layouts.
 *
 * @param teacherTap the teacher tap's name, never null
 * @param teacherIndex its position among the teacher's taps
 * @param teacherShape its per-sample shape (no batch axis), never null
 * @param studentTap the student tap's name, never null
 * @param studentIndex its position among the student's taps
 * @param studentShape its per-sample shape (no batch axis), never null
 * @since 0.1
 */
public record TapPair(
        String teacherTap, int teacherIndex, Shape teacherShape,
        String studentTap, int studentIndex, Shape studentShape) {
    public TapPair {
        requireNonNull(teacherTap, "teacherTap is null");
        requireNonNull(teacherShape, "teacherShape is null");
        requireNonNull(studentTap, "studentTap is null");
        requireNonNull(studentShape, "studentShape is null");
    }

    /**
     * Says whether both taps are feature maps {@code (B, C, H, W)}.
     *
     * @return true for two 4-D taps
     * @since 0.1
     */
    public boolean isSpatial() {
        return teacherShape.dimension() == 3 && studentShape.dimension() == 3;
    }

    /**
     * Returns the teacher's channels {@code C_T}: the first per-sample axis of a feature map, the
     * last axis otherwise.
     *
     * @return the channel count
     * @since 0.1
     */
    public long teacherChannels() {
        return channels(teacherShape);
    }

    /**
     * Returns the student's channels {@code C_S}, as {@link #teacherChannels()}.
     *
     * @return the channel count
     * @since 0.1
     */
    public long studentChannels() {
        return channels(studentShape);
    }

    /**
     * Returns the student tap's per-sample shape after the shape-matching rule: a feature map's
     * spatial size becomes {@code (min(H_S, H_T), min(W_S, W_T))}; other taps keep theirs.
     *
     * @return the shape, never null
     * @since 0.1
     */
    public Shape matchedStudentShape() {
        return matched(studentShape);
    }

    /**
     * Returns the teacher tap's per-sample shape after the shape-matching rule, as {@link
     * #matchedStudentShape()}.
     *
     * @return the shape, never null
     * @since 0.1
     */
    public Shape matchedTeacherShape() {
        return matched(teacherShape);
    }

    private Shape matched(Shape shape) {
        if (!isSpatial()) {
            return shape;
        }
        return new Shape(shape.get(0),
                Math.min(teacherShape.get(1), studentShape.get(1)),
                Math.min(teacherShape.get(2), studentShape.get(2)));
    }

    private static long channels(Shape shape) {
        return shape.dimension() == 3 ? shape.get(0) : shape.get(shape.dimension() - 1);
    }
}
