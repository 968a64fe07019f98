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

/**
 * With torchvision's weights, FAD's {@code vit} computes what torchvision 0.14's {@code
 * VisionTransformer} computes: the same taps and logits (vit_forward_reference.py, a 2-layer model
 * on 3×32×32). This pins the layout details a parameter count cannot see: the patch order, layer
 * norm's axis and epsilon, exact GELU, the attention scaling and the head on the class token.
 *
 * <p>{@link VitArchitecture#djlNames} is the state_dict mapping.
 */
final class TestVitMatchesTorchvision {
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

    /** Copies one state_dict entry into its FAD parameters, splitting a fused one by rows. */
    private static void load(
            Map<String, Parameter> parameters, String torchvisionName, JsonNode entry, int layers) {
        List<String> names = VitArchitecture.djlNames(torchvisionName, layers);
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
