package org.fadkd.vision.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.vision.data.ImageTransforms.Image;

/**
 * Decodes image files with the JDK's ImageIO (JPEG, PNG; whatever readers are installed) into
 * float images in [0, 1]. Thread-safe. Public for the detection datasets
 * ({@code org.fadkd.vision.detection.data}).
 */
public final class ImageDecoding {
    private ImageDecoding() {}

    /**
     * Decodes {@code file} into {@code channels} planes: grayscale to RGB by replication, RGB to
     * grayscale by ITU-R 601-2 luma (PIL's {@code convert("L")}), alpha dropped.
     *
     * @throws FadException with DATA_MISSING naming the file when it does not decode, including a
     *     JPEG that ImageIO only warns about (a truncated one, which it would fill with grey)
     */
    public static Image decode(Path file, int channels) {
        BufferedImage image = read(file);
        int height = image.getHeight();
        int width = image.getWidth();
        int plane = height * width;
        float[] values = new float[channels * plane];
        ColorModel model = image.getColorModel();
        if (model.getNumColorComponents() == 1 && !(model instanceof IndexColorModel)) {
            // getRGB would pass gray through a colour conversion that changes its values
            Raster raster = image.getRaster();
            float max = (1 << model.getComponentSize(0)) - 1;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float value = raster.getSample(x, y, 0) / max;
                    for (int channel = 0; channel < channels; channel++) {
                        values[channel * plane + y * width + x] = value;
                    }
                }
            }
        } else {
            int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
            for (int i = 0; i < plane; i++) {
                float red = ((argb[i] >> 16) & 0xFF) / 255f;
                float green = ((argb[i] >> 8) & 0xFF) / 255f;
                float blue = (argb[i] & 0xFF) / 255f;
                if (channels == 1) {
                    values[i] = red * 0.299f + green * 0.587f + blue * 0.114f;
                } else {
                    values[i] = red;
                    values[plane + i] = green;
                    values[2 * plane + i] = blue;
                }
            }
        }
        return new Image(channels, height, width, values);
    }

    private static BufferedImage read(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw undecodable(file, "it cannot be opened");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw undecodable(file, "it is not an image ImageIO reads (JPEG, PNG)");
            }
            ImageReader reader = readers.next();
            try {
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                reader.setInput(in, true, true);
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw undecodable(file, warnings.get(0));
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof FadException fad) {
                throw fad;
            }
            throw undecodable(file, String.valueOf(e.getMessage()));
        }
    }

    private static FadException undecodable(Path file, String why) {
        return new FadException(ErrorCode.DATA_MISSING, String.format(
                "Image '%s' cannot be decoded: %s. Delete or replace it.", file, why.strip()));
    }
}
