package org.fadkd.vision.detection.data;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What an annotation file holds: the class names by contiguous index, and the images in file order. */
record AnnotatedSet(List<String> classNames, List<AnnotatedImage> images) {
    AnnotatedSet {
        classNames = List.copyOf(requireNonNull(classNames, "classNames is null"));
        images = List.copyOf(requireNonNull(images, "images is null"));
    }
}
