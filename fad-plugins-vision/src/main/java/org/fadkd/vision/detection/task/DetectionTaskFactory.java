package org.fadkd.vision.detection.task;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.FadContext;
import org.fadkd.api.Task;
import org.fadkd.api.TaskFactory;

/**
 * Task {@code detection}: CenterNet-style detection (fad-spec §12) with architecture {@code
 * centernet} and a detection dataset ({@link org.fadkd.vision.detection.DetectionLabels}), scored by
 * COCO mAP.
 */
public final class DetectionTaskFactory implements TaskFactory {
    public static final String NAME = "detection";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Task create(Config settings, FadContext context) {
        requireNonNull(context, "context is null");
        return new DetectionTask(DetectionSettings.from(requireNonNull(settings, "settings is null")));
    }

    /** Boxes: the host's pixel-only {@code trainer.augment = crop-flip} would leave them behind. */
    @Override
    public boolean hasSpatialLabels() {
        return true;
    }

    @Override
    public void check(Config settings) {
        DetectionSettings.from(requireNonNull(settings, "settings is null"));
    }
}
