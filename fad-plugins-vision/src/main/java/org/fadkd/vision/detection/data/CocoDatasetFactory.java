package org.fadkd.vision.detection.data;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.LabeledDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Set;

/**
 * Dataset {@code coco}: object detection in COCO's JSON format over image folders ({@link
 * CocoFormat}); see {@code defaults/coco.conf}.
 */
public final class CocoDatasetFactory implements DatasetFactory {
    public static final String NAME = "coco";

    private static final Logger log = LoggerFactory.getLogger(CocoDatasetFactory.class);

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public LabeledDataset create(Config settings, FadContext context) {
        requireNonNull(context, "context is null");
        CocoSettings parsed = CocoSettings.from(requireNonNull(settings, "settings is null"));
        Path root = DataRoot.find(NAME, parsed.root(), context, parsed.trainAnnotations(), String.format(
                "The folder must hold the annotation files and image folders the settings name (train-annotations"
                        + " = '%s', train-images = '%s', test-annotations = '%s', test-images = '%s').",
                parsed.trainAnnotations(), parsed.trainImages(), parsed.testAnnotations(), parsed.testImages()));
        log.info("Reading COCO annotations from '{}'", root);
        boolean validation = !parsed.validationAnnotations().isEmpty();
        return new AnnotatedDataset(NAME, root, validation, split -> switch (split) {
            case TRAIN -> CocoFormat.read(root.resolve(parsed.trainAnnotations()), root.resolve(parsed.trainImages()));
            case VALIDATION -> CocoFormat.read(root.resolve(parsed.validationAnnotations()),
                    root.resolve(parsed.validationImages()));
            case TEST -> CocoFormat.read(root.resolve(parsed.testAnnotations()), root.resolve(parsed.testImages()));
        }, parsed.input());
    }

    /** Reads the settings as {@link #create} does; the files are checked when the data is read. */
    @Override
    public void check(Config settings) {
        CocoSettings.from(requireNonNull(settings, "settings is null"));
    }

    @Override
    public Set<String> getLocationKeys() {
        return Set.of("root");
    }
}
