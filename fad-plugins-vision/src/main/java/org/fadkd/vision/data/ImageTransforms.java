package org.fadkd.vision.data;

import java.util.SplittableRandom;

/**
 * torchvision's ImageNet transforms on float images ({@code C × H × W}, row-major, values in [0, 1]).
 *
 * <p><b>Resampling</b> is PIL's bilinear filter with antialiasing, which torchvision's {@code
 * Resize} and {@code RandomResizedCrop} use on PIL images (and on tensors with {@code antialias =
 * True}, its default since 0.17): a triangle filter widened by the downscaling factor, separable,
 * rows first. Upscaling reduces to plain bilinear interpolation with half-pixel centres. PIL rounds
 * to 8 bits between its two passes; this stays in float, so values may differ from PIL's by up to
 * about 1/255.
 *
 * <p>Stateless and thread-safe. {@link #resample} and {@link #normalize} are public for the
 * detection datasets ({@code org.fadkd.vision.detection.data}), which move boxes with the image.
 */
public final class ImageTransforms {
    private static final long SALT = 0x7272_632d_666c_6970L; // "rrc-flip"

    private ImageTransforms() {}

    /** An image: {@code channels} planes of {@code height × width} values. */
    public record Image(int channels, int height, int width, float[] values) {
        public Image {
            if (values.length != channels * height * width) {
                throw new IllegalArgumentException(String.format(
                        "%d values are not %d × %d × %d", values.length, channels, height, width));
            }
        }
    }

    /** A window of an image: top-left corner and size, in pixels. */
    public record Window(int top, int left, int height, int width) {}

    /** What one training sample draws: the crop window and whether it is flipped. */
    record Draw(Window window, boolean flip) {}

    /**
     * torchvision's {@code Resize(size)} with an int size: the shorter side becomes {@code size},
     * the longer one {@code floor(size × long / short)}; unchanged when the shorter side is already
     * {@code size}.
     */
    static Image resizeShorterSide(Image image, int size) {
        int shorter = Math.min(image.height(), image.width());
        if (shorter == size) {
            return image;
        }
        int longer = (int) ((long) size * Math.max(image.height(), image.width()) / shorter);
        boolean portrait = image.height() >= image.width();
        int height = portrait ? longer : size;
        int width = portrait ? size : longer;
        return resample(image, new Window(0, 0, image.height(), image.width()), height, width, false);
    }

    /**
     * torchvision's {@code CenterCrop(size)}: offsets {@code round((side − size) / 2)}, rounding
     * half to even as Python's {@code round} does.
     */
    static Image centerCrop(Image image, int size) {
        if (image.height() < size || image.width() < size) {
            throw new IllegalArgumentException(String.format(
                    "cannot crop %d × %d out of %d × %d", size, size, image.height(), image.width()));
        }
        int top = (int) Math.rint((image.height() - size) / 2.0);
        int left = (int) Math.rint((image.width() - size) / 2.0);
        return crop(image, new Window(top, left, size, size));
    }

    /** The evaluation transform: resize the shorter side, then center-crop. */
    static Image evaluation(Image image, int resizeSize, int imageSize) {
        return centerCrop(resizeShorterSide(image, resizeSize), imageSize);
    }

    /** The training transform for a draw: its window resized to {@code size × size}, then maybe flipped. */
    static Image training(Image image, Draw draw, int size) {
        return resample(image, draw.window(), size, size, draw.flip());
    }

    /**
     * Draws sample {@code index}'s window and flip for {@code epoch}, from those and {@code seed}
     * alone (SplitMix64-mixed into a {@link SplittableRandom}, whose sequence for a seed is
     * specified), following torchvision's {@code RandomResizedCrop.get_params}: up to 10 tries of
     * an area fraction uniform in {@code scale} and a log-uniform aspect ratio in {@code ratio},
     * then the central crop clamped to {@code ratio}.
     */
    static Draw draw(long seed, int epoch, int index, int height, int width, double[] scale, double[] ratio,
            boolean flip) {
        SplittableRandom random = new SplittableRandom(mix(mix(mix(seed ^ SALT) + epoch) + index));
        return new Draw(window(random, height, width, scale, ratio), flip && random.nextBoolean());
    }

