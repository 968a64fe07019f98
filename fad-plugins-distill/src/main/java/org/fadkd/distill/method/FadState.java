package org.fadkd.distill.method;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resumable state of method {@code fad} (fad-spec §8): where the curriculum stands, the global
 * step last processed, the selective statistics and the current selective mask. A checkpoint saves
 * it with {@link #toMap()} and a resumed run hands it back through {@link
 * FadLoss#restoreState(FadState)}.
 *
 * <p>The statistics and the mask are indexed by the selective keys: the points of the common grid
 * ({@code mask-keys = depth}; the teacher's points with {@code pairing = index}) or the tap names
 * both networks share, in the teacher's order ({@code mask-keys = name}). Immutable.
 *
 * @param stage the curriculum stage of the last batch: 1..K, K+1 while fine-tuning, 0 when the
 *     curriculum is off or before the first batch
 * @param epochInStage the 1-based epoch within that stage (or fine-tuning), 0 when there is none
 * @param fineTuning whether the curriculum's stages are over
 * @param globalStep the global step of the last batch processed, -1 before the first
 * @param teacherStatistics the EMA statistics {@code T̄} of the target profile; empty until the first
 *     batch, and with batch statistics or selective alignment off; never null
 * @param studentStatistics the EMA statistics {@code S̄} of the student profile, as long as {@code
 *     teacherStatistics}; never null
 * @param mask the current selective mask; empty until the first refresh, and with selective
 *     alignment off; never null
 * @since 0.1
 */
public record FadState(
        int stage,
        int epochInStage,
        boolean fineTuning,
        long globalStep,
        List<Double> teacherStatistics,
        List<Double> studentStatistics,
        List<Boolean> mask) {
    /** The state of a loss that has processed no batch. */
    public static final FadState INITIAL = new FadState(0, 0, false, -1, List.of(), List.of(), List.of());

    private static final String STAGE = "stage";
    private static final String EPOCH_IN_STAGE = "epoch-in-stage";
    private static final String FINE_TUNING = "fine-tuning";
    private static final String GLOBAL_STEP = "global-step";
    private static final String TEACHER_STATISTICS = "teacher-statistics";
    private static final String STUDENT_STATISTICS = "student-statistics";
    private static final String MASK = "mask";

    public FadState {
        if (stage < 0 || epochInStage < 0) {
            throw new IllegalArgumentException(
                    "stage and epochInStage must be >= 0, got " + stage + " and " + epochInStage);
        }
        if (globalStep < -1) {
            throw new IllegalArgumentException("globalStep must be >= -1, got " + globalStep);
        }
        teacherStatistics = List.copyOf(requireNonNull(teacherStatistics, "teacherStatistics is null"));
        studentStatistics = List.copyOf(requireNonNull(studentStatistics, "studentStatistics is null"));
        mask = List.copyOf(requireNonNull(mask, "mask is null"));
        if (teacherStatistics.size() != studentStatistics.size()) {
            throw new IllegalArgumentException("teacher and student statistics differ in length: "
                    + teacherStatistics.size() + " vs " + studentStatistics.size());
        }
    }

    /**
     * Returns the state as a map of JSON values (numbers, booleans, lists), insertion-ordered: {@code
     * stage}, {@code epoch-in-stage}, {@code fine-tuning}, {@code global-step}, {@code
     * teacher-statistics}, {@code student-statistics}, {@code mask}. Doubles are kept as they are, so
     * a JSON writer that prints the shortest round-tripping form (Gson, Jackson) loses nothing.
     *
     * @return a new mutable map, never null
     * @since 0.1
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(STAGE, stage);
        map.put(EPOCH_IN_STAGE, epochInStage);
        map.put(FINE_TUNING, fineTuning);
        map.put(GLOBAL_STEP, globalStep);
        map.put(TEACHER_STATISTICS, new ArrayList<>(teacherStatistics));
        map.put(STUDENT_STATISTICS, new ArrayList<>(studentStatistics));
        map.put(MASK, new ArrayList<>(mask));
        return map;
    }

    /**
     * Reads a state written by {@link #toMap()}, also after a trip through JSON: any {@link Number}
     * type is accepted for the integers as long as its value is integral.
     *
     * @param map the map, never null
     * @return the state
     * @throws IllegalArgumentException naming the key when a value is missing or of the wrong kind
     * @since 0.1
     */
    public static FadState fromMap(Map<String, ?> map) {
        requireNonNull(map, "map is null");
        return new FadState(
                Math.toIntExact(integer(map, STAGE)),
                Math.toIntExact(integer(map, EPOCH_IN_STAGE)),
                bool(require(map, FINE_TUNING), FINE_TUNING),
                integer(map, GLOBAL_STEP),
                doubles(map, TEACHER_STATISTICS),
                doubles(map, STUDENT_STATISTICS),
                booleans(map, MASK));
    }

    private static Object require(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("fad state has no '" + key + "'");
        }
        return value;
    }

    private static long integer(Map<String, ?> map, String key) {
        Object value = require(map, key);
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number number) {
            double asDouble = number.doubleValue();
            if (asDouble == Math.rint(asDouble) && Math.abs(asDouble) < 0x1p53) {
                return (long) asDouble;
            }
        }
        throw new IllegalArgumentException("fad state '" + key + "' is '" + value + "'; it must be an integer");
    }

    private static boolean bool(Object value, String key) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw new IllegalArgumentException("fad state '" + key + "' is '" + value + "'; it must be true or false");
    }

    private static List<Double> doubles(Map<String, ?> map, String key) {
        List<Double> result = new ArrayList<>();
        for (Object element : list(map, key)) {
            if (!(element instanceof Number number)) {
                throw new IllegalArgumentException(
                        "fad state '" + key + "' holds '" + element + "'; it must hold numbers");
            }
            result.add(number.doubleValue());
        }
        return result;
    }

    private static List<Boolean> booleans(Map<String, ?> map, String key) {
        List<Boolean> result = new ArrayList<>();
        for (Object element : list(map, key)) {
            result.add(bool(element, key));
        }
        return result;
    }

    private static List<?> list(Map<String, ?> map, String key) {
        Object value = require(map, key);
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException("fad state '" + key + "' is '" + value + "'; it must be a list");
    }
}
