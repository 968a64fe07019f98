package org.fadkd.distill;

import java.util.List;
import org.fadkd.api.DistillationTrainerFactory;
import org.fadkd.distill.trainer.AssistantTrainerFactory;
import org.fadkd.distill.trainer.StagedTrainerFactory;
import org.fadkd.distill.trainer.StandardTrainerFactory;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.FlowMetricFactory;
import org.fadkd.distill.flow.CkaFactory;
import org.fadkd.distill.flow.GramFactory;
import org.fadkd.distill.flow.RelativeChangeFactory;
import org.fadkd.distill.method.DkdFactory;
import org.fadkd.distill.method.FadFactory;
import org.fadkd.distill.method.KdFactory;
import org.fadkd.distill.method.LabelSmoothingFactory;
import org.fadkd.distill.method.NoneFactory;
import org.fadkd.distill.method.attention.MiniLmFactory;
import org.fadkd.distill.method.contrastive.CrdFactory;
import org.fadkd.distill.method.feature.AttentionTransferFactory;
import org.fadkd.distill.method.feature.FitnetsFactory;
import org.fadkd.distill.method.feature.GenerativeFactory;
import org.fadkd.distill.method.feature.VidFactory;

/**
 * Registers the distillation methods, flow metrics and trainers of this module.
 *
 * @since 0.1
 */
public final class DistillPlugin implements FadPlugin {
    @Override
    public List<DistillationLossFactory> getDistillationLossFactories() {
        return List.of(
                new NoneFactory(), new KdFactory(), new FadFactory(),
                // logit and contrastive methods (fad-spec §11.1, §11.5, §11.8)
                new LabelSmoothingFactory(), new DkdFactory(), new CrdFactory(),
                // feature methods (fad-spec §11.3, §11.4, §11.6, §11.7)
                new FitnetsFactory(), new AttentionTransferFactory(), new VidFactory(), new GenerativeFactory(),
                // attention-distribution methods for transformers
                new MiniLmFactory());
    }

    @Override
    public List<FlowMetricFactory> getFlowMetricFactories() {
        return List.of(new CkaFactory(), new RelativeChangeFactory(), new GramFactory());
    }

    @Override
    public List<DistillationTrainerFactory> getDistillationTrainerFactories() {
        return List.of(new StandardTrainerFactory(), new StagedTrainerFactory(), new AssistantTrainerFactory());
    }
}
