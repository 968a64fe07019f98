package org.fadkd.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class TestHeadless {
    @Test
    void testSetsHeadlessUnlessTheProcessChose() {
        String before = System.getProperty("java.awt.headless");
        try {
            System.clearProperty("java.awt.headless");
            Headless.ensure();
            assertThat(System.getProperty("java.awt.headless")).isEqualTo("true");

            System.setProperty("java.awt.headless", "false");
            Headless.ensure();
            assertThat(System.getProperty("java.awt.headless")).isEqualTo("false");
        } finally {
            if (before == null) {
                System.clearProperty("java.awt.headless");
            } else {
                System.setProperty("java.awt.headless", before);
            }
        }
    }
}
