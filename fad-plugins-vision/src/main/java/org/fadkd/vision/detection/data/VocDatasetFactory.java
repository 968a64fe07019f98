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
 * Dataset {@code voc}: object detection in Pascal VOC's XML layout ({@link VocFormat}); see {@code
 * defaults/voc.conf}.
 */
public final class VocDatasetFactory implements DatasetFactory {
    public static final String NAME = "voc";

    private static final Logger log = LoggerFactory.getLogger(VocDatasetFactory.class);

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public LabeledDataset create(Config settings, FadContext context) {
        requireNonNull(context, "context is null");
        VocSettings parsed = VocSettings.from(requireNonNull(settings, "settings is null"));
        Path root = DataRoot.find(NAME, parsed.root(), context, VocFormat.SPLITS, "The folder (VOC2007/, VOC2012/)"
                + " must hold " + VocFormat.SPLITS + "/<split>.txt, " + VocFormat.ANNOTATIONS + "/ and "
                + VocFormat.IMAGES + "/.");
        log.info("Reading Pascal VOC annotations from '{}'", root);
        boolean validation = !parsed.validationSplit().isEmpty();
        return new AnnotatedDataset(NAME, root, validation, split -> VocFormat.read(root, switch (split) {
            case TRAIN -> parsed.trainSplit();
            case VALIDATION -> parsed.validationSplit();
            case TEST -> parsed.testSplit();
        }, parsed.classes()), parsed.input());
    }

    /** Reads the settings as {@link #create} does; the files are checked when the data is read. */
    @Override
    public void check(Config settings) {
        VocSettings.from(requireNonNull(settings, "settings is null"));
    }

    @Override
    public Set<String> getLocationKeys() {
        return Set.of("root");
    }
}
