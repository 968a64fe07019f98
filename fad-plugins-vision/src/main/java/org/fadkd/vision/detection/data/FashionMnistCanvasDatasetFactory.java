package org.fadkd.vision.detection.data;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import org.fadkd.api.ComponentKind;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.LabeledDataset;

import java.util.Map;
import java.util.Set;

/**
 * Dataset {@code fashion-mnist-canvas}: Fashion-MNIST items placed on larger canvases, a detection
 * set generated deterministically ({@link CanvasGenerator}) from the installed Fashion-MNIST, which
 * {@code runner data generate} also writes as COCO and VOC files; see {@code
 * defaults/fashion-mnist-canvas.conf}.
 */
public final class FashionMnistCanvasDatasetFactory implements DatasetFactory {
    public static final String NAME = "fashion-mnist-canvas";

    @Override
    public String getName() {
        return NAME;
    }

    /** Finds Fashion-MNIST through dataset {@code fashion-mnist} (its root, or its search); generates nothing yet. */
    @Override
    public LabeledDataset create(Config settings, FadContext context) {
        requireNonNull(context, "context is null");
        FashionMnistCanvasSettings parsed = FashionMnistCanvasSettings.from(requireNonNull(settings, "settings is null"));
        LabeledDataset source = context.createComponent(ComponentKind.DATASET, ConfigFactory.parseMap(Map.of(
                "type", "fashion-mnist", "root", parsed.root(), "normalize", false)));
        return new FashionMnistCanvasDataset(source, parsed);
    }

    @Override
    public void check(Config settings) {
        FashionMnistCanvasSettings.from(requireNonNull(settings, "settings is null"));
    }

    @Override
    public Set<String> getLocationKeys() {
        return Set.of("root");
    }
}
