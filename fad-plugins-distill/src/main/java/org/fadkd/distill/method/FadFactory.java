package org.fadkd.distill.method;

import com.typesafe.config.Config;
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
}
