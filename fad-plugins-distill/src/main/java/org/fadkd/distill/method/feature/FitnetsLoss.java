package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.MethodSetup;
import org.fadkd.flow.Scalars;

/**
 * FitNets hint learning (fad-spec §11.3): {@code D_fitnets = β·mean((r(F_S) − F_T)²)} over one
 * pair, the hint. The hint is the middle pair, {@code ⌊(n − 1)/2⌋} of {@code n}: with the
 * automatic pairing, the middle student feature tap and its teacher tap (RepDistiller's {@code
 * hint_layer = 2}); with explicit {@code pairs}, the middle one given (give one pair to choose it).
 *
 * <p>The regressor {@code r} maps the student's channels onto the teacher's: a 1×1 convolution
 * without bias and batch norm (plus a ReLU with {@code regressor-relu}) for feature maps, a linear
 * layer with bias on the last axis for {@code (B, N, D)} and {@code (B, D)} taps. It runs on the
 * student map after the shape-matching rule.
 *
 * @since 0.1
 */
public final class FitnetsLoss extends FeatureLoss {
    private final FitnetsSettings settings;
    private Block regressor;

    /**
     * Creates the loss.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public FitnetsLoss(FitnetsSettings settings) {
        super(FitnetsFactory.NAME, requireNonNull(settings, "settings is null").common());
        this.settings = settings;
    }

    /**
     * Returns the settings.
     *
     * @return the settings, never null
     * @since 0.1
     */
    public FitnetsSettings getSettings() {
        return settings;
    }

    @Override
    protected List<TapPair> build(MethodSetup setup, List<TapPair> pairs) {
        TapPair hint = pairs.get((pairs.size() - 1) / 2);
        regressor = Modules.initialize(newRegressor(hint), setup, hint.matchedStudentShape());
        return List.of(hint);
    }

    private Block newRegressor(TapPair hint) {
        SequentialBlock block = new SequentialBlock();
        if (hint.isSpatial()) {
            // No bias: batch norm's β takes its place.
            block.add(Modules.convolution(hint.teacherChannels(), 1, false)).add(BatchNorm.builder().build());
        } else {
            block.add(Modules.linear(hint.teacherChannels(), true));
        }
        if (settings.regressorRelu()) {
            block.add(Activation.reluBlock());
        }
        return block;
    }

    @Override
    public List<Block> getTrainableBlocks() {
        return regressor == null ? List.of() : List.of(regressor);
    }

    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        NDArray[] taps = matchedTaps(batch, preparedPairs().get(0));
        return hintLoss(Modules.forward(regressor, batch, taps[0]), taps[1], settings.beta());
    }

    /**
     * Computes {@code β·mean((r(F_S) − F_T)²)}, the mean over all {@code B·C_T·H·W} elements.
     *
     * @param regressed {@code r(F_S)}, never null
     * @param teacher {@code F_T}, of the same shape, never null
     * @param beta β
     * @return a scalar on the regressed features' manager
     * @since 0.1
     */
    public static NDArray hintLoss(NDArray regressed, NDArray teacher, double beta) {
        return Scalars.mul(regressed.sub(teacher).square().mean(), beta);
    }
}
