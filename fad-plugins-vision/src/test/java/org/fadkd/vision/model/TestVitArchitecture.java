package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import org.fadkd.api.Architecture;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.block.TappedSequentialBlock;
import org.fadkd.engine.measure.MacCounter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

final class TestVitArchitecture {
    private static final VitArchitectureFactory FACTORY = new VitArchitectureFactory();

    /** A transformer small enough to run: 3×32×32 images in 8-pixel patches, 16 + 1 tokens. */
    private static final Map<String, Object> SMALL =
            Map.of("hidden-dim", 24, "layers", 2, "heads", 3, "mlp-dim", 48, "patch-size", 8);

    private static final Shape SMALL_BATCH = new Shape(2, 3, 32, 32);

    @Test
    void testDefaults() {
        assertThat(VitSettings.from(FACTORY.getDefaults()))
                .isEqualTo(new VitSettings(192, 12, 3, 768, 16, 0.0, 0.0));
    }

    @Test
    void testSizesAndOverrides() {
        assertThat(settings(Map.of("size", "small")))
                .isEqualTo(new VitSettings(384, 12, 6, 1536, 16, 0.0, 0.0));
        assertThat(settings(Map.of("size", "base", "patch-size", 32)))
                .isEqualTo(new VitSettings(768, 12, 12, 3072, 32, 0.0, 0.0));
        assertThat(
                        settings(
                                Map.of(
                                        "size", "base",
                                        "hidden-dim", 64,
                                        "layers", 3,
                                        "heads", 4,
                                        "mlp-dim", 128,
                                        "dropout", 0.1,
                                        "attention-dropout", 0.2)))
                .isEqualTo(new VitSettings(64, 3, 4, 128, 16, 0.1, 0.2));
    }

    /**
     * Trainable parameters and MACs equal torchvision 0.14's (vit_reference.py, counted as
     * MacCounter counts: conv_proj, the attention projections, {@code QKᵀ} and {@code A·V} at
     * {@code N²·D} each, the MLP and the head; 1 MAC = 1 FLOP). ViT-B/16 is also within 1 % of
     * the 17.56 GFLOPS torchvision publishes, which are MACs in that convention.
     */
    @Test
    void testCountsEqualTorchvision() {
        Map<String, TorchReference.Counts> reference =
                TorchReference.counts("vit_reference.py");
        Map<String, TorchReference.Counts> fad = new java.util.LinkedHashMap<>();
        fad.put("vit-b16", counts(Map.of("size", "base"), new Shape(3, 224, 224), 1000));
        fad.put("vit-s16", counts(Map.of("size", "small"), new Shape(3, 224, 224), 10));
        fad.put("vit-ti16", counts(Map.of("size", "tiny"), new Shape(3, 224, 224), 10));
        fad.put(
                "vit-ti4",
                counts(Map.of("size", "tiny", "patch-size", 4), new Shape(3, 32, 32), 10));

        assertThat(fad).isEqualTo(reference);
        assertThat(fad.get("vit-b16").parameters()).isEqualTo(86_567_656L);
        assertThat(fad.get("vit-b16").macs() / 1e9).isCloseTo(17.56, within(17.56 * 0.01));
    }

