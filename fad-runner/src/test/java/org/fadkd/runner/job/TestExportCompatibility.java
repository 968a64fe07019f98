package org.fadkd.runner.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fadkd.api.DataSplit;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.model.StudentDescriptor;
import org.fadkd.engine.model.StudentDescriptor.ReportedEvaluation;
import org.junit.jupiter.api.Test;

final class TestExportCompatibility {
    private static final Path EXPORT = Path.of("/jobs/0/student");
    private static final Config TASK = ConfigFactory.parseString("type = classification");
    private static final Config DATA = ConfigFactory.parseString("type = fashion-mnist, root = \"/data/a\", normalize = true");

    private static StudentDescriptor descriptor() {
        return new StudentDescriptor("0.1.0", ConfigFactory.parseString("type = cnn, width = 16"), new Shape(1, 28, 28),
                10, TASK, DATA, "fingerprint-a", 24058, "student-0000.params", List.of("stage1"),
                new ReportedEvaluation("test", 500, Map.of("top1", 0.88)));
    }

    private static LabeledDataset dataset(Shape sampleShape, int classes, String fingerprint) {
        return dataset(sampleShape, List.of(sampleShape), classes, fingerprint);
    }

    private static LabeledDataset dataset(Shape sampleShape, List<Shape> inputShapes, int classes, String fingerprint) {
        return new LabeledDataset() {
            @Override
            public DataSplit getSplit(Split split) {
                throw new UnsupportedOperationException("a compatibility check reads no sample");
            }

            @Override
            public Shape getSampleShape() {
                return sampleShape;
            }

            @Override
            public List<Shape> getInputShapes() {
                return inputShapes;
            }

            @Override
            public int getClassCount() {
                return classes;
            }

            @Override
            public String getFingerprint() {
                return fingerprint;
            }
        };
    }

    private static List<String> problems(Config task, Config data, LabeledDataset dataset) {
        return ExportCompatibility.problems(EXPORT, descriptor(), "quickstart", task, data, dataset, Set.of("root"));
    }

    @Test
    void testTheSameFilesInAnotherPlaceFit() {
        Config moved = ConfigFactory.parseString("root = \"/elsewhere\"").withFallback(DATA);

        assertThat(problems(TASK, moved, dataset(new Shape(1, 28, 28), 10, "fingerprint-a"))).isEmpty();
    }

    @Test
    void testAnotherTransformIsRefusedWithTheOverrideThatRestoresIt() {
        Config unnormalised = ConfigFactory.parseString("normalize = false").withFallback(DATA);

        assertThat(problems(TASK, unnormalised, dataset(new Shape(1, 28, 28), 10, "fingerprint-a"))).containsExactly(
                "Setting 'data.normalize' is 'false' in experiment 'quickstart', but the student in '/jobs/0/student'"
                        + " was trained with 'true' (a different transform or split gives different numbers). Evaluate"
                        + " it with the settings it was trained with: data.normalize=true.");
    }

    @Test
    void testOtherFilesAnotherTaskShapeAndClassesAreEachNamedWithBothValues() {
        Config task = ConfigFactory.parseString("type = classification, smoothing = 0.1");

        List<String> problems = problems(task, DATA, dataset(new Shape(3, 32, 32), 100, "fingerprint-b"));

        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).contains("fingerprint 'fingerprint-b'", "fingerprint 'fingerprint-a'");
        assertThat(problems.get(1)).contains("Setting 'task.smoothing' is '0.1'", "trained with '<missing>'",
                "~task.smoothing");
        assertThat(problems.get(2)).contains("shape '(3, 32, 32)'", "takes '(1, 28, 28)'");
        assertThat(problems.get(3)).contains("has 100 classes", "built for 10");
    }

    /** A network of one input cannot take data of two (ids and a mask), though the first has its shape. */
    @Test
    void testOtherFurtherInputsAreNamedWithBothShapes() {
        LabeledDataset twoInputs = dataset(new Shape(1, 28, 28), List.of(new Shape(1, 28, 28), new Shape(1, 28, 28)),
                10, "fingerprint-a");

        assertThat(problems(TASK, DATA, twoInputs)).containsExactly("The data of experiment 'quickstart' gives inputs of"
                + " shapes [(1, 28, 28), (1, 28, 28)], but the student in '/jobs/0/student' takes [(1, 28, 28)].");
    }
}
