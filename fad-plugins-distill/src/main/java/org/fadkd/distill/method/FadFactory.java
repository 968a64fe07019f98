package org.fadkd.distill.method;

import com.typesafe.config.Config;
import java.util.Map;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.FlowMetric;

/**
 * Creates method {@code fad}, flow-aligned distillation (fad-spec §2–§6); settings in {@code
 * defaults/fad.conf}. The flow metric and the kd-term are created through the context, so they are
 * bound and validated like top-level components.
 *
 * @since 0.1
 */
public final class FadFactory implements DistillationLossFactory {
    /** The component name. */
    public static final String NAME = "fad";
    private static final Map<String, ComponentKind<?>> NESTED =
            Map.of("flow-metric", ComponentKind.FLOW_METRIC, "kd-term", ComponentKind.METHOD);

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public DistillationLoss create(Config settings, FadContext context) {
        FadSettings fadSettings = FadSettings.from(settings);
        FlowMetric metric = context.createComponent(ComponentKind.FLOW_METRIC, fadSettings.flowMetric());
        DistillationLoss kdTerm = context.createComponent(ComponentKind.METHOD, fadSettings.kdTerm());
        return new FadLoss(fadSettings, metric, kdTerm, context.getManager());
    }

    /**
     * Reads the settings as {@link #create} does. The flow metric's and the kd-term's own settings
     * are checked by the host, which validates them as the components {@link #getNestedComponents()}
     * names.
     */
    @Override
    public void check(Config settings) {
        FadSettings.from(settings);
    }

    @Override
    public Map<String, ComponentKind<?>> getNestedComponents() {
        return NESTED;
    }
}
