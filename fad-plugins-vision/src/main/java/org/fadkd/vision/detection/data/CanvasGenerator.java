package org.fadkd.vision.detection.data;

import ai.djl.ndarray.NDManager;

import org.fadkd.api.DataSplit;
import org.fadkd.vision.data.ImageTransforms;
import org.fadkd.vision.data.ImageTransforms.Image;
import org.fadkd.vision.data.ImageTransforms.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Places Fashion-MNIST items on black square canvases: canvas {@code i} of a split draws, from the
 * generator seed, the split and {@code i} alone (so a canvas does not change with the split's
 * size), {@code min-objects..max-objects} items of its source split, each resized (antialiased) to a
 * random side in {@code min-object-size..max-object-size} and put at a random position where its
 * square overlaps every earlier one by IoU at most {@code max-overlap} (20 tries, then the item is
 * left out, so a canvas may hold fewer). Overlapping items combine by the brighter pixel. An item's
 * box is the tight box of its pixels at least {@value #BOX_THRESHOLD} (on [0, 1]) once resized:
 * Fashion-MNIST's items do not fill their 28 × 28 frame. Canvases are quantised to 8 bits, as the
 * PNG files {@code runner data generate} writes, so both carry the same pixels.
 */
final class CanvasGenerator {
    static final double BOX_THRESHOLD = 0.1;
    private static final int SOURCE_SIDE = 28;
    private static final int TRIES = 20;
    private static final int CHUNK = 1024;

    private CanvasGenerator() {}

    /** A canvas: {@code side × side} grey bytes, and its objects in its pixels. */
    record Canvas(byte[] pixels, List<AnnotatedObject> objects) {}

    /** Where one item goes: its source sample, its side and its square's top-left corner. */
    private record Plan(int source, int side, int left, int top) {}

    /**
     * @param salt tells the splits apart, so that train and test canvases draw differently
     * @param labels the class of every sample of {@code source}
     */
    static List<Canvas> generate(FashionMnistCanvasSettings settings, long salt, int count, DataSplit source,
            int[] labels, NDManager manager) {
        List<List<Plan>> plans = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            plans.add(plan(settings, new SplittableRandom(mix(mix(mix(settings.generatorSeed()) + salt) + i)),
                    source.size()));
        }
        Map<Integer, float[]> items = fetch(source, plans, manager);
        List<Canvas> canvases = new ArrayList<>(count);
        int side = settings.canvasSize();
        for (List<Plan> plan : plans) {
            float[] canvas = new float[side * side];
            List<AnnotatedObject> objects = new ArrayList<>(plan.size());
            for (Plan item : plan) {
                Image resized = ImageTransforms.resample(new Image(1, SOURCE_SIDE, SOURCE_SIDE, items.get(item.source())),
                        new Window(0, 0, SOURCE_SIDE, SOURCE_SIDE), item.side(), item.side(), false);
                int[] box = tightBox(resized);
                if (box == null) {
                    continue; // a blank item: nothing to detect
                }
                for (int y = 0; y < item.side(); y++) {
                    for (int x = 0; x < item.side(); x++) {
                        int at = (item.top() + y) * side + item.left() + x;
                        canvas[at] = Math.max(canvas[at], resized.values()[y * item.side() + x]);
                    }
                }
                objects.add(new AnnotatedObject(item.left() + box[0], item.top() + box[1], item.left() + box[2],
                        item.top() + box[3], labels[item.source()], false));
            }
            byte[] pixels = new byte[canvas.length];
            for (int i = 0; i < canvas.length; i++) {
                pixels[i] = (byte) Math.round(Math.min(1f, Math.max(0f, canvas[i])) * 255);
            }
            canvases.add(new Canvas(pixels, objects));
        }
        return canvases;
    }

    private static List<Plan> plan(FashionMnistCanvasSettings settings, SplittableRandom random, int sourceSize) {
        int count = settings.minObjects() + random.nextInt(settings.maxObjects() - settings.minObjects() + 1);
        List<Plan> plan = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int source = random.nextInt(sourceSize);
            int side = settings.minObjectSize() + random.nextInt(settings.maxObjectSize() - settings.minObjectSize() + 1);
            for (int attempt = 0; attempt < TRIES; attempt++) {
                int left = random.nextInt(settings.canvasSize() - side + 1);
                int top = random.nextInt(settings.canvasSize() - side + 1);
                Plan candidate = new Plan(source, side, left, top);
                if (plan.stream().allMatch(other -> iou(candidate, other) <= settings.maxOverlap())) {
                    plan.add(candidate);
                    break;
                }
            }
        }
        return plan;
    }

    private static double iou(Plan a, Plan b) {
        int width = Math.min(a.left() + a.side(), b.left() + b.side()) - Math.max(a.left(), b.left());
        int height = Math.min(a.top() + a.side(), b.top() + b.side()) - Math.max(a.top(), b.top());
        if (width <= 0 || height <= 0) {
            return 0;
        }
        double intersection = (double) width * height;
        return intersection / ((double) a.side() * a.side() + (double) b.side() * b.side() - intersection);
    }

    /** The pixels ({@code [0, 1]}) of every sample the plans use, read a chunk at a time. */
    private static Map<Integer, float[]> fetch(DataSplit source, List<List<Plan>> plans, NDManager manager) {
        int[] needed = plans.stream().flatMap(List::stream).mapToInt(Plan::source).distinct().sorted().toArray();
        Map<Integer, float[]> items = new HashMap<>();
        int length = SOURCE_SIDE * SOURCE_SIDE;
        for (int start = 0; start < needed.length; start += CHUNK) {
            int[] chunk = Arrays.copyOfRange(needed, start, Math.min(needed.length, start + CHUNK));
            try (NDManager scope = manager.newSubManager()) {
                float[] values = source.getBatch(scope, chunk).inputs().head().toFloatArray();
                if (values.length != chunk.length * length) {
                    throw new IllegalStateException("Fashion-MNIST batch of " + chunk.length + " items has "
                            + values.length + " values, not " + chunk.length + " × 28 × 28");
                }
                for (int i = 0; i < chunk.length; i++) {
                    items.put(chunk[i], Arrays.copyOfRange(values, i * length, (i + 1) * length));
                }
            }
        }
        return items;
    }

    /** {@code (x1, y1, x2, y2)} around the pixels at least {@link #BOX_THRESHOLD}, or null when none is. */
    static int[] tightBox(Image image) {
        int x1 = Integer.MAX_VALUE;
        int y1 = Integer.MAX_VALUE;
        int x2 = -1;
        int y2 = -1;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                if (image.values()[y * image.width() + x] >= BOX_THRESHOLD) {
                    x1 = Math.min(x1, x);
                    y1 = Math.min(y1, y);
                    x2 = Math.max(x2, x + 1);
                    y2 = Math.max(y2, y + 1);
                }
            }
        }
        return x2 < 0 ? null : new int[] {x1, y1, x2, y2};
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014): independent streams per seed, split and canvas. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
