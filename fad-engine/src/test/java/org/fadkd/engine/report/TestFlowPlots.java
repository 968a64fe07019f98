package org.fadkd.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestFlowPlots {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void testWritesBothPlotsAsPngOfTheDocumentedSize(@TempDir Path directory) throws IOException {
        FlowReport report = new FlowReport("cka",
                new double[] {0.42, 0.18, 0.25, 0.08, 0.31},
                new double[] {0.05, 0.02, 0.04},
                new double[] {0.36, 0.21, 0.27},
                0.1873, 0.0129);

        List<Path> files = FlowPlots.write(report, directory);

        assertThat(files).containsExactly(
                directory.resolve("flow_profiles.png"), directory.resolve("alignment_error.png"));
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            assertThat(Arrays.copyOf(bytes, PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image).as(file.toString()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(FlowPlots.WIDTH).isEqualTo(800);
            assertThat(image.getHeight()).isEqualTo(FlowPlots.HEIGHT).isEqualTo(500);
        }
    }

    @Test
    void testSinglePointProfilesAreDrawnAtDepthZero(@TempDir Path directory) throws IOException {
        FlowReport report = new FlowReport("relative-change",
                new double[] {0.5}, new double[] {0.1}, new double[] {0.45}, 0, 0);
        FlowPlots.write(report, directory);
        assertThat(ImageIO.read(directory.resolve(FlowPlots.PROFILES_FILE).toFile()).getWidth()).isEqualTo(800);
        assertThat(ImageIO.read(directory.resolve(FlowPlots.ALIGNMENT_ERROR_FILE).toFile()).getHeight())
                .isEqualTo(500);
    }
}
