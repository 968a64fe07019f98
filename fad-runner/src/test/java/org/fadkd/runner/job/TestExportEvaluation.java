package org.fadkd.runner.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.engine.measure.MeasurementEnvironment;
import org.fadkd.engine.model.StudentDescriptor;
import org.fadkd.engine.model.StudentDescriptor.ReportedEvaluation;
import org.junit.jupiter.api.Test;

/** How an evaluation's outcome compares recorded and reproduced metrics, and where they ran. */
final class TestExportEvaluation {
    private static final Map<String, Double> RECORDED = new LinkedHashMap<>();

    static {
        RECORDED.put("top1", 0.8430000000000001);
        RECORDED.put("top5", 0.99);
    }

    private static final MeasurementEnvironment HERE = new MeasurementEnvironment("PyTorch 2.7.1", "cpu()", 2);

    private static ExportEvaluation.Outcome outcome(Map<String, Double> reproduced, Map<String, Object> job) {
        StudentDescriptor descriptor = new StudentDescriptor("0.1.0", ConfigFactory.parseString("type = cnn"),
                new Shape(1, 28, 28), 10, ConfigFactory.parseString("type = classification"),
                ConfigFactory.parseString("type = fashion-mnist"), "fingerprint", 100, "student-0000.params",
                List.of(), new ReportedEvaluation("test", 500, RECORDED));
        return new ExportEvaluation.Outcome(descriptor, reproduced, HERE, job);
    }

    @Test
    void testOnlyBitForBitEqualMetricsAgreeAndAMissingOneDiffers() {
        ExportEvaluation.Outcome equal = outcome(RECORDED, Map.of());
        // The last bit of top1 differs, top5 is missing, f1 is new.
        ExportEvaluation.Outcome different = outcome(Map.of("top1", 0.843, "f1", 0.5), Map.of());

        assertThat(equal.differences()).isEmpty();
        assertThat(different.metricNames()).containsExactly("top1", "top5", "f1");
        assertThat(different.differences()).containsExactly("top1", "top5", "f1");
    }

    @Test
    void testWarnsOnlyWhereTheJobRanElsewhere() {
        Map<String, Double> metrics = RECORDED;

        assertThat(outcome(metrics, Map.of()).environmentWarnings()).isEmpty();
        assertThat(outcome(metrics, Map.of("engine", "PyTorch 2.7.1", "device", "cpu()", "threads", 2))
                .environmentWarnings()).isEmpty();
        assertThat(outcome(metrics, Map.of("engine", "PyTorch 2.7.1", "device", "gpu(0)", "threads", 16))
                .environmentWarnings()).containsExactly(
                        "Warning: the job ran with device 'gpu(0)', this evaluation with 'cpu()'; metrics may differ"
                                + " in the last bits.",
                        "Warning: the job ran with threads '16', this evaluation with '2'; metrics may differ in the"
                                + " last bits.");
    }
}
