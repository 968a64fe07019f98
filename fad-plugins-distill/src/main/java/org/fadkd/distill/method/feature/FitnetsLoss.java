package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
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
 * <p>Token taps {@code (B, L, H)} of sequence models (transformer hidden states, widths {@code H_S}
 * and {@code H_T}) get the linear regressor per position. When the batch carries a position mask
 * (a sequence task such as language modelling, {@link FeatureLoss#positionMask}) the mean runs over
 * the non-padding positions only ({@link #maskedHintLoss}); a text classifier's batch has none, and
 * padding positions count like tokens.
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
        NDArray regressed = Modules.forward(regressor, batch, taps[0]);
        NDArray mask = positionMask(batch, taps[1]);
        return mask == null
                ? hintLoss(regressed, taps[1], settings.beta())
                : maskedHintLoss(regressed, taps[1], mask, settings.beta());
    }

    /**
     * Computes the hint loss of token taps over the non-padding positions only: {@code β·Σ_{b,t}
     * m_bt Σ_h (r(F_S) − F_T)²_bth / (H_T·Σ_{b,t} m_bt)}, the mean over every element of every
     * token position, so that padding neither adds error nor dilutes the mean.
     *
     * @param regressed {@code r(F_S)}, {@code (B, L, H_T)}, never null
     * @param teacher {@code F_T}, of the same shape, never null
     * @param mask the position mask {@code (B, L)}, 1 for a token and 0 for padding, in the taps'
     *     data type, never null
     * @param beta β
     * @return a scalar on the regressed features' manager
     * @throws org.fadkd.api.FadException with INCOMPATIBLE_COMPONENTS when the mask marks no token
     * @since 0.2
     */
    public static NDArray maskedHintLoss(NDArray regressed, NDArray teacher, NDArray mask, double beta) {
        // The number of token values is read back to the host: a Java constant, like B in a mean.
        double values = mask.sum().toType(DataType.FLOAT64, false).getDouble() * teacher.getShape().get(2);
        if (!(values > 0)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Method '%s': the position mask of the labels marks no token in a batch of shape %s, so there"
                            + " is nothing to distil. Every sequence must hold at least one token.",
                    FitnetsFactory.NAME, teacher.getShape()));
        }
        NDArray perPosition = regressed.sub(teacher).square().sum(new int[] {2});
        return Scalars.mul(perPosition.mul(mask).sum(), beta / values);
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
