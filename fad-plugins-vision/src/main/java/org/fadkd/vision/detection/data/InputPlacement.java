package org.fadkd.vision.detection.data;

import org.fadkd.vision.data.ImageTransforms;
import org.fadkd.vision.data.ImageTransforms.Image;
import org.fadkd.vision.data.ImageTransforms.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where an image lands on the square network input of side {@code size}: resized to {@code width ×
 * height}, mirrored left-right when {@code flip}, its top-left corner at {@code (left, top)} (negative
 * when it is cropped). {@link #place(Image, float[])} moves the pixels and {@link #place(List, double)}
 * the boxes the same way, so that a box stays on its object.
 *
 * <p>Evaluation uses {@link #letterbox}: the longer side becomes {@code size}, the aspect ratio is
 * kept, the image sits at the top-left and the rest is padding. Training with augmentation uses
 * {@link #random}: the letterbox scale times a random factor, a random position (a crop when the
 * image is larger than the input) and a random flip.
 */
record InputPlacement(int size, int sourceWidth, int sourceHeight, int width, int height, int left, int top,
        boolean flip) {
    InputPlacement {
        if (size < 1 || sourceWidth < 1 || sourceHeight < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException(String.format("sizes must be positive: input %d, source %d × %d,"
                    + " resized %d × %d", size, sourceWidth, sourceHeight, width, height));
        }
    }

    /** The longer side resized to {@code size}, aspect kept, at the top-left corner, not flipped. */
    static InputPlacement letterbox(int size, int sourceWidth, int sourceHeight) {
        double scale = (double) size / Math.max(sourceWidth, sourceHeight);
        return new InputPlacement(size, sourceWidth, sourceHeight, resized(sourceWidth, scale),
                resized(sourceHeight, scale), 0, 0, false);
    }

    /**
     * The letterbox scale times a factor drawn log-uniformly from {@code [minScale, maxScale]} (so
     * that zooming in and out by the same ratio are equally likely), a position drawn uniformly among
     * those that keep the input covered as far as the image allows, and a flip with probability
     * {@code flipProbability}.
     */
    static InputPlacement random(int size, int sourceWidth, int sourceHeight, SplittableRandom random,
            double minScale, double maxScale, double flipProbability) {
        double factor = Math.exp(Math.log(minScale) + (Math.log(maxScale) - Math.log(minScale)) * random.nextDouble());
        double scale = factor * size / Math.max(sourceWidth, sourceHeight);
        int width = resized(sourceWidth, scale);
        int height = resized(sourceHeight, scale);
        int left = offset(random, size, width);
        int top = offset(random, size, height);
        return new InputPlacement(size, sourceWidth, sourceHeight, width, height, left, top,
                random.nextDouble() < flipProbability);
    }

    private static int resized(int side, double scale) {
        return Math.max(1, (int) Math.round(side * scale));
    }

    /** Inside the input when the image is smaller, else a crop: the image always covers what it can. */
    private static int offset(SplittableRandom random, int size, int side) {
        return side <= size ? random.nextInt(size - side + 1) : -random.nextInt(side - size + 1);
    }

    /**
     * The image resampled (antialiased bilinear, as {@link ImageTransforms#resample}), flipped and
     * placed; the input outside it is {@code fill}, one value per channel.
     */
    Image place(Image image, float[] fill) {
        if (image.width() != sourceWidth || image.height() != sourceHeight) {
            throw new IllegalArgumentException(String.format("placement for %d × %d applied to a %d × %d image",
                    sourceWidth, sourceHeight, image.width(), image.height()));
        }
        Image resized = ImageTransforms.resample(image, new Window(0, 0, sourceHeight, sourceWidth), height, width,
                flip);
        int plane = size * size;
        float[] out = new float[image.channels() * plane];
        for (int channel = 0; channel < image.channels(); channel++) {
            Arrays.fill(out, channel * plane, (channel + 1) * plane, fill[channel]);
        }
        int fromX = Math.max(0, -left);
        int toX = Math.min(width, size - left);
        for (int channel = 0; channel < image.channels() && fromX < toX; channel++) {
            for (int y = Math.max(0, -top); y < Math.min(height, size - top); y++) {
                System.arraycopy(resized.values(), (channel * height + y) * width + fromX, out,
                        channel * plane + (top + y) * size + left + fromX, toX - fromX);
            }
        }
        return new Image(image.channels(), size, size, out);
    }

    /**
     * The boxes in input pixels, clipped to the input; a box keeping less than {@code minVisible} of
     * its area (cropped away) is dropped, whatever its class.
     */
    List<AnnotatedObject> place(List<AnnotatedObject> objects, double minVisible) {
        double scaleX = (double) width / sourceWidth;
        double scaleY = (double) height / sourceHeight;
        List<AnnotatedObject> placed = new ArrayList<>(objects.size());
        for (AnnotatedObject object : objects) {
            double x1 = object.x1() * scaleX;
            double x2 = object.x2() * scaleX;
            if (flip) {
                double mirroredX1 = width - x2;
                x2 = width - x1;
                x1 = mirroredX1;
            }
            x1 += left;
            x2 += left;
            double y1 = object.y1() * scaleY + top;
            double y2 = object.y2() * scaleY + top;
            double clippedX1 = Math.max(0, x1);
            double clippedY1 = Math.max(0, y1);
            double clippedX2 = Math.min(size, x2);
            double clippedY2 = Math.min(size, y2);
            if (!(clippedX1 < clippedX2) || !(clippedY1 < clippedY2)) {
                continue;
            }
            double visible = (clippedX2 - clippedX1) * (clippedY2 - clippedY1) / ((x2 - x1) * (y2 - y1));
            if (visible >= minVisible) {
                placed.add(new AnnotatedObject(clippedX1, clippedY1, clippedX2, clippedY2, object.category(),
                        object.ignored()));
            }
        }
        return placed;
    }
}
