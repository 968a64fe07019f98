package org.fadkd.distill.method.feature;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.MethodSetup;
import org.fadkd.api.TapLayout;
import org.fadkd.distill.method.feature.FeatureSettings.NamedPair;

/**
 * Feature taps and how teacher and student taps are paired (fad-spec §1).
 *
 * <p>Feature taps of a layout whose taps are all feature maps {@code (B, C, H, W)}: the last tap of
 * each run of consecutive taps with equal spatial size, one per resolution stage. Of any other
 * layout (taps {@code (B, N, D)} or {@code (B, D)}, or a mix): the taps at indices {@code round(q(L
 * − 1)/3)}, {@code q = 1, 2, 3}, each once. Student feature tap {@code j} of {@code n_S} is paired
 * with the teacher feature tap {@code i} of {@code n_T} whose depth {@code i/(n_T − 1)} is nearest
 * to {@code j/(n_S − 1)}, ties to the smaller {@code i}; a single feature tap has depth 0, as a
 * single profile point does in §1. An explicit {@code pairs} setting overrides all this.
 *
 * @since 0.1
 */
public final class FeaturePairing {
    private FeaturePairing() {}

    /**
     * Returns the feature taps of a layout.
     *
     * @param layout the taps, never null
     * @return indices into the layout, increasing, without repeats; empty for an empty layout
     * @since 0.1
     */
    public static List<Integer> featureTaps(TapLayout layout) {
        List<Shape> shapes = layout.shapes();
        List<Integer> taps = new ArrayList<>();
        if (shapes.isEmpty()) {
            return taps;
        }
        if (shapes.stream().allMatch(shape -> shape.dimension() == 3)) {
            for (int k = 0; k < shapes.size(); k++) {
                boolean lastOfRun = k == shapes.size() - 1
                        || !spatialSize(shapes.get(k)).equals(spatialSize(shapes.get(k + 1)));
                if (lastOfRun) {
                    taps.add(k);
                }
            }
            return taps;
        }
        // q(L − 1)/3 has fractional part 0, 1/3 or 2/3, so Math.round never meets a tie.
        Set<Integer> distinct = new LinkedHashSet<>();
        for (int q = 1; q <= 3; q++) {
            distinct.add((int) Math.round(q * (shapes.size() - 1) / 3.0));
        }
        taps.addAll(distinct);
        return taps;
    }

    /**
     * Returns the teacher feature tap paired with a student feature tap by depth.
     *
     * @param student {@code j}, in {@code [0, n_S)}
     * @param studentCount {@code n_S >= 1}
     * @param teacherCount {@code n_T >= 1}
     * @return {@code i}, in {@code [0, n_T)}
     * @since 0.1
     */
    public static int pairedTeacherTap(int student, int studentCount, int teacherCount) {
        if (studentCount < 1 || teacherCount < 1 || student < 0 || student >= studentCount) {
            throw new IllegalArgumentException(
                    "student feature tap " + student + " of " + studentCount + ", "
                            + teacherCount + " teacher feature taps");
        }
        if (teacherCount == 1 || studentCount == 1) {
            return 0;
        }
        // |i/(n_T−1) − j/(n_S−1)| scaled by (n_T−1)(n_S−1): exact integers, so ties are real ties.
        long best = Long.MAX_VALUE;
        int nearest = 0;
        for (int i = 0; i < teacherCount; i++) {
            long distance = Math.abs((long) i * (studentCount - 1) - (long) student * (teacherCount - 1));
            if (distance < best) {
                best = distance;
                nearest = i;
            }
        }
        return nearest;
    }

    /**
     * Pairs every student feature tap with a teacher feature tap by depth.
     *
     * @param teacher the teacher's taps, not empty
     * @param student the student's taps, not empty
     * @return one pair per student feature tap, in the student's order
     * @since 0.1
     */
    public static List<TapPair> automatic(TapLayout teacher, TapLayout student) {
        List<Integer> teacherTaps = featureTaps(teacher);
        List<Integer> studentTaps = featureTaps(student);
        if (teacherTaps.isEmpty() || studentTaps.isEmpty()) {
            throw new IllegalArgumentException("both layouts need taps");
        }
        List<TapPair> pairs = new ArrayList<>();
        for (int j = 0; j < studentTaps.size(); j++) {
            int i = pairedTeacherTap(j, studentTaps.size(), teacherTaps.size());
            pairs.add(pair(teacher, teacherTaps.get(i), student, studentTaps.get(j)));
        }
        return pairs;
    }

