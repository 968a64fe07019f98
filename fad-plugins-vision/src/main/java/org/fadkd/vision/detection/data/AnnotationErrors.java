package org.fadkd.vision.detection.data;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.nio.file.Path;

/**
 * The checks every annotation reader makes, and the error of a malformed annotation file: which
 * file, which entry, what is wrong. DATA_MISSING, as the vision plugin reports every unusable data
 * file (exit code 2: the user can fix it).
 */
final class AnnotationErrors {
    /**
     * How far, in pixels, a box may reach past the image's border before it is an error; within it
     * the box is clipped. Annotation tools round, and COCO's own boxes overshoot by fractions.
     */
    static final double BORDER_TOLERANCE = 1.0;

    private AnnotationErrors() {}

    /**
     * @param entry the entry at fault as the format names it ({@code annotations[12] (id 345)},
     *     {@code object 2 ('dog')}), or null for the file as a whole
     */
    static FadException malformed(Path file, String entry, String problem) {
        return new FadException(ErrorCode.DATA_MISSING, message(file, entry, problem));
    }

    static FadException malformed(Path file, String entry, String problem, Throwable cause) {
        return new FadException(ErrorCode.DATA_MISSING, message(file, entry, problem), cause);
    }

    private static String message(Path file, String entry, String problem) {
        return String.format("Annotation file '%s'%s: %s. Fix or remove that entry.", file,
                entry == null ? "" : ", " + entry, problem);
    }

    /**
     * Checks a continuous box {@code (x1, y1, x2, y2)} against its {@code width × height} image and
     * returns it clipped to the image.
     *
     * @throws FadException when it is empty, not finite, or reaches more than {@link
     *     #BORDER_TOLERANCE} past the image
     */
    static AnnotatedObject box(Path file, String entry, double x1, double y1, double x2, double y2, int width,
            int height, int category, boolean ignored) {
        String box = String.format("(%s, %s, %s, %s)", number(x1), number(y1), number(x2), number(y2));
        if (!Double.isFinite(x1) || !Double.isFinite(y1) || !Double.isFinite(x2) || !Double.isFinite(y2)) {
            throw malformed(file, entry, "box " + box + " is not finite");
        }
        if (!(x1 < x2) || !(y1 < y2)) {
            throw malformed(file, entry, "box " + box + " (x1, y1, x2, y2) is empty: it needs x1 < x2 and y1 < y2");
        }
        if (x1 < -BORDER_TOLERANCE || y1 < -BORDER_TOLERANCE || x2 > width + BORDER_TOLERANCE
                || y2 > height + BORDER_TOLERANCE) {
            throw malformed(file, entry, String.format("box %s (x1, y1, x2, y2) lies outside the %d × %d image",
                    box, width, height));
        }
        double clippedX1 = Math.max(0, x1);
        double clippedY1 = Math.max(0, y1);
        double clippedX2 = Math.min(width, x2);
        double clippedY2 = Math.min(height, y2);
        if (!(clippedX1 < clippedX2) || !(clippedY1 < clippedY2)) {
            throw malformed(file, entry, String.format("box %s (x1, y1, x2, y2) lies outside the %d × %d image",
                    box, width, height));
        }
        return new AnnotatedObject(clippedX1, clippedY1, clippedX2, clippedY2, category, ignored);
    }

    /** A number as users wrote it: {@code 12} rather than {@code 12.0}. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
