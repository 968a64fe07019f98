package org.fadkd.distill.method.feature;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import org.fadkd.api.DistillationBatch;
import org.fadkd.api.MethodSetup;
import org.fadkd.flow.Scalars;

/**
 * Masked generative distillation, MGD (fad-spec §11.7), on the last pair (the last backbone stage
 * with the automatic pairing), after the shape-matching rule:
 * {@code D_mgd = α_mgd·(1/B)·Σ_{b,c,h,w}(G(align(F_S)∘Mk) − F_T)²}. The student's aligned features,
 * randomly masked, must let the generation block {@code G} rebuild the teacher's whole map.
 *
 * <p>Extra modules: {@code align}, a 1×1 convolution {@code C_S→C_T} with bias (left out when
 * {@code C_S = C_T}), then {@code G} = 3×3 convolution {@code C_T→C_T} (padding 1), ReLU, 3×3
 * convolution, both with bias. The mask {@code Mk} is redrawn every step ({@link GenerativeMasks}).
 * Feature maps only.
 *
 * @since 0.1
 */
public final class GenerativeLoss extends FeatureLoss {
    private final GenerativeSettings settings;
    private Block align;
    private Block generation;
    private long seed;

    /**
     * Creates the loss.
     *
     * @param settings its settings, never null
     * @since 0.1
     */
    public GenerativeLoss(GenerativeSettings settings) {
        super(GenerativeFactory.NAME, requireNonNull(settings, "settings is null").common());
        this.settings = settings;
    }

    /**
     * Returns the settings.
     *
     * @return the settings, never null
     * @since 0.1
     */
    public GenerativeSettings getSettings() {
        return settings;
    }

    @Override
    protected List<TapPair> build(MethodSetup setup, List<TapPair> pairs) {
        TapPair last = pairs.get(pairs.size() - 1);
        FeaturePairing.requireFeatureMaps(name(), setup, last);
        seed = setup.seed();
        long channels = last.teacherChannels();
        align = last.studentChannels() == channels
                ? null
                : Modules.initialize(Modules.convolution(channels, 1, true), setup, last.matchedStudentShape());
        generation = Modules.initialize(newGeneration(channels), setup, last.matchedTeacherShape());
        return List.of(last);
    }

    private static Block newGeneration(long channels) {
        return new SequentialBlock()
                .add(Modules.convolution(channels, 3, true))
                .add(Activation.reluBlock())
                .add(Modules.convolution(channels, 3, true));
    }

    /** {@code align} (when the channels differ), then {@code G}. */
    @Override
    public List<Block> getTrainableBlocks() {
        if (generation == null) {
            return List.of();
        }
        return align == null ? List.of(generation) : List.of(align, generation);
    }

    @Override
    public NDArray distillationTerm(DistillationBatch batch) {
        NDArray[] taps = matchedTaps(batch, preparedPairs().get(0));
        NDArray aligned = align == null ? taps[0] : Modules.forward(align, batch, taps[0]);
        NDArray mask = GenerativeMasks.draw(batch.manager(), aligned.getDataType(), settings.mask(),
                settings.maskRatio(), seed, batch.progress().globalStep(), aligned.getShape());
        return generationLoss(batch, aligned, mask, taps[1]);
    }

    /**
     * Computes {@code α_mgd·(1/B)·Σ(G(aligned∘mask) − F_T)²} for a given mask.
     *
     * @param batch the batch whose parameter store runs {@code G}, never null
     * @param aligned {@code align(F_S)}, {@code (B, C_T, H, W)}, never null
     * @param mask the mask, broadcastable to {@code aligned}, never null
     * @param teacher {@code F_T}, {@code (B, C_T, H, W)}, never null
     * @return a scalar on {@code aligned}'s manager
     */
    NDArray generationLoss(DistillationBatch batch, NDArray aligned, NDArray mask, NDArray teacher) {
        NDArray generated = Modules.forward(generation, batch, aligned.mul(mask));
        long batchSize = aligned.getShape().get(0);
        return Scalars.mul(generated.sub(teacher).square().sum(), settings.alpha() / batchSize);
    }

    /**
     * Returns the generation block {@code G}, for tests that set its weights.
     *
     * @return the block, null before {@link #prepare}
     */
    Block generation() {
        return generation;
    }
}