    /**
     * Returns the pairs a method uses: the explicit ones when given, else the automatic pairing;
     * then checks that each pair's taps can be compared (both feature maps, or both {@code (B, N,
     * D)} with the same {@code N}, or both {@code (B, D)}).
     *
     * @param method the method's name, for messages, never null
     * @param setup the run's layouts and model names, never null
     * @param explicit the {@code pairs} setting, never null
     * @return at least one pair
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when a model has no taps,
     *     an explicit pair names a tap its model does not declare (every such name is listed), or
     *     a pair's taps cannot be compared
     * @since 0.1
     */
    public static List<TapPair> resolve(String method, MethodSetup setup, List<NamedPair> explicit) {
        List<TapPair> pairs = explicit.isEmpty() ? automatic(method, setup) : named(method, setup, explicit);
        for (TapPair pair : pairs) {
            checkComparable(method, setup, pair);
        }
        return pairs;
    }

    /**
     * Fails unless both taps of a pair are feature maps {@code (B, C, H, W)}.
     *
     * @param method the method's name, for messages, never null
     * @param setup the run's model names, never null
     * @param pair the pair, never null
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} naming the method, the
     *     model, the tap and its shape
     * @since 0.1
     */
    public static void requireFeatureMaps(String method, MethodSetup setup, TapPair pair) {
        requireFeatureMap(method, "teacher", pair.teacherTap(), setup.teacherModel(), pair.teacherShape());
        requireFeatureMap(method, "student", pair.studentTap(), setup.studentModel(), pair.studentShape());
    }

    private static void requireFeatureMap(String method, String role, String tap, String model, Shape shape) {
        if (shape.dimension() != 3) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' needs feature maps (B, C, H, W), but %s tap '%s' of model '%s' has shape %s."
                            + " Use convolutional models, or name feature-map taps in 'pairs'.",
                    method, role, tap, model, describe(shape)));
        }
    }

    private static List<TapPair> automatic(String method, MethodSetup setup) {
        requireTaps(method, setup.teacher(), setup.teacherModel());
        requireTaps(method, setup.student(), setup.studentModel());
        return automatic(setup.teacher(), setup.student());
    }

    private static void requireTaps(String method, TapLayout layout, String model) {
        if (layout.size() == 0) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' needs feature taps, but model '%s' declares no taps.", method, model));
        }
    }

    private static List<TapPair> named(String method, MethodSetup setup, List<NamedPair> explicit) {
        List<String> problems = new ArrayList<>();
        List<TapPair> pairs = new ArrayList<>();
        for (NamedPair named : explicit) {
            int teacher = find(method, "teacher", named.teacherTap(), setup.teacher(), setup.teacherModel(), problems);
            int student = find(method, "student", named.studentTap(), setup.student(), setup.studentModel(), problems);
            if (teacher >= 0 && student >= 0) {
                pairs.add(pair(setup.teacher(), teacher, setup.student(), student));
            }
        }
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Method '" + method + "' cannot use its 'pairs':", problems);
        }
        return pairs;
    }

    private static int find(
            String method, String role, String tap, TapLayout layout, String model, List<String> problems) {
        int index = layout.names().indexOf(tap);
        if (index < 0) {
            problems.add(String.format(
                    "Method '%s' pairs %s tap '%s', which model '%s' does not declare. Its taps: %s.",
                    method, role, tap, model, layout.names().isEmpty() ? "none" : String.join(", ", layout.names())));
        }
        return index;
    }

    private static void checkComparable(String method, MethodSetup setup, TapPair pair) {
        Shape teacher = pair.teacherShape();
        Shape student = pair.studentShape();
        boolean sameRank = teacher.dimension() == student.dimension()
                && teacher.dimension() >= 1 && teacher.dimension() <= 3;
        boolean sameTokens = teacher.dimension() != 2 || teacher.get(0) == student.get(0);
        if (!sameRank || !sameTokens) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s' pairs teacher tap '%s' of model '%s', shape %s, with student tap '%s' of model '%s',"
                            + " shape %s; paired taps must both be feature maps (B, C, H, W), both (B, N, D) with the"
                            + " same N, or both (B, D). Name other taps in 'pairs'.",
                    method, pair.teacherTap(), setup.teacherModel(), describe(teacher),
                    pair.studentTap(), setup.studentModel(), describe(student)));
        }
    }

    private static TapPair pair(TapLayout teacher, int teacherIndex, TapLayout student, int studentIndex) {
        return new TapPair(
                teacher.names().get(teacherIndex), teacherIndex, teacher.shapes().get(teacherIndex),
                student.names().get(studentIndex), studentIndex, student.shapes().get(studentIndex));
    }

    private static Shape spatialSize(Shape mapShape) {
        return mapShape.slice(1);
    }

    /** A per-sample shape as a batch shape, {@code (B, 32, 28, 28)}, as users see tap outputs. */
    static String describe(Shape perSample) {
        StringBuilder text = new StringBuilder("(B");
        for (int axis = 0; axis < perSample.dimension(); axis++) {
            text.append(", ").append(perSample.get(axis));
        }
        return text.append(')').toString();
    }
}
