package org.fadkd.runner.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.fadkd.runner.report.TestingSweeps.fullMetrics;
import static org.fadkd.runner.report.TestingSweeps.writeJob;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser shows it, through {@code src/test/chromium/check-report.sh}: runs only
 * where a {@code chromium} binary is on PATH (Debian: {@code apt-get install chromium}).
 */
final class TestReportInChromium {
    private static final Path CHECK = Path.of("src/test/chromium/check-report.sh");

    private record Check(int exitCode, String output) {}

    @Test
    void testEveryImageDecodesAndNothingScrollsSidewaysAt1280Pixels(@TempDir Path root)
            throws IOException, InterruptedException {
        assumeThat(chromiumOnPath()).as("chromium on PATH").isTrue();
        Path report = SweepReport.read(List.of(sweep(root))).write(root.resolve("report.html"));

        Check check = check(report, root.resolve("check"));

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("All checks passed: 11 inline PNG images decoded");
        assertThat(root.resolve("check/report.png")).isNotEmptyFile();
    }

    @Test
    void testTheCheckFindsABrokenImage(@TempDir Path root) throws IOException, InterruptedException {
        assumeThat(chromiumOnPath()).as("chromium on PATH").isTrue();
        Path report = SweepReport.read(List.of(sweep(root))).write(root.resolve("report.html"));
        String html = Files.readString(report);
        int payload = html.indexOf("base64,") + "base64,".length();
        Files.writeString(report, html.substring(0, payload) + "AAAA" + html.substring(payload + 64));

        Check check = check(report, root.resolve("check"));

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.output()).contains("FAIL: 1 broken images: radar chart of method=kd");
    }

    private static Path sweep(Path root) throws IOException {
        Path sweep = root.resolve("sweep");
        writeJob(sweep, 0, "kd", 1, "FINISHED", fullMetrics(0.85, 0.84, 0.60, 70));
        writeJob(sweep, 1, "kd", 2, "FINISHED", fullMetrics(0.87, 0.86, 0.64, 74));
        writeJob(sweep, 2, "fad", 1, "FINISHED", fullMetrics(0.88, 0.88, 0.62, 130));
        writeJob(sweep, 3, "fad", 2, "FINISHED", fullMetrics(0.90, 0.89, 0.62, 134));
        return sweep;
    }

    private static Check check(Path report, Path out) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", CHECK.toString(), "-o", out.toString(), "--html", report.toString())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Check(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static boolean chromiumOnPath() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, "chromium")));
    }
}
