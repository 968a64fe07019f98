package org.fadkd.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.engine.model.StudentDescriptor.ReportedEvaluation;
import org.fadkd.engine.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model.json} as FAD wrote it with Gson before it used Jackson ({@code
 * model-gson-format-1.json}, written by that code): it reads back value for value, and writing it
 * again gives the same text but for Gson's HTML escapes.
 */
final class TestStudentDescriptorFormat {
    private static final String FIXTURE = "model-gson-format-1.json";

    @Test
    void testAnExportWrittenByGsonReadsIdentically(@TempDir Path export) throws IOException {
        Files.writeString(export.resolve(StudentExport.DESCRIPTOR), fixture());
        assertThat(StudentExport.readDescriptor(export)).isEqualTo(expected());
    }

    @Test
    void testWritingItAgainGivesGsonsTextButForItsHtmlEscapes() throws IOException {
        String written = Json.MAPPER.writeValueAsString(StudentExport.toJson(expected()));
        assertThat(written).isEqualTo(fixture().replace("\\u003d", "=").replace("\\u003c", "<").replace("\\u003e", ">"));
        assertThat(StudentExport.fromJson(Json.MAPPER.readValue(written, StudentExport.DescriptorJson.class)))
                .isEqualTo(expected());
    }

    /** A section's numbers keep their values whatever notation the config used. */
    @Test
    void testSectionNumbersRoundTripByValue() throws IOException {
        StudentDescriptor descriptor = new StudentDescriptor("0.1.0", ConfigFactory.parseString(
                        "type = testing, rate = 1e-3, tiny = 4.9E-324, big = 9007199254740993, half = 0.5"),
                new Shape(8), 2, ConfigFactory.parseString("type = t"), ConfigFactory.parseString("type = d"),
                "f", 1, "student-0000.params", List.of(), new ReportedEvaluation("test", 1, Map.of("top1", 0.1)));
        StudentDescriptor read = StudentExport.fromJson(Json.MAPPER.readValue(
                Json.MAPPER.writeValueAsString(StudentExport.toJson(descriptor)), StudentExport.DescriptorJson.class));
        assertThat(read.architecture().getDouble("rate")).isEqualTo(1e-3);
        assertThat(read.architecture().getDouble("tiny")).isEqualTo(Double.MIN_VALUE);
        assertThat(read.architecture().getLong("big")).isEqualTo(9007199254740993L);
        assertThat(read).isEqualTo(descriptor);
    }

    /**
     * A network of several inputs records each one's shape under {@code input-shapes}; one of a
     * single input does not, so its export reads as before (the fixture has none either).
     */
    @Test
    void testTheShapesOfSeveralInputsRoundTripAndOneInputWritesNone() throws IOException {
        StudentDescriptor tokens = new StudentDescriptor("0.2.0", ConfigFactory.parseString("type = bert"),
                new Shape(128), List.of(new Shape(128), new Shape(128)), 2, ConfigFactory.parseString("type = t"),
                ConfigFactory.parseString("type = d"), "f", 1, "student-0000.params", List.of(),
                new ReportedEvaluation("test", 1, Map.of("top1", 0.1)));
        String written = Json.MAPPER.writeValueAsString(StudentExport.toJson(tokens));

        assertThat(Json.MAPPER.readTree(written).get("input-shapes").toString()).isEqualTo("[[128],[128]]");
        StudentDescriptor read = StudentExport.fromJson(Json.MAPPER.readValue(written, StudentExport.DescriptorJson.class));
        assertThat(read.inputShapes()).containsExactly(new Shape(128), new Shape(128));
        assertThat(read).isEqualTo(tokens);

        assertThat(expected().inputShapes()).containsExactly(new Shape(1, 28, 28));
        assertThat(Json.MAPPER.writeValueAsString(StudentExport.toJson(expected()))).doesNotContain("input-shapes");
    }

    /** What the fixture was written from. */
    private static StudentDescriptor expected() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("top1", 0.8734);
        metrics.put("top5", 0.9962000000000001);
        return new StudentDescriptor("0.1.0-SNAPSHOT",
                ConfigFactory.parseString("type = cnn, widths = [16, 32, 64], pool = [true, true, false]"),
                new Shape(1, 28, 28), 10, ConfigFactory.parseString("type = classification"),
                ConfigFactory.parseString("type = fashion-mnist, root = \"/data/fm=1 <x>\", normalize = true, scale = 0.5"),
                "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", 24058L,
                "student-0000.params", List.of("stage1", "stage2", "stage3"), new ReportedEvaluation("test", 256, metrics));
    }

    private static String fixture() throws IOException {
        try (InputStream in = TestStudentDescriptorFormat.class.getResourceAsStream(FIXTURE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
