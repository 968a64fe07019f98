package org.fadkd.runner.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fadkd.runner.report.TestingSweeps.basicMetrics;
import static org.fadkd.runner.report.TestingSweeps.fullMetrics;
import static org.fadkd.runner.report.TestingSweeps.writeJob;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestSweepReport {
    private static final Pattern IMAGE = Pattern.compile("<img ([^>]*)>");
    private static final Pattern DATA_PNG =
            Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"(\\d+)\" height=\"(\\d+)\"");

    /** kd and fad with two seeds each and a failed third fad job. */
    private static Path sweep(Path root, boolean withMeasurements) throws IOException {
        Path sweep = root.resolve("multirun/2026-01-01/10-00-00");
        writeJob(sweep, 0, "kd", 1, "FINISHED", withMeasurements
                ? fullMetrics(0.85, 0.84, 0.60, 70) : basicMetrics(0.85, 0.84));
        writeJob(sweep, 1, "kd", 2, "FINISHED", withMeasurements
                ? fullMetrics(0.87, 0.86, 0.64, 74) : basicMetrics(0.87, 0.86));
        writeJob(sweep, 2, "fad", 1, "FINISHED", withMeasurements
                ? fullMetrics(0.88, 0.88, 0.62, 130) : basicMetrics(0.88, 0.88));
        writeJob(sweep, 3, "fad", 2, "FINISHED", withMeasurements
                ? fullMetrics(0.90, 0.89, 0.62, 134) : basicMetrics(0.90, 0.89));
        writeJob(sweep, 4, "fad", 3, "FAILED", basicMetrics(0.10, 0.10));
        return sweep;
    }

    @Test
    void testWithTheCompressionMeasurementsEverySectionIsDrawn(@TempDir Path root) throws IOException {
        String html = SweepReport.read(List.of(sweep(root, true))).toHtml();

        // mean ± sample std over seeds: best 0.85, 0.87 → 86.00 ± 1.41; latency 0.60, 0.64 → 0.620 ± 0.028;
        // equal values (params, GFLOPs, size, throughput) stand alone; the failed fad job is not averaged
        assertThat(html).containsPattern("method=kd</td><td>cnn</td><td>2</td><td>86\\.00 ± 1\\.41</td>"
                + "<td>85\\.00 ± 1\\.41</td><td>0\\.0241</td><td>0\\.00413</td><td>0\\.0952</td>"
                + "<td>0\\.620 ± 0\\.028</td><td>21000</td><td>72\\.0 ± 2\\.8</td></tr>");
        assertThat(html).containsPattern("method=fad</td><td>cnn</td><td>2</td><td>89\\.00 ± 1\\.41</td>"
                + "<td>88\\.50 ± 0\\.71</td><td>0\\.0241</td><td>0\\.00413</td><td>0\\.0952</td>"
                + "<td>0\\.620</td><td>21000</td><td>132\\.0 ± 2\\.8</td></tr>");
        assertThat(html).containsPattern("<td>teacher</td><td>resnet</td><td>–</td><td>–</td><td>92\\.00</td>"
                + "<td>0\\.3092</td><td>0\\.04120</td><td>1\\.1900</td><td>2\\.400</td><td>1800</td><td>–</td>");
        // radar scores: kd's 72 s against fad's 132 s is 100·(1 − 72/132) = 45.5
        assertThat(html).containsPattern("method=kd</td><td>86\\.0</td><td>45\\.5</td><td>74\\.2</td>");
        assertThat(imageAlts(html)).containsExactly(
                "radar chart of method=kd", "radar chart of method=fad",
                "best top-1 against GFLOPs per configuration",
                "flow_profiles.png of job 0", "alignment_error.png of job 0",
                "flow_profiles.png of job 1", "alignment_error.png of job 1",
                "flow_profiles.png of job 2", "alignment_error.png of job 2",
                "flow_profiles.png of job 3", "alignment_error.png of job 3");
        // the one gap: kd and fad ran without the student alone to compare them with
        assertThat(html.split("class=\"note\"", -1)).hasSize(2);
        assertThat(html).contains("<p class=\"note\">No baseline in this sweep: add method=none to compare");
        assertThat(html).doesNotContain("vs none");
        assertEveryImageIsAnInlinePng(html);
        assertSelfContained(html);
    }

    @Test
    void testEachConfigurationIsComparedWithTheStudentAlonePairedBySeed(@TempDir Path root) throws IOException {
        Path sweep = root.resolve("sweep");
        int job = 0;
        double[][] bestAndFinal = {
            {0.80, 0.82, 0.81, 0.79, 0.81, 0.80}, // none, seeds 1–3: best, then final
            {0.85, 0.88, 0.86, 0.84, 0.85, 0.82}, // kd
            {0.84, 0.87, 0.85, 0.83, 0.86, 0.84}, // fad
        };
        String[] methods = {"none", "kd", "fad"};
        for (int m = 0; m < methods.length; m++) {
            for (int seed = 1; seed <= 3; seed++) {
                writeJob(sweep, job++, methods[m], seed, "FINISHED",
                        basicMetrics(bestAndFinal[m][seed - 1], bestAndFinal[m][seed + 2]));
            }
        }
        writeJob(sweep, job++, "kd", 1, "FINISHED", basicMetrics(0.86, 0.85), "trainer=staged");
        writeJob(sweep, job++, "kd", 2, "FINISHED", basicMetrics(0.86, 0.85), "trainer=staged");
        writeJob(sweep, job++, "at", 1, "FINISHED", basicMetrics(0.71, 0.70));
        writeJob(sweep, job, "at", 5, "FINISHED", basicMetrics(0.73, 0.72));

        String html = SweepReport.read(List.of(sweep)).toHtml();

        assertThat(html).contains("<th>final top-1<br><span class=\"unit\">(%)</span></th>"
                + "<th>final vs none<br><span class=\"unit\">(pp, 95% CI)</span></th><th>params");
        assertThat(html).contains("<td>teacher</td><td>resnet</td><td>–</td><td>–</td><td>92.00</td><td>–</td>");
        assertThat(html).contains("method=none</td><td>cnn</td><td>3</td><td>81.00 ± 1.00</td><td>80.00 ± 1.00</td>"
                + "<td><span class=\"partial\">baseline</span></td>");
        // kd − none per seed, final top-1: 0.05, 0.04, 0.02 → mean 3.67 pp, sd 1.5275, half-width
        // t(0.975, 2) · sd / √3 = 4.302653 · 1.527525 / 1.732051 = 3.794628 → [−0.13, +7.46], not above zero
        assertThat(html).contains("method=kd</td><td>cnn</td><td>3</td><td>86.33 ± 1.53</td><td>83.67 ± 1.53</td>"
                + "<td>+3.67 (n=3)<br><span class=\"interval\">[\u22120.13, +7.46]</span></td>");
        // fad − none: 0.04, 0.05, 0.04 → mean 4.33, sd 0.5774, half-width 1.434218 → [+2.90, +5.77], above zero
        assertThat(html).contains("method=fad</td><td>cnn</td><td>3</td><td>85.33 ± 1.53</td><td>84.33 ± 1.53</td>"
                + "<td>+4.33 * (n=3)<br><span class=\"interval\">[+2.90, +5.77]</span></td>");
        assertThat(html).contains("method=kd trainer=staged</td><td>cnn</td><td>2</td><td>86.00</td><td>85.00</td>"
                + "<td><span class=\"partial\" title=\"no method=none configuration with otherwise the same settings\">"
                + "no baseline</span></td>");
        // at shares only seed 1 with none: 0.70 − 0.79, no interval
        assertThat(html).contains("<td>71.00 ± 1.41</td><td>\u22129.00 (n=1)</td>");
        assertThat(html).contains("paired by seed", "<code>method=none</code>", "95 % Student's t interval",
                "only when the interval excludes zero").doesNotContain("No baseline in this sweep");
    }

    @Test
    void testWithoutTheCompressionMeasurementsTheGapsAreShownAndExplained(@TempDir Path root) throws IOException {
        String html = SweepReport.read(List.of(sweep(root, false))).toHtml();

        assertThat(html).containsPattern("method=kd</td><td>cnn</td><td>2</td><td>86\\.00 ± 1\\.41</td>"
                + "<td>85\\.00 ± 1\\.41</td><td>0\\.0241</td><td>–</td><td>–</td><td>–</td><td>–</td><td>–</td></tr>");
        assertThat(html).contains("Not recorded in these jobs&#39; summary.json, so shown as –: GFLOPs (student_gflops),"
                + " size (student_size_mb), latency (student_latency_ms), throughput (student_throughput),"
                + " compression time (compression_time_s).");
        assertThat(html).contains("A radar chart needs at least 3 axes and only Acc and params can be scored here");
        assertThat(html).contains("The scatter is left out: it needs student_gflops and best_top1");
        // the scores that can be computed are still tabled: params 100·(1 − 24058/309162) = 92.2
        assertThat(html).containsPattern("method=kd</td><td>86\\.0</td><td>–</td><td>–</td><td>–</td><td>–</td>"
                + "<td>92\\.2</td>");
        assertThat(imageAlts(html)).hasSize(8).allMatch(alt -> alt.contains(".png of job "));
        assertEveryImageIsAnInlinePng(html);
        assertSelfContained(html);
    }

    @Test
    void testFailedJobsAreListedWithTheirErrorEscaped(@TempDir Path root) throws IOException {
        String html = SweepReport.read(List.of(sweep(root, false))).toHtml();

        assertThat(html).contains("5 jobs (4 finished)");
        assertThat(html).containsPattern("<tr><td>4</td><td>method=fad</td><td>3</td><td>FAILED<div class=\"error\">"
                + "Training diverged &lt;at epoch 2&gt; &amp; stopped</div></td><td>10\\.00</td>");
        assertThat(html).doesNotContain("<at epoch 2>");
    }

    @Test
    void testTextFromTheRunIsEscaped(@TempDir Path root) throws IOException {
        Path sweep = root.resolve("sweep");
        writeJob(sweep, 0, "kd", 1, "FINISHED", basicMetrics(0.8, 0.8), "+trainer.note='<b>&x'");

        String html = SweepReport.read(List.of(sweep)).toHtml();

        assertThat(html).contains("method=kd +trainer.note=&#39;&lt;b&gt;&amp;x&#39;</td>").doesNotContain("<b>&x");
    }

    @Test
    void testAMeasurementOnlySomeSeedsRecordedSaysHowManyDid(@TempDir Path root) throws IOException {
        Path sweep = root.resolve("sweep");
        writeJob(sweep, 0, "kd", 1, "FINISHED", fullMetrics(0.85, 0.84, 0.60, 70));
        writeJob(sweep, 1, "kd", 2, "FINISHED", basicMetrics(0.87, 0.86));

        String html = SweepReport.read(List.of(sweep)).toHtml();

        assertThat(html).contains("<td>0.600 <span class=\"partial\">(1 of 2)</span></td>");
    }

    @Test
    void testSeveralDirectoriesAndUnfinishedJobs(@TempDir Path root) throws IOException {
        Path first = sweep(root.resolve("a"), true);
        Path second = root.resolve("b");
        writeJob(second, 0, "none", 1, "FINISHED", fullMetrics(0.80, 0.80, 0.6, 40));
        Path unfinished = writeJob(second, 1, "none", 2, "FINISHED", fullMetrics(0.81, 0.81, 0.6, 40));
        Files.delete(unfinished.resolve("summary.json"));

        SweepReport report = SweepReport.read(List.of(first, second, first.resolve("0")));
        String html = report.toHtml();

        // job 0 of the first sweep is named twice and read once
        assertThat(report.results()).hasSize(6);
        assertThat(html).contains("Left out " + unfinished + ": its summary.json is missing");
        assertThat(imageAlts(html)).filteredOn(alt -> alt.startsWith("radar chart")).containsExactly(
                "radar chart of method=kd", "radar chart of method=fad", "radar chart of method=none");
    }

    @Test
    void testADirectoryWithoutResultsIsAUserErrorNamingIt(@TempDir Path root) throws IOException {
        Path empty = Files.createDirectories(root.resolve("empty"));
        Path missing = root.resolve("missing");

        assertThatThrownBy(() -> SweepReport.read(List.of(empty)))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                .hasMessageContaining("'" + empty + "' holds no job results");
        assertThatThrownBy(() -> SweepReport.read(List.of(missing)))
                .hasMessageContaining("'" + missing + "' is not a directory");
    }

    @Test
    void testWriteCreatesTheDirectoryAndReturnsTheAbsolutePath(@TempDir Path root) throws IOException {
        Path file = SweepReport.read(List.of(sweep(root, true))).write(root.resolve("out/report.html"));

        assertThat(file).isAbsolute().exists();
        assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    }

    private static List<String> imageAlts(String html) {
        List<String> alts = new ArrayList<>();
        Matcher image = IMAGE.matcher(html);
        while (image.find()) {
            Matcher alt = Pattern.compile("alt=\"([^\"]*)\"").matcher(image.group(1));
            alts.add(alt.find() ? alt.group(1) : "");
        }
        return alts;
    }

    /** Every {@code <img>} holds a PNG that decodes to the size its tag declares. */
    private static void assertEveryImageIsAnInlinePng(String html) throws IOException {
        Matcher image = IMAGE.matcher(html);
        int images = 0;
        while (image.find()) {
            images++;
            Matcher png = DATA_PNG.matcher(image.group(1));
            assertThat(png.find()).as(image.group(1).substring(0, Math.min(80, image.group(1).length()))).isTrue();
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.group(1))));
            assertThat(decoded).isNotNull();
            assertThat(decoded.getWidth()).isEqualTo(Integer.parseInt(png.group(2)));
            assertThat(decoded.getHeight()).isEqualTo(Integer.parseInt(png.group(3)));
        }
        assertThat(images).isPositive();
    }

    /** Nothing is fetched from anywhere: no links, scripts, remote URLs or CSS url()s. */
    private static void assertSelfContained(String html) {
        assertThat(html).doesNotContain("http://", "https://", "<link", "<script", "url(", "href=", "@import");
        String[] afterEachSource = html.split("src=\"", -1);
        assertThat(List.of(afterEachSource).subList(1, afterEachSource.length))
                .allMatch(rest -> rest.startsWith("data:image/png;base64,"));
    }
}
