package org.fadkd.vision.detection.model;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.FadContext;

import java.util.Map;

/**
 * Architecture {@code centernet}: a CenterNet-style detector (fad-spec §12) on the tapped stages of
 * any backbone architecture of the plugin, its {@code backbone} section. Its output is a {@link
 * org.fadkd.api.DenseDetectionOutput} at stride {@link #OUTPUT_STRIDE}.
 */
public final class CenterNetArchitectureFactory implements ArchitectureFactory {
    public static final String NAME = "centernet";

    /**
     * {@code R}: the input pixels per output cell (fad-spec §12). The neck upsamples to it and the
     * {@code detection} task draws its targets and decodes its boxes at it.
     */
    public static final int OUTPUT_STRIDE = 4;

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Architecture create(Config settings, FadContext context) {
        requireNonNull(context, "context is null");
        CenterNetSettings checked = CenterNetSettings.from(requireNonNull(settings, "settings is null"));
        String backboneType = checked.backbone().getString("type");
        Architecture backbone = context.createComponent(ComponentKind.ARCHITECTURE, checked.backbone());
        return new CenterNetArchitecture(checked, backboneType, backbone);
    }

    @Override
    public void check(Config settings) {
        CenterNetSettings.from(requireNonNull(settings, "settings is null"));
    }

    /** The backbone section is validated as an architecture section of its own. */
    @Override
    public Map<String, ComponentKind<?>> getNestedComponents() {
        return Map.of("backbone", ComponentKind.ARCHITECTURE);
    }
}