    @Test
    void testForwardShapesTapsAndEmbedding() {
        Architecture architecture = TestingModels.create(FACTORY, SMALL);
        List<String> taps = List.of("embedding", "block1", "block2", "norm");
        List<Shape> expected = new ArrayList<>();
        expected.add(new Shape(2, 10));
        expected.addAll(Collections.nCopies(taps.size(), new Shape(2, 17, 24)));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestingModels.initialized(architecture, manager, SMALL_BATCH);
            NDList outputs = forward(block, manager.randomNormal(SMALL_BATCH));

            assertThat(architecture.getTapNames()).isEqualTo(taps);
            assertThat(((TappedSequentialBlock) block).getTapNames()).isEqualTo(taps);
            assertThat(outputs.stream().map(NDArray::getShape).toList()).isEqualTo(expected);
            assertThat(block.getOutputShapes(new Shape[] {SMALL_BATCH}))
                    .containsExactlyElementsOf(expected);
            assertThat(architecture.getEmbeddingSource()).isEqualTo(EmbeddingSource.FIRST_TOKEN);
            assertThat(EmbeddingSource.FIRST_TOKEN.size(new Shape(17, 24))).isEqualTo(24);
        }
    }

    /**
     * The norm tap is torchvision's layer norm over each token's D values, not over the whole
     * (N, D) sample that DJL's LayerNorm defaults to: at initialisation (γ = 1, β = 0) every token
     * has mean 0 and variance 1. The head is the linear layer on that tap's class token.
     */
    @Test
    void testNormTapNormalisesEachTokenAndFeedsTheHead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block =
                    TestingModels.initialized(
                            TestingModels.create(FACTORY, SMALL), manager, SMALL_BATCH);
            NDList outputs = forward(block, manager.randomNormal(SMALL_BATCH));
            NDArray norm = outputs.get(outputs.size() - 1);

            assertThat(norm.mean(new int[] {2}).abs().max().getFloat()).isLessThan(1e-5f);
            NDArray variance = norm.pow(2).mean(new int[] {2});
            assertThat(variance.sub(1).abs().max().getFloat()).isLessThan(1e-3f);
            NDArray classToken = EmbeddingSource.FIRST_TOKEN.embed(norm);
            NDArray logits =
                    classToken
                            .matMul(parameter(block, "05head", "weight").transpose())
                            .add(parameter(block, "05head", "bias"));
            assertThat(logits.sub(outputs.head()).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    @Test
    void testGradientReachesEveryParameterIncludingClassTokenAndPositions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block =
                    TestingModels.initialized(
                            TestingModels.create(FACTORY, SMALL), manager, SMALL_BATCH);
            List<String> names = block.getParameters().keys();

            assertThat(names).anyMatch(name -> name.endsWith("classToken"));
            assertThat(names).anyMatch(name -> name.endsWith("positionEmbedding"));
            assertThat(TestingModels.parametersWithoutGradient(block, manager, SMALL_BATCH))
                    .filteredOn(name -> !TestingModels.isKeyProjectionBias(name))
                    .isEmpty();
        }
    }

    /** Saved weights load into a block built again from the same settings (fad-api's contract). */
    @Test
    void testSavedParametersLoadIntoARebuiltBlock() throws Exception {
        Architecture architecture = TestingModels.create(FACTORY, SMALL);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block saved = TestingModels.initialized(architecture, manager, SMALL_BATCH);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            saved.saveParameters(new DataOutputStream(bytes));
            Block loaded = TestingModels.initialized(architecture, manager, SMALL_BATCH);
            loaded.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            NDArray inputs = manager.randomNormal(SMALL_BATCH);

            assertThat(forward(loaded, inputs).head().toFloatArray())
                    .containsExactly(forward(saved, inputs).head().toFloatArray());
        }
    }

    /** Parameter shapes torchvision's state_dict maps onto (the in_proj split in thirds). */
    @Test
    void testParameterShapesFollowTorchvision() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block =
                    TestingModels.initialized(
                            TestingModels.create(FACTORY, SMALL), manager, SMALL_BATCH);
            Map<String, Shape> shapes = new java.util.LinkedHashMap<>();
            block.getParameters()
                    .forEach(pair -> shapes.put(pair.getKey(), pair.getValue().getArray().getShape()));

            assertThat(shapes)
                    .containsEntry("01embedding_01projection_weight", new Shape(24, 3, 8, 8))
                    .containsEntry("01embedding_01projection_bias", new Shape(24))
                    .containsEntry("01embedding_classToken", new Shape(1, 1, 24))
                    .containsEntry("01embedding_positionEmbedding", new Shape(1, 17, 24))
                    .containsEntry("04norm_gamma", new Shape(24))
                    .containsEntry("05head_02Linear_weight", new Shape(10, 24));
            // torchvision's in_proj_weight (3D, D) splits into these three, in order q, k, v
            assertThat(shapes)
                    .containsEntry(
                            "02block1_01ParallelBlock_01SequentialBlock_02SelfAttention"
                                    + "_01attention_02queryProjection_weight",
                            new Shape(24, 24))
                    .containsEntry(
                            "02block1_02ParallelBlock_01SequentialBlock_02Linear_weight",
                            new Shape(48, 24));
            // per block: ln_1, q/k/v/out projections, ln_2, mlp.0 and mlp.3, all with bias
            assertThat(shapes.keySet().stream().filter(name -> name.startsWith("02block1_")))
                    .hasSize(2 + 8 + 2 + 4);
            assertThat(TestingModels.trainableParameters(block))
                    .isEqualTo(
                            24 * 3 * 8 * 8 + 24 // conv_proj
                                    + 24 + 17 * 24 // class token, position embedding
                                    + 2 * (2 * 24 + 4 * (24 * 24 + 24) // ln_1, attention
                                            + 2 * 24 + (24 * 48 + 48) + (48 * 24 + 24)) // ln_2, mlp
                                    + 2 * 24 // final layer norm
                                    + 24 * 10 + 10); // head
        }
    }

    @Test
    void testRejectsImagesThePatchDoesNotTile() {
        Architecture architecture = TestingModels.create(FACTORY, Map.of());

        assertThatThrownBy(() -> architecture.newBlock(new Shape(1, 28, 28), 10))
                .isInstanceOf(FadException.class)
                .hasMessage(
                        "Architecture 'vit' cuts images into 16x16 patches, which do not tile"
                                + " samples of shape (1, 28, 28). Set 'patch-size' to a divisor of"
                                + " both 28 and 28, or resize the images.")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.INCOMPATIBLE_COMPONENTS);
    }

    @Test
    void testRejectsUnknownSizeAndHeadsThatDoNotDivideTheWidth() {
        assertThatThrownBy(() -> settings(Map.of("size", "huge")))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Setting 'size' of architecture 'vit' is 'huge'; it must be one of tiny,"
                                + " small, base.");
        assertThatThrownBy(() -> settings(Map.of("hidden-dim", 100, "heads", 3)))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Setting 'heads' of architecture 'vit' is '3'; it must be a divisor of the"
                                + " token width 100 (hidden-dim or the size's).")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThatThrownBy(() -> settings(Map.of("size", "small", "heads", 5)))
                .hasMessageContaining("it must be a divisor of the token width 384");
        // a rejected width is reported once, not again as a width the heads do not divide
        assertThatThrownBy(() -> settings(Map.of("hidden-dim", 0)))
                .hasMessage(
                        "Setting 'hidden-dim' of architecture 'vit' is '0'; it must be an integer"
                                + " >= 1.");
        assertThatThrownBy(() -> settings(Map.of("layers", 0, "dropout", 1.0)))
                .hasMessageContaining("Setting 'layers' of architecture 'vit' is '0'")
                .hasMessageContaining("Setting 'dropout' of architecture 'vit' is '1.0'")
                .hasMessageEndingWith("2 errors");
    }

    private static VitSettings settings(Map<String, ?> overrides) {
        return VitSettings.from(
                com.typesafe.config.ConfigFactory.parseMap(overrides)
                        .withFallback(FACTORY.getDefaults())
                        .resolve());
    }

    private static TorchReference.Counts counts(
            Map<String, ?> overrides, Shape sample, int classes) {
        Block block = TestingModels.create(FACTORY, overrides).newBlock(sample, classes);
        long macs = MacCounter.count(block, sample);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(sample));
            return new TorchReference.Counts(TestingModels.trainableParameters(block), macs);
        }
    }

    private static NDList forward(Block block, NDArray inputs) {
        return block.forward(
                new ParameterStore(inputs.getManager(), false), new NDList(inputs), false);
    }

    /** The array of the parameter whose name starts with {@code prefix} and ends with {@code suffix}. */
    private static NDArray parameter(Block block, String prefix, String suffix) {
        return block.getParameters().stream()
                .filter(pair -> pair.getKey().startsWith(prefix) && pair.getKey().endsWith(suffix))
                .findFirst()
                .orElseThrow()
                .getValue()
                .getArray();
    }
}
