package org.fadkd.engine.util;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared mapper's fixed configuration, as {@link Json} documents it. */
final class TestJson {
    record Point(String runName, Double bestTop1, int epochs) {}

    record Numbers(double[] doubles, float[] floats) {}

    @Test
    void testLayoutIsTwoSpacesKeyColonValueAndOneArrayElementPerLine() throws IOException {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("name", "kd");
        value.put("widths", List.of(16, 32));
        value.put("empty-list", List.of());
        value.put("empty-map", Map.of());
        value.put("nested", Map.of("alpha", 0.5));
        assertThat(Json.MAPPER.writeValueAsString(value)).isEqualTo("""
                {
                  "name": "kd",
                  "widths": [
                    16,
                    32
                  ],
                  "empty-list": [],
                  "empty-map": {},
                  "nested": {
                    "alpha": 0.5
                  }
                }""");
        assertThat(Json.COMPACT.writeValueAsString(value))
                .isEqualTo("{\"name\":\"kd\",\"widths\":[16,32],\"empty-list\":[],\"empty-map\":{},\"nested\":{\"alpha\":0.5}}");
    }

    @Test
    void testRecordsAreSnakeCaseWithoutNullsMapsKeepTheirKeysAndNulls() throws IOException {
        assertThat(Json.COMPACT.writeValueAsString(new Point("kd", null, 4))).isEqualTo("{\"run_name\":\"kd\",\"epochs\":4}");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("runName", null);
        assertThat(Json.COMPACT.writeValueAsString(map)).isEqualTo("{\"runName\":null}");
        // A key this version does not know (a later FAD's) is ignored.
        assertThat(Json.MAPPER.readValue("{\"run_name\":\"fad\",\"epochs\":2,\"added_later\":true}", Point.class))
                .isEqualTo(new Point("fad", null, 2));
    }

    @Test
    void testDoublesAndFloatsRoundTripExactly() throws IOException {
        Random random = new Random(42);
        List<Double> doubles = new ArrayList<>(List.of(0.1, 0.30000000000000004, 1e-7, 1.7976931348623157E308,
                Double.MIN_VALUE, Double.MIN_NORMAL, -0.0, 0.0, 12345.678901234567, 1e22, 1e23));
        List<Float> floats = new ArrayList<>(List.of(0.1f, Float.MIN_VALUE, Float.MAX_VALUE, -0.0f, 3.4028235e38f, 1e-7f));
        for (int i = 0; i < 1000; i++) {
            doubles.add(Double.longBitsToDouble(random.nextLong()));
            floats.add(Float.intBitsToFloat(random.nextInt()));
        }
        doubles.removeIf(value -> !Double.isFinite(value));
        floats.removeIf(value -> !Float.isFinite(value));
        Numbers numbers = new Numbers(doubles.stream().mapToDouble(Double::doubleValue).toArray(), toArray(floats));

        Numbers read = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(numbers), Numbers.class);
        assertThat(read.doubles()).containsExactly(numbers.doubles());
        for (int i = 0; i < numbers.floats().length; i++) {
            assertThat(Float.floatToIntBits(read.floats()[i])).isEqualTo(Float.floatToIntBits(numbers.floats()[i]));
        }
        List<Object> untyped = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(doubles), new TypeReference<>() {});
        assertThat(untyped).containsExactlyElementsOf(doubles);
        // the shortest form that reads back, as Double.toString (and Gson) write it
        assertThat(Json.COMPACT.writeValueAsString(List.of(0.1, 1.0E-7, 320.0, -0.0))).isEqualTo("[0.1,1.0E-7,320.0,-0.0]");
    }

    @Test
    void testNonFiniteNumbersAreStringsByDefaultBareForCheckpointsAndReadEitherWay() throws IOException {
        List<Double> special = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertThat(Json.COMPACT.writeValueAsString(special)).isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\"]");
        String bare = Json.NON_FINITE_AS_NUMBERS.writeValueAsString(special);
        assertThat(bare).isEqualTo("[\n  NaN,\n  Infinity,\n  -Infinity\n]");
        assertThat(Json.MAPPER.readValue(bare, double[].class)).containsExactly(Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY);
        assertThat(Json.MAPPER.readValue("[\"NaN\",\"Infinity\",\"-Infinity\"]", double[].class))
                .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertThat(Json.MAPPER.readValue(bare, new TypeReference<List<Object>>() {})).containsExactlyElementsOf(special);
    }

    private static float[] toArray(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
