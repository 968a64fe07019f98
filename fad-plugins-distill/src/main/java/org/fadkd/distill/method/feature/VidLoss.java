package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.MethodSetup;
import org.fadkd.flow.Scalars;

/**
 * Variational information distillation, as RepDistiller (fad-spec §11.6): over all pairs, after the
 * shape-matching rule,
 * {@code D_vid = β·Σ_pairs mean_{b,c,h,w} ½[(μ_bchw − F_T,bchw)²/σ²_c + ln σ²_c]}: the negative
 * log-likelihood of the teacher's features under a Gaussian whose mean {@code μ(F_S)} a regressor
 * predicts from the student's and whose per-channel variance is learnt. It may be negative once
 * {@code σ² < 1}.
 *
 * <p>Extra modules per pair, in pair order: the regressor (1×1 convolutions {@code C_S→C_T}, ReLU,
 * {@code C_T→C_T}, ReLU, {@code C_T→C_T}, no bias; linear layers on the last axis for {@code (B,
 * N, D)} and {@code (B, D)} taps), then the {@link ChannelVariance}.
 *
 * @since 0.1
 */
public final class VidLoss extends FeatureLoss {
    private final VidSettings settings;
    private final List<Block> regressors = new ArrayList<>();
    private final List<Block> variances = new ArrayList<>();

    /**
     * Creates the loss.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public VidLoss(VidSettings settings) {
        super(VidFactory.NAME, requireNonNull(settings, "settings is null").common());
        this.settings = settings;
    }

    /**
     * Returns the settings.
     *
     * @return the settings, never null
     * @since 0.1
     */
    public VidSettings getSettings() {
        return settings;
    }

    @Override
    protected List<TapPair> build(MethodSetup setup, List<TapPair> pairs) {
        regressors.clear();
        variances.clear();
        for (TapPair pair : pairs) {
            regressors.add(Modules.initialize(newRegressor(pair), setup, pair.matchedStudentShape()));
            ChannelVariance variance =
                    new ChannelVariance(pair.teacherChannels(), settings.initialParameter(), settings.epsilon());
            variances.add(Modules.initialize(variance, setup, pair.matchedTeacherShape()));
        }
        return pairs;
    }

    private static Block newRegressor(TapPair pair) {
        long channels = pair.teacherChannels();
        boolean spatial = pair.isSpatial();
        SequentialBlock block = new SequentialBlock();
        for (int layer = 0; layer < 3; layer++) {
            if (layer > 0) {
                block.add(Activation.reluBlock());
            }
            block.add(spatial ? Modules.convolution(channels, 1, false) : Modules.linear(channels, false));
        }
        return block;
    }

    /** Per pair: the regressor, then the variance. */
    @Override
    public List<Block> getTrainableBlocks() {
        List<Block> blocks = new ArrayList<>();
        for (int k = 0; k < regressors.size(); k++) {
            blocks.add(regressors.get(k));
            blocks.add(variances.get(k));
        }
        return blocks;
    }

    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        List<TapPair> pairs = preparedPairs();
        NDArray sum = null;
        for (int k = 0; k < pairs.size(); k++) {
            NDArray[] taps = matchedTaps(batch, pairs.get(k));
            NDArray mean = Modules.forward(regressors.get(k), batch, taps[0]);
            NDArray variance = Modules.forward(variances.get(k), batch, taps[1]);
            NDArray value = negativeLogLikelihood(mean, taps[1], variance);
            sum = sum == null ? value : sum.add(value);
        }
        return Scalars.mul(sum, settings.beta());
    }

    /**
     * Computes one pair's {@code mean ½[(μ − F_T)²/σ²_c + ln σ²_c]}, without β.
     *
     * @param mean {@code μ}, {@code (B, C, H, W)}, {@code (B, N, C)} or {@code (B, C)}, never null
     * @param target {@code F_T}, of the same shape, never null
     * @param variance {@code σ²}, {@code (C)}, on the batch's manager, never null
     * @return a scalar on {@code mean}'s manager
     * @since 0.1
     */
    public static NDArray negativeLogLikelihood(NDArray mean, NDArray target, NDArray variance) {
        // Channels are axis 1 of a feature map, the last axis otherwise.
        NDArray perChannel = mean.getShape().dimension() == 4 ? variance.reshape(-1, 1, 1) : variance;
        NDArray terms = mean.sub(target).square().div(perChannel).add(perChannel.log());
        return Scalars.mul(terms.mean(), 0.5);
    }
}
