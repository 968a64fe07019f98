package org.fadkd.vision.detection.metrics;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * COCO's mean average precision (fad-spec §12), accumulated image by image: {@link #add} matches
 * one image's detections to its ground truth at every IoU threshold and keeps only the outcome
 * (score, true or false positive, ignored); {@link #compute} ranks them per class and integrates.
 *
 * <p>The rules are pycocotools' ({@code COCOeval.evaluateImg} and {@code accumulate}), so that
 * numbers compare with published ones:
 *
 * <ul>
 *   <li>Per image, at most {@code maxDetections} detections (the highest scores, ties in input
 *       order). pycocotools caps per image <em>and class</em>; the spec caps per image, which is
 *       what a CenterNet top-100 decoding produces, and then both agree.
 *   <li>Per image and class, detections in descending score (stable) each take the ground truth
 *       with the highest overlap ≥ the threshold that no earlier detection took (on equal overlaps
 *       the later object, as pycocotools), preferring any non-ignored object to an ignored one. A
 *       detection matched to an ignored object is left out of the ranking; an ignored object can
 *       absorb any number of detections. Unmatched detections are false positives.
 *   <li>Overlap is IoU of continuous boxes, area {@code (x2−x1)(y2−y1)}; with an ignored object it
 *       is, by default, intersection over the detection's area (pycocotools' {@code iscrowd} rule,
 *       so that detections of the single objects inside a crowd box are ignored), or plain IoU
 *       ({@link IgnoredOverlap#INTERSECTION_OVER_UNION}, as VOC's devkit treats {@code difficult}).
 *   <li>Per class, all images' detections ranked by score (stable: images in the order added);
 *       precision made non-increasing from the right; AP = the mean, over the 101 recall points
 *       {@code 0, 0.01, …, 1}, of the precision at the first rank whose recall reaches the point
 *       (0 when none does). A class without non-ignored ground truth has no AP ({@code NaN}) and is
 *       left out of the means; a class with ground truth and no detection has AP 0.
 *   <li>mAP@[.5:.95] averages the thresholds {@code 0.50, 0.55, …, 0.95}, computed as numpy's
 *       {@code linspace} computes them (as are the recall points), so that a recall or IoU that
 *       lands exactly on a point is treated as pycocotools treats it.
 * </ul>
 *
 * <p>Pascal VOC's metric is {@link DetectionScores#map50()}, the same 101-point AP at IoU 0.5
 * (report it as such, not as VOC2007's 11-point AP).
 *
 * <p>Not thread-safe: one accumulator per evaluation pass.
 *
 * @since 0.2
 */
public final class MeanAveragePrecision {
    /** The per-image cap on detections, COCO's {@code maxDets = 100}. */
    public static final int DEFAULT_MAX_DETECTIONS = 100;

    /** The IoU thresholds of mAP@[.5:.95], as {@code np.linspace(.5, .95, 10)}. */
    static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
    /** The recall points of the interpolation, as {@code np.linspace(0, 1, 101)}. */
    static final double[] RECALL_POINTS = linspace(0.0, 1.0, 101);

    /** How detections overlap an ignored (crowd, difficult) ground-truth object. */
    public enum IgnoredOverlap {
        /** Intersection over the detection's area: pycocotools' rule for {@code iscrowd} boxes. */
        INTERSECTION_OVER_DETECTION,
        /** Plain IoU, as for every other object: VOC's devkit for {@code difficult} ones. */
        INTERSECTION_OVER_UNION
    }

    private final int classCount;
    private final int maxDetections;
    private final IgnoredOverlap ignoredOverlap;
    private final ClassRecord[] records;
    private int images;

    /** An accumulator with COCO's defaults: 100 detections per image, the crowd overlap rule. */
    public MeanAveragePrecision(int classCount) {
        this(classCount, DEFAULT_MAX_DETECTIONS, IgnoredOverlap.INTERSECTION_OVER_DETECTION);
    }

    /**
     * @param classCount the number of classes, at least 1
     * @param maxDetections the most detections kept per image, at least 1
     * @param ignoredOverlap how a detection's overlap with an ignored object is measured
     */
    public MeanAveragePrecision(int classCount, int maxDetections, IgnoredOverlap ignoredOverlap) {
        if (classCount < 1 || maxDetections < 1) {
            throw new IllegalArgumentException(
                    "classCount and maxDetections must be at least 1, got " + classCount + ", " + maxDetections);
        }
        this.classCount = classCount;
        this.maxDetections = maxDetections;
        this.ignoredOverlap = requireNonNull(ignoredOverlap, "ignoredOverlap is null");
        this.records = new ClassRecord[classCount];
        for (int c = 0; c < classCount; c++) {
            records[c] = new ClassRecord();
        }
    }

    /** Adds one image; the arrays are read now and not kept. */
    public void add(ImageDetections detections, ImageGroundTruth truth) {
        requireNonNull(detections, "detections is null");
        requireNonNull(truth, "truth is null");
        checkClasses(detections.classes(), "detection");
        checkClasses(truth.classes(), "ground-truth");
        int[] kept = topScores(detections.scores(), maxDetections);
        for (int c = 0; c < classCount; c++) {
            int[] classDetections = ofClass(kept, detections.classes(), c);
            int[] classObjects = ofClass(IntStream.range(0, truth.size()).toArray(), truth.classes(), c);
            if (classDetections.length > 0 || classObjects.length > 0) {
                match(detections, classDetections, truth, classObjects, records[c]);
            }
        }
        images++;
    }

    /** The number of images added. */
    public int imageCount() {
        return images;
    }

    /** Ranks and integrates what was added so far; the accumulator can go on taking images. */
    public DetectionScores compute() {
        double[][] precision = new double[IOU_THRESHOLDS.length][classCount];
        for (int c = 0; c < classCount; c++) {
            for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
                precision[t][c] = records[c].averagePrecision(t);
            }
        }
        return new DetectionScores(IOU_THRESHOLDS.clone(), precision);
    }

    private void checkClasses(int[] classes, String what) {
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= classCount) {
                throw new IllegalArgumentException(String.format(
                        "%s %d has class %d, outside [0, %d)", what, i, classes[i], classCount));
            }
        }
    }

    /** The indices of the {@code limit} highest scores, in descending score, ties in index order. */
    private static int[] topScores(double[] scores, int limit) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // a stable sort, as numpy's mergesort in pycocotools
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        int[] top = new int[Math.min(limit, order.length)];
        for (int i = 0; i < top.length; i++) {
            top[i] = order[i];
        }
        return top;
    }

    private static int[] ofClass(int[] indices, int[] classes, int c) {
        return Arrays.stream(indices).filter(i -> classes[i] == c).toArray();
    }

    /**
     * One image and class: {@code detections} in descending score, {@code objects} in input order.
     * Records each detection's outcome at every threshold, and counts the non-ignored objects.
     */
    private void match(ImageDetections image, int[] detections, ImageGroundTruth truth, int[] objects,
            ClassRecord record) {
        // non-ignored objects first (stable), so that the scan below can stop at the first ignored one
        int[] sorted = IntStream.concat(
                Arrays.stream(objects).filter(g -> !truth.ignored()[g]),
                Arrays.stream(objects).filter(g -> truth.ignored()[g])).toArray();
        boolean[] ignored = new boolean[sorted.length];
        for (int k = 0; k < sorted.length; k++) {
            ignored[k] = truth.ignored()[sorted[k]];
            if (!ignored[k]) {
                record.groundTruth++;
            }
        }
        double[][] overlap = new double[detections.length][sorted.length];
        for (int d = 0; d < detections.length; d++) {
            for (int k = 0; k < sorted.length; k++) {
                boolean crowdRule = ignored[k] && ignoredOverlap == IgnoredOverlap.INTERSECTION_OVER_DETECTION;
                overlap[d][k] = overlap(image.boxes(), detections[d], truth.boxes(), sorted[k], crowdRule);
            }
        }
        short[] truePositive = new short[detections.length];
        short[] ignoredDetection = new short[detections.length];
        for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
            boolean[] taken = new boolean[sorted.length];
            for (int d = 0; d < detections.length; d++) {
                double best = Math.min(IOU_THRESHOLDS[t], 1 - 1e-10);
                int match = -1;
                for (int k = 0; k < sorted.length; k++) {
                    if (taken[k] && !ignored[k]) {
                        continue;
                    }
                    if (match > -1 && !ignored[match] && ignored[k]) {
                        break;
                    }
                    if (overlap[d][k] < best) {
                        continue;
                    }
                    best = overlap[d][k];
                    match = k;
                }
                if (match == -1) {
                    continue; // a false positive: neither bit set
                }
                taken[match] = true;
                if (ignored[match]) {
                    ignoredDetection[d] |= (short) (1 << t);
                } else {
                    truePositive[d] |= (short) (1 << t);
                }
            }
        }
        for (int d = 0; d < detections.length; d++) {
            record.add(image.scores()[detections[d]], truePositive[d], ignoredDetection[d]);
        }
    }

    /** IoU of two boxes, or intersection over the first's area when {@code overDetection}. */
    static double overlap(double[] detections, int d, double[] objects, int g, boolean overDetection) {
        double dx1 = detections[4 * d];
        double dy1 = detections[4 * d + 1];
        double dx2 = detections[4 * d + 2];
        double dy2 = detections[4 * d + 3];
        double gx1 = objects[4 * g];
        double gy1 = objects[4 * g + 1];
        double gx2 = objects[4 * g + 2];
        double gy2 = objects[4 * g + 3];
        double width = Math.min(dx2, gx2) - Math.max(dx1, gx1);
        double height = Math.min(dy2, gy2) - Math.max(dy1, gy1);
        if (width <= 0 || height <= 0) {
            return 0;
        }
        double intersection = width * height;
        double detectionArea = (dx2 - dx1) * (dy2 - dy1);
        double union = overDetection ? detectionArea : detectionArea + (gx2 - gx1) * (gy2 - gy1) - intersection;
        return union > 0 ? intersection / union : 0;
    }

    /** numpy's {@code linspace(start, stop, count)}: {@code start + i·step}, the last exactly {@code stop}. */
    private static double[] linspace(double start, double stop, int count) {
        double step = (stop - start) / (count - 1);
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = i * step + start;
        }
        values[count - 1] = stop;
        return values;
    }

    /** One class's detections over all images added, in the order added, and its object count. */
    private static final class ClassRecord {
        private final List<Double> scores = new ArrayList<>();
        private final List<Short> truePositive = new ArrayList<>();
        private final List<Short> ignored = new ArrayList<>();
        private int groundTruth;

        void add(double score, short truePositiveBits, short ignoredBits) {
            scores.add(score);
            truePositive.add(truePositiveBits);
            ignored.add(ignoredBits);
        }

        /** The AP at threshold {@code t}, or NaN without non-ignored ground truth. */
        double averagePrecision(int t) {
            if (groundTruth == 0) {
                return Double.NaN;
            }
            Integer[] order = new Integer[scores.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores.get(i)).reversed());
            double[] precision = new double[order.length];
            double[] recall = new double[order.length];
            int ranks = 0;
            int hits = 0;
            for (int i : order) {
                if ((ignored.get(i) & (1 << t)) != 0) {
                    continue;
                }
                if ((truePositive.get(i) & (1 << t)) != 0) {
                    hits++;
                }
                ranks++;
                precision[ranks - 1] = (double) hits / ranks;
                recall[ranks - 1] = (double) hits / groundTruth;
            }
            for (int i = ranks - 1; i > 0; i--) {
                precision[i - 1] = Math.max(precision[i - 1], precision[i]);
            }
            double sum = 0;
            int rank = 0;
            for (double point : RECALL_POINTS) {
                // recall never decreases: the first rank reaching this point is at or after the last one's
                while (rank < ranks && recall[rank] < point) {
                    rank++;
                }
                if (rank < ranks) {
                    sum += precision[rank];
                }
            }
            return sum / RECALL_POINTS.length;
        }
    }
}
