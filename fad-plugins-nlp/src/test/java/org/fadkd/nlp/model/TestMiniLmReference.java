package org.fadkd.nlp.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.weights.OnnxInitializers;
import org.fadkd.engine.weights.WeightInfo;
import org.fadkd.nlp.NlpPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * all-MiniLM-L6-v2, imported from its ONNX export (langchain4j's jar, a test dependency) onto the
 * native {@code bert} encoder through {@code weights { file, new-head = true }}, reproduces ONNX
 * Runtime's {@code last_hidden_state} on the same file: alone, and in a right-padded batch on the
 * non-padding positions.
 */
final class TestMiniLmReference {
    /** The largest difference allowed: float32 arithmetic in another order, through 6 layers. */
    private static final float TOLERANCE = 1e-5f;
    private static final int CLASSES = 2;
    /** bert-base-uncased WordPiece: "i like strawberries", [CLS] … [SEP]. */
    private static final long[] STRAWBERRIES = {101, 1045, 2066, 13137, 20968, 102};
    /** "the quick brown fox jumps over the lazy dog". */
    private static final long[] FOX = {101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 102};

    @TempDir
    static Path directory;

    private static Path onnx;

    @BeforeAll
    static void copyModel() throws IOException {
        onnx = directory.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = TestMiniLmReference.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            assertThat(in).as("all-minilm-l6-v2.onnx from langchain4j's jar on the test class path").isNotNull();
            Files.copy(in, onnx);
        }
    }

    @Test
    void testImportedEncoderReproducesOnnxRuntime() throws OrtException {
        float[][][] strawberries = onnxRuntime(new long[][] {STRAWBERRIES}, new long[][] {ones(STRAWBERRIES.length)});
        float[][][] fox = onnxRuntime(new long[][] {FOX}, new long[][] {ones(FOX.length)});
        long[][] padded = {Arrays.copyOf(STRAWBERRIES, FOX.length), FOX};
        long[][] mask = {Arrays.copyOf(ones(STRAWBERRIES.length), FOX.length), ones(FOX.length)};
        try (TestingFadContext context = TestingFadContext.of(new NlpPlugin());
                Model model = Model.newInstance("minilm")) {
            Architecture architecture = context.create(ComponentKind.ARCHITECTURE, String.format(
                    "type = bert, weights { file = \"%s\", format = onnx, new-head = true }", onnx));
            model.setBlock(architecture.newBlock(new Shape(FOX.length), CLASSES));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, FOX.length));
            assertThat(maxDifference(lastHiddenState(model, new long[][] {STRAWBERRIES}, null), strawberries[0],
                    STRAWBERRIES.length)).isLessThan(TOLERANCE);
            assertThat(maxDifference(lastHiddenState(model, new long[][] {FOX}, null), fox[0], FOX.length))
                    .isLessThan(TOLERANCE);
            float[][][] batch = lastHiddenStates(model, padded, mask);
            assertThat(maxDifference(batch[0], strawberries[0], STRAWBERRIES.length)).isLessThan(TOLERANCE);
            assertThat(maxDifference(batch[1], fox[0], FOX.length)).isLessThan(TOLERANCE);
        }
    }

    /** MiniLM-L6 has 22.6 M parameters: the encoder's equal the ONNX file's float initializers. */
    @Test
    void testEncoderParametersEqualTheOnnxInitializers() {
        long onnxElements;
        try (OnnxInitializers initializers = OnnxInitializers.open(onnx)) {
            onnxElements = initializers.getTensors().stream()
                    .filter(info -> info.storedType().isFloatingPoint())
                    .mapToLong(WeightInfo::size)
                    .sum();
        }
        try (TestingFadContext context = TestingFadContext.of(new NlpPlugin());
                NDManager manager = NDManager.newBaseManager()) {
            Block block = context.create(ComponentKind.ARCHITECTURE, "type = bert").newBlock(new Shape(16), CLASSES);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
            long encoder = 0;
            long head = 0;
            for (Pair<String, Parameter> pair : block.getParameters()) {
                long size = pair.getValue().getArray().size();
                if (pair.getKey().matches("\\d+head_.*")) {
                    head += size;
                } else {
                    encoder += size;
                }
            }
            assertThat(encoder).isEqualTo(onnxElements).isEqualTo(22_565_376L);
            assertThat(head).isEqualTo(384L * CLASSES + CLASSES);
        }
    }

    /** The last tap (layer6) of one unpadded sequence. */
    private static float[][] lastHiddenState(Model model, long[][] ids, long[][] mask) {
        return lastHiddenStates(model, ids, mask)[0];
    }

    private static float[][][] lastHiddenStates(Model model, long[][] ids, long[][] mask) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList(manager.create(ids));
            if (mask != null) {
                inputs.add(manager.create(mask));
            }
            NDList outputs = model.getBlock().forward(new ParameterStore(manager, false), inputs, false);
            NDArray last = outputs.get(outputs.size() - 1);
            Shape shape = last.getShape();
            float[] values = last.toFloatArray();
            float[][][] states = new float[(int) shape.get(0)][(int) shape.get(1)][(int) shape.get(2)];
            int index = 0;
            for (float[][] sequence : states) {
                for (float[] token : sequence) {
                    for (int k = 0; k < token.length; k++) {
                        token[k] = values[index++];
                    }
                }
            }
            return states;
        }
    }

    private static float[][][] onnxRuntime(long[][] ids, long[][] mask) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = environment.createSession(onnx.toString(), options);
                    OnnxTensor inputIds = OnnxTensor.createTensor(environment, ids);
                    OnnxTensor attentionMask = OnnxTensor.createTensor(environment, mask);
                    OnnxTensor tokenTypes = OnnxTensor.createTensor(environment, new long[ids.length][ids[0].length]);
                    OrtSession.Result result = session.run(Map.of("input_ids", inputIds,
                            "attention_mask", attentionMask, "token_type_ids", tokenTypes))) {
                return (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
            }
        }
    }

    /** The largest absolute difference over the first {@code tokens} positions. */
    private static float maxDifference(float[][] actual, float[][] expected, int tokens) {
        float max = 0;
        for (int t = 0; t < tokens; t++) {
            assertThat(actual[t]).hasSameSizeAs(expected[t]);
            for (int k = 0; k < expected[t].length; k++) {
                max = Math.max(max, Math.abs(actual[t][k] - expected[t][k]));
            }
        }
        return max;
    }

    private static long[] ones(int length) {
        long[] ones = new long[length];
        Arrays.fill(ones, 1);
        return ones;
    }
}
