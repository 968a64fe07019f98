package org.fadkd.vision.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;

import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FileTensor;
import org.fadkd.api.block.TappedSequentialBlock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Vision Transformer (Dosovitskiy et al. 2021) in the layout of torchvision 0.14's {@code
 * VisionTransformer}: patch embedding with class token and position embedding, pre-norm encoder
 * blocks, a final layer norm, and a linear head on the class token. Taps: {@code embedding} (the
 * tokens entering the first block), {@code block1} … {@code blockL} (the residual stream after
 * each block) and {@code norm} (the final layer norm's output), all {@code (B, 1 + N, D)}.
 *
 * <p>The embedding (fad-spec §1) is the {@code norm} tap's class token, exactly what the head
 * reads. Parameters map one to one onto torchvision's {@code state_dict}, see {@link
 * PatchEmbedding}, {@link SelfAttention} and {@link #encoderBlock}; every shape equals
 * torchvision's except the split of the fused attention input projection.
 */
final class VitArchitecture extends ImageArchitecture<VitSettings> {
    /** torchvision's {@code partial(nn.LayerNorm, eps=1e-6)}; DJL's default is 1e-5. */
    private static final float LAYER_NORM_EPSILON = 1e-6f;
    private static final Pattern ENCODER_LAYER = Pattern.compile("encoder\\.layers\\.encoder_layer_(\\d+)\\.(.+)");
    private static final List<String> ENCODER_LAYER_NAMES = List.of(
            "ln_1.weight", "ln_1.bias", "self_attention.in_proj_weight", "self_attention.in_proj_bias",
            "self_attention.out_proj.weight", "self_attention.out_proj.bias", "ln_2.weight", "ln_2.bias",
            "mlp.0.weight", "mlp.0.bias", "mlp.3.weight", "mlp.3.bias");

    VitArchitecture(VitSettings settings) {
        super(VitArchitectureFactory.NAME, settings);
    }

    @Override
    Block build(Shape sampleShape, int outputSize, List<String> tapNames) {
        long patches = patchCount(sampleShape);
        TappedSequentialBlock model =
                new TappedSequentialBlock()
                        .addStage(
                                tapNames.get(0),
                                new PatchEmbedding(
                                        settings.hiddenDim(),
                                        settings.patchSize(),
                                        patches,
                                        settings.dropout()));
        for (int layer = 1; layer <= settings.layers(); layer++) {
            model.addStage(tapNames.get(layer), encoderBlock());
        }
        model.addStage(tapNames.get(settings.layers() + 1), layerNorm());
        return model.setHead(
                new SequentialBlock()
                        .add(new LambdaBlock(VitArchitecture::classToken, "classToken"))
                        .add(Linear.builder().setUnits(outputSize).build()));
    }

    @Override
    public List<String> getTapNames() {
        List<String> names =
                new ArrayList<>(
                        Layers.numberedTaps(List.of("embedding"), "block", settings.layers()));
        names.add("norm");
        return List.copyOf(names);
    }

    /**
     * torchvision's {@code VisionTransformer} names; the fused attention input projection ({@code
     * in_proj_weight}, {@code in_proj_bias}) splits by rows into query, key and value.
     */
    @Override
    public Map<String, FileTensor> getParameterNames(String convention, Block block) {
        if (!convention.equals(TorchvisionNames.CONVENTION)) {
            return Map.of();
        }
        List<String> torchvisionNames = new ArrayList<>(
                List.of("class_token", "conv_proj.weight", "conv_proj.bias", "encoder.pos_embedding"));
        for (int layer = 0; layer < settings.layers(); layer++) {
            for (String name : ENCODER_LAYER_NAMES) {
                torchvisionNames.add("encoder.layers.encoder_layer_" + layer + "." + name);
            }
        }
        torchvisionNames.addAll(List.of("encoder.ln.weight", "encoder.ln.bias", "heads.head.weight", "heads.head.bias"));
        Map<String, FileTensor> names = new LinkedHashMap<>();
        for (String torchvisionName : torchvisionNames) {
            List<String> parameters = djlNames(torchvisionName, settings.layers());
            for (int part = 0; part < parameters.size(); part++) {
                names.put(parameters.get(part), FileTensor.slice(torchvisionName, part, parameters.size()));
            }
        }
        return names;
    }

    /**
     * The DJL parameters a torchvision {@code VisionTransformer} state_dict entry maps onto, for a
     * model of {@code layers} encoder blocks. One name maps to one parameter of the same values,
     * except the fused attention input projection, which maps to three (query, key, value rows in
     * that order). The DJL names carry each child's position: stage {@code k} of the model is
     * {@code String.format("%02d", k + 1)}, so {@code embedding} is 01, {@code block<i>} is {@code
     * i + 1}, {@code norm} {@code layers + 2} and the head {@code layers + 3}.
     *
     * @throws IllegalArgumentException for a name torchvision's model does not have
     */
    static List<String> djlNames(String torchvisionName, int layers) {
        Matcher layer = ENCODER_LAYER.matcher(torchvisionName);
        if (layer.matches()) {
            int block = Integer.parseInt(layer.group(1)) + 1;
            String prefix = String.format("%02dblock%d_", block + 1, block);
            String attention = prefix + "01ParallelBlock_01SequentialBlock_";
            String mlp = prefix + "02ParallelBlock_01SequentialBlock_";
            String projections = attention + "02SelfAttention_01attention_";
            return switch (layer.group(2)) {
                case "ln_1.weight" -> List.of(attention + "01LayerNorm_gamma");
                case "ln_1.bias" -> List.of(attention + "01LayerNorm_beta");
                case "self_attention.in_proj_weight" -> List.of(
                        projections + "02queryProjection_weight",
                        projections + "01keyProjection_weight",
                        projections + "03valueProjection_weight");
                case "self_attention.in_proj_bias" -> List.of(
                        projections + "02queryProjection_bias",
                        projections + "01keyProjection_bias",
                        projections + "03valueProjection_bias");
                case "self_attention.out_proj.weight" -> List.of(projections + "04resultProjection_weight");
                case "self_attention.out_proj.bias" -> List.of(projections + "04resultProjection_bias");
                case "ln_2.weight" -> List.of(mlp + "01LayerNorm_gamma");
                case "ln_2.bias" -> List.of(mlp + "01LayerNorm_beta");
                case "mlp.0.weight" -> List.of(mlp + "02Linear_weight");
                case "mlp.0.bias" -> List.of(mlp + "02Linear_bias");
                case "mlp.3.weight" -> List.of(mlp + "05Linear_weight");
                case "mlp.3.bias" -> List.of(mlp + "05Linear_bias");
                default -> throw new IllegalArgumentException(torchvisionName);
            };
        }
        String norm = String.format("%02dnorm_", layers + 2);
        String head = String.format("%02dhead_02Linear_", layers + 3);
        return switch (torchvisionName) {
            case "class_token" -> List.of("01embedding_classToken");
            case "conv_proj.weight" -> List.of("01embedding_01projection_weight");
            case "conv_proj.bias" -> List.of("01embedding_01projection_bias");
            case "encoder.pos_embedding" -> List.of("01embedding_positionEmbedding");
            case "encoder.ln.weight" -> List.of(norm + "gamma");
            case "encoder.ln.bias" -> List.of(norm + "beta");
            case "heads.head.weight" -> List.of(head + "weight");
            case "heads.head.bias" -> List.of(head + "bias");
            default -> throw new IllegalArgumentException(torchvisionName);
        };
    }

    /** The head reads the class token of the {@code norm} tap, the last one. */
    @Override
    public EmbeddingSource getEmbeddingSource() {
        return EmbeddingSource.FIRST_TOKEN;
    }

    /**
     * The number of patches of one sample: the patch must tile the image exactly, since
     * torchvision's convolution would silently drop the remainder.
     */
    private long patchCount(Shape sampleShape) {
        long height = sampleShape.get(1);
        long width = sampleShape.get(2);
        int patch = settings.patchSize();
        if (height % patch != 0 || width % patch != 0) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "Architecture '"
                            + name
                            + "' cuts images into "
                            + patch
                            + "x"
                            + patch
                            + " patches, which do not tile samples of shape "
                            + sampleShape
                            + ". Set 'patch-size' to a divisor of both "
                            + height
                            + " and "
                            + width
                            + ", or resize the images.");
        }
        return (height / patch) * (width / patch);
    }

    /**
     * torchvision's {@code EncoderBlock}: {@code x + dropout(attention(norm(x)))}, then {@code y +
     * mlp(norm(y))} with the MLP {@code Linear(D, mlp) → GELU → dropout → Linear(mlp, D) →
     * dropout}. Children in torchvision's terms: {@code ln_1}, {@code self_attention}, {@code
     * ln_2}, {@code mlp.0} (Linear), {@code mlp.3} (Linear).
     */
    private Block encoderBlock() {
        Block attention =
                new SequentialBlock()
                        .add(layerNorm())
                        .add(
                                new SelfAttention(
                                        settings.hiddenDim(),
                                        settings.heads(),
                                        settings.attentionDropout()))
                        .add(dropout());
        Block mlp =
                new SequentialBlock()
                        .add(layerNorm())
                        .add(Linear.builder().setUnits(settings.mlpDim()).build())
                        // exact (erf) GELU, as nn.GELU()
                        .add(Activation.geluBlock())
                        .add(dropout())
                        .add(Linear.builder().setUnits(settings.hiddenDim()).build())
                        .add(dropout());
        return new SequentialBlock().add(Layers.residual(attention)).add(Layers.residual(mlp));
    }

    /** Normalises each token over its {@code D} values (axis 2 of (B, N, D)). */
    private static Block layerNorm() {
        return LayerNorm.builder().axis(2).optEpsilon(LAYER_NORM_EPSILON).build();
    }

    private Block dropout() {
        return Dropout.builder().optRate((float) settings.dropout()).build();
    }

    private static NDList classToken(NDList tokens) {
        return new NDList(tokens.singletonOrThrow().get(":, 0, :"));
    }
}
