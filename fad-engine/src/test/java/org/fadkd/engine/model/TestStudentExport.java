package org.fadkd.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.fadkd.api.Architecture;
import org.fadkd.api.ArchitectureFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;
import org.fadkd.api.FadPlugin;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.api.Task;
import org.fadkd.engine.TestingComponents;
import org.fadkd.engine.TestingRegressorLoss;
import org.fadkd.engine.measure.ParameterCount;
import org.fadkd.engine.model.StudentDescriptor.ReportedEvaluation;
import org.fadkd.engine.model.StudentExport.ExportedStudent;
import org.fadkd.engine.testing.TestingFadContext;
import org.fadkd.engine.train.DistillationLoop;
import org.fadkd.engine.train.Evaluation;
import org.fadkd.engine.train.LoopListener;
import org.fadkd.engine.train.TrainingSettings;
import org.fadkd.engine.util.FadVersion;
import org.fadkd.engine.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A student trained with a method that has an extra module, exported, and reloaded from the export alone. */
final class TestStudentExport {
    private static final int CLASSES = 4;
    private static final int EVALUATION_BATCH = 64;
    private static final Config TASK = ConfigFactory.parseString("type = testing-classification");
    private static final Config DATA = ConfigFactory.parseString("type = testing-blobs, normalise = true");

    /** Architecture {@code testing-mlp}: {@link TestingComponents#mlp} with hidden {@code widths}. */
    private static final class MlpFactory implements ArchitectureFactory {
        @Override
        public String getName() {
            return "testing-mlp";
        }

        @Override
        public Architecture create(Config settings, FadContext context) {
            return TestingComponents.mlp(settings.getIntList("widths").stream().mapToInt(Integer::intValue).toArray());
        }

        @Override
        public Config getDefaults() {
            return ConfigFactory.parseString("widths = [16]");
        }
    }

    private static final FadPlugin PLUGIN = new FadPlugin() {
        @Override
        public List<ArchitectureFactory> getArchitectureFactories() {
            return List.of(new MlpFactory());
        }
    };

    private static TrainingSettings settings() {
        return TrainingSettings.from(ConfigFactory.parseString(
                "epochs = 3, batch-size = 32, eval-batch-size = 64, optimizer = adam,"
                        + " learning-rate = 0.01, momentum = 0.9, weight-decay = 0, schedule = fixed"), "trainer");
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** The logits for the first 32 test samples, copied to the heap. */
    private static float[] logits(TappedModel model, DataSplit split, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            int[] indices = IntStream.range(0, 32).toArray();
            NDList inputs = split.getBatch(scope, indices).inputs();
            NDArray output = model.infer(inputs).head();
            return output.toFloatArray();
        }
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }

