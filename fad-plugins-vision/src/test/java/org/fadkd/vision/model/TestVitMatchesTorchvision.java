package org.fadkd.vision.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import com.fasterxml.jackson.databind.JsonNode;

import org.fadkd.api.Architecture;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * With torchvision's weights, FAD's {@code vit} computes what torchvision 0.14's {@code
 * VisionTransformer} computes: the same taps and logits (vit_forward_reference.py, a 2-layer model
 * on 3×32×32). This pins the layout details a parameter count cannot see: the patch order, layer
 * norm's axis and epsilon, exact GELU, the attention scaling and the head on the class token.
 *
 * <p>{@link #fadNames} is the state_dict mapping, written out for a model of {@code L} layers.
 */
final class TestVitMatchesTorchvision {
    private static final Pattern LAYER =
            Pattern.compile("encoder\\.layers\\.encoder_layer_(\\d+)\\.(.+)");

    @Test
    void testTapsAndLogitsEqualTorchvisionWithItsWeights() {
        JsonNode reference = TorchReference.json("vit_forward_reference.py");
        Architecture architecture =
                TestingModels.create(
                        new VitArchitectureFactory(),
                        Map.of(
                                "hidden-dim", 24,
                                "layers", 2,
                                "heads", 3,
                                "mlp-dim", 48,
                                "patch-size", 8));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block =
                    TestingModels.initialized(architecture, manager, new Shape(2, 3, 32, 32));
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            block.getParameters().forEach(pair -> parameters.put(pair.getKey(), pair.getValue()));
            reference
                    .get("state")
                    .fields()
                    .forEachRemaining(
                            entry -> load(parameters, entry.getKey(), entry.getValue(), 2));
            NDArray inputs = array(manager, reference.get("input"));
            NDList outputs =
                    block.forward(new ParameterStore(manager, false), new NDList(inputs), false);

            // in execution order, so that a failure names the first stage that differs
            List<String> taps = architecture.getTapNames();
            for (int k = 0; k < taps.size(); k++) {
                assertClose(outputs.get(k + 1), reference.get("taps").get(taps.get(k)), taps.get(k));
            }
            assertClose(outputs.head(), reference.get("logits"), "logits");
        }
    }

    /**
     * The FAD parameters a torchvision {@code VisionTransformer} state_dict entry maps onto, for a
     * model of {@code layers} encoder blocks. One name maps to one parameter of the same shape,
     * except the fused attention input projection, which maps to three (query, key, value rows
     * in that order). FAD's names carry the child's position: stage {@code k} of the model is
     * {@code String.format("%02d", k + 1)}, so {@code embedding} is 01, {@code block<i>} is
     * {@code i + 1}, {@code norm} {@code layers + 2} and the head {@code layers + 3}.
     */
    static List<String> fadNames(String torchvisionName, int layers) {
        Matcher layer = LAYER.matcher(torchvisionName);
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
                case "self_attention.out_proj.weight" -> List.of(
                        projections + "04resultProjection_weight");
                case "self_attention.out_proj.bias" -> List.of(
                        projections + "04resultProjection_bias");
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

    /** Copies one state_dict entry into its FAD parameters, splitting a fused one by rows. */
    private static void load(
            Map<String, Parameter> parameters, String torchvisionName, JsonNode entry, int layers) {
        List<String> names = fadNames(torchvisionName, layers);
        float[] values = floats(entry.get("values"));
        int part = values.length / names.size();
        for (int i = 0; i < names.size(); i++) {
            Parameter parameter = parameters.get(names.get(i));
            assertThat(parameter).as("FAD parameter for %s", torchvisionName).isNotNull();
            NDArray array = parameter.getArray();
            assertThat(array.size()).as(names.get(i)).isEqualTo(part);
            array.set(FloatBuffer.wrap(values, i * part, part));
        }
    }

    private static void assertClose(NDArray actual, JsonNode expected, String what) {
        NDArray reference = array(actual.getManager(), expected);
        assertThat(actual.getShape()).as(what).isEqualTo(reference.getShape());
        assertThat(actual.sub(reference).abs().max().getFloat()).as(what).isLessThan(1e-4f);
    }

    private static NDArray array(NDManager manager, JsonNode node) {
        long[] shape = new long[node.get("shape").size()];
        for (int axis = 0; axis < shape.length; axis++) {
            shape[axis] = node.get("shape").get(axis).asLong();
        }
        return manager.create(floats(node.get("values")), new Shape(shape));
    }

    private static float[] floats(JsonNode values) {
        float[] result = new float[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = (float) values.get(i).asDouble();
        }
        return result;
    }
}
