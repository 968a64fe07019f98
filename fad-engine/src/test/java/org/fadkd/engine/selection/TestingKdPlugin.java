package org.fadkd.engine.selection;

import ai.djl.ndarray.NDArray;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationLossFactory;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.LossValue;

/**
 * A plugin offering a method named {@code kd} for engine tests, which cannot see the distill
 * plugin: {@code (1 − α)·L_task + α·T²·KL(softmax(z_T/T) ‖ softmax(z_S/T))}, batch mean. It
 * records the settings of every loss it creates, so tests can see how selection asked for it.
 */
final class TestingKdPlugin implements FadPlugin {
    /** Temperature and alpha of each created loss, in creation order. */
    final List<double[]> created = new ArrayList<>();

    @Override
    public List<DistillationLossFactory> getDistillationLossFactories() {
        return List.of(new DistillationLossFactory() {
            @Override
            public String getName() {
                return "kd";
            }

            @Override
            public Config getDefaults() {
                return ConfigFactory.parseString("temperature = 1\nalpha = 0.5");
            }

            @Override
            public DistillationLoss create(Config settings, FadContext context) {
                double temperature = settings.getDouble("temperature");
                double alpha = settings.getDouble("alpha");
                created.add(new double[] {temperature, alpha});
                return new DistillationLoss() {
                    @Override
                    public NDArray distillationTerm(DistillationBatch batch) {
                        NDArray teacher = batch.teacherOutput().div(temperature).logSoftmax(1);
                        NDArray student = batch.studentOutput().div(temperature).logSoftmax(1);
                        return teacher.exp().mul(teacher.sub(student)).sum()
                                .div(batch.studentOutput().getShape().get(0)).mul(temperature * temperature);
                    }

                    @Override
                    public LossValue compute(DistillationBatch batch) {
                        NDArray kd = distillationTerm(batch);
                        NDArray total = batch.taskLoss().mul(1 - alpha).add(kd.mul(alpha));
                        return new LossValue(total, Map.of("L_kd", kd));
                    }
                };
            }
        });
    }
}
