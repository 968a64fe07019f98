package org.fadkd.vision.detection.data;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * One annotated image as an annotation file describes it.
 *
 * @param file where its pixels are
 * @param entry how the annotation file names it, for messages ({@code images[3] (id 7)}, an id)
 * @param width its width in pixels, as annotated (checked against the decoded image)
 * @param height its height in pixels, as annotated
 * @param objects its objects, possibly none
 */
record AnnotatedImage(Path file, String entry, int width, int height, List<AnnotatedObject> objects) {
    AnnotatedImage {
        requireNonNull(file, "file is null");
        requireNonNull(entry, "entry is null");
        objects = List.copyOf(objects);
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size " + width + " × " + height);
        }
    }
}
