package org.fadkd.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.engine.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code state.json} as FAD wrote it with Gson before it used Jackson ({@code
 * state-gson-format-1.json}, written by that code): it reads back value for value, NaN, infinities,
 * -0.0 and the shortest doubles included, and writing it again gives the same text but for Gson's
 * HTML escapes.
 */
final class TestCheckpointFormat {
    private static final String FIXTURE = "state-gson-format-1.json";

    @Test
    void testACheckpointWrittenByGsonReadsIdentically(@TempDir Path directory) throws IOException {
        Files.createDirectories(directory.resolve("epoch-0002"));
        Files.writeString(directory.resolve("epoch-0002/state.json"), fixture());
        Files.writeString(directory.resolve("latest"), "epoch-0002\n");

        Checkpoint checkpoint = Checkpoint.load(directory, null).orElseThrow();

        assertThat(checkpoint).isEqualTo(expected());
        assertThat(Double.doubleToRawLongBits(checkpoint.reports().get(1).training().get("L_kd")))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void testWritingItAgainGivesGsonsTextButForItsHtmlEscapes() throws IOException {
        String written = Json.NON_FINITE_AS_NUMBERS.writeValueAsString(expected().toJson());
        String unescaped = fixture().replace("\\u003d", "=").replace("\\u003c", "<").replace("\\u003e", ">")
                .replace("\\u0026", "&").replace("\\u0027", "'");
        assertThat(written).isEqualTo(unescaped);
        assertThat(Checkpoint.fromJson(Json.MAPPER.readValue(written, Checkpoint.StateJson.class))).isEqualTo(expected());
    }

    /** What the fixture was written from; integers of the method's state come back as Integer. */
    private static Checkpoint expected() {
        Map<String, Double> training1 = new LinkedHashMap<>();
        training1.put("L_total", 0.30000000000000004);
        training1.put("L_task", 1.0E-7);
        training1.put("L_kd", 12345.678901234567);
        Map<String, Double> validation1 = new LinkedHashMap<>();
        validation1.put("top1", 0.8125);
        validation1.put("top5", 1.0);
        Map<String, Double> training2 = new LinkedHashMap<>();
        training2.put("L_total", 0.1);
        training2.put("L_task", Double.MIN_VALUE);
        training2.put("L_kd", -0.0);
        Map<String, Double> validation2 = new LinkedHashMap<>();
        validation2.put("top1", Double.NaN);
        validation2.put("top5", Double.POSITIVE_INFINITY);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("stage", 1);
        state.put("epoch-in-stage", 0);
        state.put("fine-tuning", false);
        state.put("global-step", 18);
        state.put("teacher-statistics", List.of(0.1, 2.5E-5, 1.7976931348623157E308));
        state.put("student-statistics", List.of(0.2, Double.NEGATIVE_INFINITY, 3.0));
        state.put("mask", List.of(true, false, true));
        state.put("note", "a=b <c> & 'd'");
        state.put("kd-term", Map.of("student-normaliser", 0.5));
        return new Checkpoint(2, 4, 18, 0.8125, 1, Double.NaN,
                List.of(new EpochReport(1, training1, validation1, 12.5, 312.25),
                        new EpochReport(2, training2, validation2, 11.75, 320.0)),
                state);
    }

    private static String fixture() throws IOException {
        try (InputStream in = TestCheckpointFormat.class.getResourceAsStream(FIXTURE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