    /** Exports an initialised, untrained {@code testing-mlp} with 4 hidden units. */
    private static StudentDescriptor exportUntrainedStudent(Path export) {
        LabeledDataset data = TestingComponents.blobs(64, 64, CLASSES);
        try (Model model = Model.newInstance("student")) {
            model.setBlock(TestingComponents.mlp(4).newBlock(data.getSampleShape(), CLASSES));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 8));
            return StudentExport.write(export, new TappedModel("student", model, List.of("hidden1")),
                    new StudentExport.Sections(ConfigFactory.parseString("type = testing-mlp, widths = [4]"), TASK, DATA),
                    data,
                    new ReportedEvaluation("test", 8, Map.of("top1", 0.25)));
        }
    }

    @Test
    void testReloadedStudentGivesBitwiseIdenticalOutputsAndTheReportedAccuracy(@TempDir Path job) throws IOException {
        LabeledDataset data = TestingComponents.blobs(256, 128, CLASSES);
        Task task = TestingComponents.classification();
        DataSplit test = data.getSplit(Split.TEST);
        Path export = job.resolve("student");
        float[] expectedLogits;
        Map<String, Double> reported;
        StudentDescriptor written;
        long bareStudentBytes;
        try (TestingFadContext context = TestingFadContext.of(PLUGIN);
                Model studentModel = Model.newInstance("student")) {
            Config section = ConfigFactory.parseString("type = testing-mlp");
            Config resolved = section.withFallback(new MlpFactory().getDefaults());
            Architecture architecture = context.createComponent(ComponentKind.ARCHITECTURE, section);
            studentModel.setBlock(architecture.newBlock(data.getSampleShape(), CLASSES));
            TappedModel student = new TappedModel("student", studentModel, architecture.getTapNames());
            TestingRegressorLoss method = new TestingRegressorLoss();
            new DistillationLoop(task, data, settings(), 3, (key, value, step) -> {}, LoopListener.NONE)
                    .train(student, null, method);
            reported = Evaluation.evaluate(student, task, test, EVALUATION_BATCH, context.getManager());
            // Trained well above chance (0.25), so reproducing it from the export is not trivial.
            assertThat(reported.get("top1")).isGreaterThan(0.5);
            expectedLogits = logits(student, test, context.getManager());

            written = StudentExport.write(export, student, new StudentExport.Sections(resolved, TASK, DATA), data,
                    new ReportedEvaluation("test", EVALUATION_BATCH, reported));

            assertThat(written.parameterCount()).isEqualTo(8 * 16 + 16 + 16 * CLASSES + CLASSES);
            // The regressor trained with the student (16→3, no bias) is not part of it.
            assertThat(ParameterCount.trainable(student.model().getBlock())).isEqualTo(written.parameterCount());
            try (Model bare = Model.newInstance("student")) {
                bare.setBlock(architecture.newBlock(data.getSampleShape(), CLASSES));
                bare.getBlock().initialize(bare.getNDManager(), DataType.FLOAT32, new Shape(1, 8));
                Path bareDirectory = job.resolve("bare");
                bare.save(bareDirectory, "student");
                bareStudentBytes = Files.size(bareDirectory.resolve("student-0000.params"));
            }
        }
        assertThat(fileNames(export)).containsExactly("model.json", written.weightsFile());
        assertThat(Files.size(export.resolve(written.weightsFile()))).isEqualTo(bareStudentBytes);

        StudentDescriptor read = StudentExport.readDescriptor(export);
        assertThat(read).isEqualTo(written);
        assertThat(read.fadVersion()).isEqualTo(FadVersion.get()).doesNotContain("${");
        assertThat(read.architectureType()).isEqualTo("testing-mlp");
        assertThat(read.architecture().getIntList("widths")).containsExactly(16);
        assertThat(read.inputShape()).isEqualTo(new Shape(8));
        assertThat(read.classCount()).isEqualTo(CLASSES);
        assertThat(read.task()).isEqualTo(TASK);
        assertThat(read.data()).isEqualTo(DATA);
        assertThat(read.dataFingerprint()).isEqualTo(data.getFingerprint());
        assertThat(read.tapNames()).containsExactly("hidden1");
        assertThat(read.evaluation().metrics()).isEqualTo(reported);

        // A fresh context and model, with nothing of the run above: only the directory.
        try (TestingFadContext context = TestingFadContext.of(PLUGIN);
                ExportedStudent reloaded = StudentExport.load(export, context)) {
            assertThat(bits(logits(reloaded.model(), test, context.getManager()))).containsExactly(bits(expectedLogits));
            Map<String, Double> again = Evaluation.evaluate(reloaded.model(), task, test,
                    reloaded.descriptor().evaluation().batchSize(), context.getManager());
            assertThat(again).isEqualTo(reloaded.descriptor().evaluation().metrics());
        }
    }

    @Test
    void testExportingAgainReplacesTheEarlierExport(@TempDir Path job) throws IOException {
        Path export = job.resolve("student");
        exportUntrainedStudent(export);
        StudentDescriptor second = exportUntrainedStudent(export);
        assertThat(fileNames(export)).containsExactly("model.json", second.weightsFile());
        assertThat(fileNames(job)).containsExactly("student");
    }

    @Test
    void testADirectoryWithoutADescriptorIsNotAnExport(@TempDir Path directory) {
        assertThatThrownBy(() -> StudentExport.readDescriptor(directory))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("is not an exported student")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.DATA_MISSING);
    }

    @Test
    void testWeightsThatNoLongerFitTheArchitectureFailNamingTheExport(@TempDir Path job) throws IOException {
        Path export = job.resolve("student");
        exportUntrainedStudent(export);
        Path descriptor = export.resolve(StudentExport.DESCRIPTOR);
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(descriptor.toFile());
        ((ObjectNode) json.get("architecture")).putArray("widths").add(5);
        Files.writeString(descriptor, Json.MAPPER.writeValueAsString(json));
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            assertThatThrownBy(() -> StudentExport.load(export, context).close())
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining(export.toString())
                    .hasMessageContaining("testing-mlp")
                    .hasMessageContaining("should have shape (5, 8), the weights give it (4, 8)");
        }
    }

    @Test
    void testTruncatedWeightsAreReportedAsADamagedExport(@TempDir Path job) throws IOException {
        Path export = job.resolve("student");
        exportUntrainedStudent(export);
        Path weights = export.resolve("student-0000.params");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        try (TestingFadContext context = TestingFadContext.of(PLUGIN)) {
            assertThatThrownBy(() -> StudentExport.load(export, context).close())
                    .isInstanceOf(FadException.class)
                    .hasMessageContaining("cannot be read")
                    .hasMessageContaining(weights.toString())
                    .hasMessageContaining("export the student again")
                    .hasMessageNotContaining("null")
                    .hasMessageNotContaining("do not load into architecture");
        }
    }
}
