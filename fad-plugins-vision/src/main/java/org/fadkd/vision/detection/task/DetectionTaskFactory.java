package org.fadkd.vision.detection.task;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;
import org.fadkd.api.Task;
import org.fadkd.api.TaskFactory;

import java.util.function.Supplier;

/**
 * Task {@code detection}: CenterNet-style detection (fad-spec §12) with architecture {@code
 * centernet} and a detection dataset ({@link org.fadkd.vision.detection.DetectionLabels}), scored by
 * COCO mAP.
 */
public final class DetectionTaskFactory implements TaskFactory {
    public static final String NAME = "detection";

    /**
     * Where each evaluation pass's mAP comes from: the one line to change when the package {@code
     * org.fadkd.vision.detection.metrics} exists.
     */
    private static final Supplier<DetectionScorer> SCORERS = DetectionTaskFactory::noScorerYet;

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Task create(Config settings, FadContext context) {
        requireNonNull(context, "context is null");
        return new DetectionTask(DetectionSettings.from(requireNonNull(settings, "settings is null")), SCORERS);
    }

    @Override
    public void check(Config settings) {
        DetectionSettings.from(requireNonNull(settings, "settings is null"));
    }

    private static DetectionScorer noScorerYet() {
        throw new FadException(ErrorCode.INTERNAL, "Task '" + NAME + "' cannot evaluate yet: its mAP (fad-spec §12)"
                + " comes from org.fadkd.vision.detection.metrics, which this build does not have.");
    }
}
