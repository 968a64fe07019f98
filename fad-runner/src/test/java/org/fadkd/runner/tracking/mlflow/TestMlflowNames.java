package org.fadkd.runner.tracking.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

final class TestMlflowNames {
    /** Keys the recorded server refused (fixtures 041, 044 to 051), and others a config could hold. */
    private static final List<String> REFUSED = List.of("bad@key", "a/../b", "..", "/abs", "dir/", "a//b", ".",
            "k".repeat(251), "\"quoted.key\"", "weights[0]", "über", "a/./b", "");

    @Test
    void testEveryKeyBecomesOneTheServerAccepts() {
        for (String key : REFUSED) {
            String valid = MlflowNames.key(key);
            TestingMlflowServer.validateKey(valid, "key");
            assertThat(valid.length()).isBetween(1, MlflowNames.MAX_KEY_LENGTH);
        }
        // The fake refuses them as given: the names were not valid before.
        for (String key : REFUSED.subList(0, 7)) {
            assertThatThrownBy(() -> TestingMlflowServer.validateKey(key, "key")).hasMessageContaining("Names may");
        }
    }

    @Test
    void testValidKeysStayAsTheyAreAndLongOnesStayDistinct() {
        for (String key : List.of("train/loss", "with space", "opt/lr", "colon:key", "dots.and-dashes_ok")) {
            assertThat(MlflowNames.key(key)).isEqualTo(key);
        }
        assertThat(MlflowNames.key("a@b")).isEqualTo("a_b");
        assertThat(MlflowNames.key("k".repeat(300))).isNotEqualTo(MlflowNames.key("k".repeat(301)))
                .isEqualTo(MlflowNames.key("k".repeat(300)));
    }

    @Test
    void testLongValuesAreCutVisiblyAndTheSameEveryTime() {
        String value = "x".repeat(7000);
        String cut = MlflowNames.paramValue(value);
        assertThat(cut).hasSize(MlflowNames.MAX_PARAM_VALUE_LENGTH).endsWith("...[cut from 7000 characters]");
        assertThat(MlflowNames.paramValue(value)).isEqualTo(cut);
        assertThat(MlflowNames.tagValue("y".repeat(9000))).hasSize(MlflowNames.MAX_TAG_VALUE_LENGTH);
        assertThat(MlflowNames.paramValue("short")).isEqualTo("short");
    }
}