    private static Window window(SplittableRandom random, int height, int width, double[] scale, double[] ratio) {
        double area = (double) height * width;
        double logLow = Math.log(ratio[0]);
        double logHigh = Math.log(ratio[1]);
        for (int attempt = 0; attempt < 10; attempt++) {
            double targetArea = area * uniform(random, scale[0], scale[1]);
            double aspect = Math.exp(uniform(random, logLow, logHigh));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                return new Window(random.nextInt(height - h + 1), random.nextInt(width - w + 1), h, w);
            }
        }
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < ratio[0]) {
            h = (int) Math.rint(w / ratio[0]);
        } else if (inRatio > ratio[1]) {
            w = (int) Math.rint(h * ratio[1]);
        }
        return new Window((height - h) / 2, (width - w) / 2, h, w);
    }

    private static double uniform(SplittableRandom random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    /** Subtracts {@code mean} and divides by {@code std}, per channel, in place. */
    public static void normalize(Image image, float[] mean, float[] std) {
        int plane = image.height() * image.width();
        float[] values = image.values();
        for (int channel = 0; channel < image.channels(); channel++) {
            for (int i = channel * plane; i < (channel + 1) * plane; i++) {
                values[i] = (values[i] - mean[channel]) / std[channel];
            }
        }
    }

    static Image crop(Image image, Window window) {
        float[] out = new float[image.channels() * window.height() * window.width()];
        for (int channel = 0; channel < image.channels(); channel++) {
            for (int y = 0; y < window.height(); y++) {
                System.arraycopy(image.values(),
                        (channel * image.height() + window.top() + y) * image.width() + window.left(),
                        out, (channel * window.height() + y) * window.width(), window.width());
            }
        }
        return new Image(image.channels(), window.height(), window.width(), out);
    }

    /** {@code window} of {@code image} resampled to {@code height × width}, mirrored left-right if {@code flip}. */
    public static Image resample(Image image, Window window, int height, int width, boolean flip) {
        Image source = crop(image, window);
        Image result = source.height() == height && source.width() == width
                ? source
                : resampleRows(resampleColumns(source, width), height);
        return flip ? mirror(result) : result;
    }

    /** Each row resampled to {@code width} values. */
    private static Image resampleColumns(Image image, int width) {
        if (image.width() == width) {
            return image;
        }
        Filter filter = Filter.of(image.width(), width);
        float[] in = image.values();
        float[] out = new float[image.channels() * image.height() * width];
        for (int row = 0; row < image.channels() * image.height(); row++) {
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int k = 0; k < filter.count[x]; k++) {
                    sum += filter.weights[x][k] * in[row * image.width() + filter.first[x] + k];
                }
                out[row * width + x] = (float) sum;
            }
        }
        return new Image(image.channels(), image.height(), width, out);
    }

    /** Each column resampled to {@code height} values. */
    private static Image resampleRows(Image image, int height) {
        if (image.height() == height) {
            return image;
        }
        Filter filter = Filter.of(image.height(), height);
        int width = image.width();
        float[] in = image.values();
        float[] out = new float[image.channels() * height * width];
        for (int channel = 0; channel < image.channels(); channel++) {
            int from = channel * image.height() * width;
            int to = channel * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double sum = 0;
                    for (int k = 0; k < filter.count[y]; k++) {
                        sum += filter.weights[y][k] * in[from + (filter.first[y] + k) * width + x];
                    }
                    out[to + y * width + x] = (float) sum;
                }
            }
        }
        return new Image(image.channels(), height, width, out);
    }

    private static Image mirror(Image image) {
        float[] in = image.values();
        float[] out = new float[in.length];
        int width = image.width();
        for (int row = 0; row < image.channels() * image.height(); row++) {
            for (int x = 0; x < width; x++) {
                out[row * width + x] = in[row * width + width - 1 - x];
            }
        }
        return new Image(image.channels(), image.height(), width, out);
    }

    /**
     * PIL's {@code precompute_coeffs} for the bilinear (triangle) filter: output pixel {@code i}
     * reads input pixels {@code first[i] .. first[i] + count[i] − 1} with normalised weights.
     */
    private record Filter(int[] first, int[] count, double[][] weights) {
        static Filter of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the triangle's support is 1, widened when downscaling
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            double[][] weights = new double[outSize][];
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                // C's (int) truncation toward zero, as PIL
                int low = Math.max((int) (center - support + 0.5), 0);
                int high = Math.min((int) (center + support + 0.5), inSize);
                double[] w = new double[high - low];
                double total = 0;
                for (int j = low; j < high; j++) {
                    double distance = Math.abs((j - center + 0.5) / filterScale);
                    w[j - low] = distance < 1 ? 1 - distance : 0;
                    total += w[j - low];
                }
                for (int k = 0; k < w.length && total != 0; k++) {
                    w[k] /= total;
                }
                first[i] = low;
                count[i] = w.length;
                weights[i] = w;
            }
            return new Filter(first, count, weights);
        }
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014), as {@code RandomCropFlip} keys its draws. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
