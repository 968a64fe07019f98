package org.fadkd.engine.report;

import static java.util.Objects.requireNonNull;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link FlowReport} as two PNG images of {@value #WIDTH}×{@value #HEIGHT} pixels, with
 * XChart in headless AWT: {@value #PROFILES_FILE} (the three mean profiles over normalised depth)
 * and {@value #ALIGNMENT_ERROR_FILE} (the per-depth alignment error on the common grid, before and
 * after training).
 *
 * <p>Thread-safety: stateless; AWT rendering is safe from any thread in headless mode.
 *
 * @since 0.1
 */
public final class FlowPlots {
    static {
        // before the Color constants below: they initialise AWT
        Headless.ensure();
    }

    /** The file name of the profile plot. */
    public static final String PROFILES_FILE = "flow_profiles.png";
    /** The file name of the alignment-error plot. */
    public static final String ALIGNMENT_ERROR_FILE = "alignment_error.png";
    /** Image width in pixels. */
    public static final int WIDTH = 800;
    /** Image height in pixels. */
    public static final int HEIGHT = 500;

    private static final Color TEACHER = new Color(0x22, 0x22, 0x22);
    private static final Color BEFORE = new Color(0xE6, 0x9F, 0x00);
    private static final Color AFTER = new Color(0x00, 0x72, 0xB2);

    private FlowPlots() {}

    /**
     * Writes both plots into a directory, replacing files of the same names.
     *
     * @param report the report, never null
     * @param directory an existing directory, never null
     * @return the two files written, the profile plot first
     * @throws IOException when a file cannot be written
     * @since 0.1
     */
    public static List<Path> write(FlowReport report, Path directory) throws IOException {
        requireNonNull(directory, "directory is null");
        Path profiles = directory.resolve(PROFILES_FILE);
        Path errors = directory.resolve(ALIGNMENT_ERROR_FILE);
        writeProfiles(report, profiles);
        writeAlignmentError(report, errors);
        return List.of(profiles, errors);
    }

    /**
     * Writes the teacher's profile and the student's before and after training over normalised
     * depth, as lines with markers.
     *
     * @param report the report, never null
     * @param file the PNG file to write, never null
     * @throws IOException when the file cannot be written
     * @since 0.1
     */
    public static void writeProfiles(FlowReport report, Path file) throws IOException {
        requireNonNull(report, "report is null");
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("Flow profiles, flow metric '" + report.metric() + "' (mean over training batches)")
                .xAxisTitle("normalised depth s")
                .yAxisTitle("flow divergence D (" + report.metric() + ")")
                .build();
        applyCommonStyle(chart.getStyler());
        chart.getStyler()
                .setXAxisMin(-0.02)
                .setXAxisMax(1.02)
                .setYAxisMin(0.0)
                .setXAxisDecimalPattern("0.0#")
                .setYAxisDecimalPattern("0.0##");
        addLine(chart, "teacher", report.teacher(), TEACHER, SeriesMarkers.SQUARE);
        addLine(chart, String.format(Locale.ROOT, "student before training (D_align %.4g)", report.dAlignBefore()),
                report.studentBefore(), BEFORE, SeriesMarkers.DIAMOND);
        addLine(chart, String.format(Locale.ROOT, "student after training (D_align %.4g)", report.dAlignAfter()),
                report.studentAfter(), AFTER, SeriesMarkers.CIRCLE);
        save(chart, file);
    }

    /**
     * Writes the per-depth alignment error {@code |T̂_j − Ŝ_j| / (T̂_j + ε)} on the common grid,
     * before and after training, as grouped bars.
     *
     * @param report the report, never null
     * @param file the PNG file to write, never null
     * @throws IOException when the file cannot be written
     * @since 0.1
     */
    public static void writeAlignmentError(FlowReport report, Path file) throws IOException {
        requireNonNull(report, "report is null");
        int grid = report.commonGridSize();
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("Per-depth alignment error |T̂ - Ŝ| / (T̂ + ε), flow metric '" + report.metric() + "'")
                .xAxisTitle("normalised depth σ on the common grid of " + grid + " depths")
                .yAxisTitle("relative error")
                .build();
        applyCommonStyle(chart.getStyler());
        chart.getStyler()
                .setPlotGridVerticalLinesVisible(false)
                .setYAxisMin(0.0)
                .setYAxisDecimalPattern("0.0##");
        chart.getStyler().setAvailableSpaceFill(0.7);
        List<String> depths = new ArrayList<>(grid);
        for (int j = 0; j < grid; j++) {
            depths.add(String.format(Locale.ROOT, "%.2f", FlowMeasurement.depth(j, grid)));
        }
        addBars(chart, "student before training", depths, report.alignmentErrorBefore(), BEFORE);
        addBars(chart, "student after training", depths, report.alignmentErrorAfter(), AFTER);
        save(chart, file);
    }

    private static void addLine(XYChart chart, String name, double[] profile, Color color,
            org.knowm.xchart.style.markers.Marker marker) {
        double[] depths = new double[profile.length];
        for (int k = 0; k < profile.length; k++) {
            depths[k] = FlowMeasurement.depth(k, profile.length);
        }
        XYSeries series = chart.addSeries(name, depths, profile);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(marker);
        series.setLineStyle(new BasicStroke(2f));
    }

    private static void addBars(CategoryChart chart, String name, List<String> depths, double[] values, Color color) {
        List<Double> heights = new ArrayList<>(values.length);
        for (double value : values) {
            heights.add(value);
        }
        CategorySeries series = chart.addSeries(name, depths, heights);
        series.setFillColor(color);
    }

    private static void save(IChart chart, Path file) throws IOException {
        requireNonNull(file, "file is null");
        // The stream form keeps the name exactly as given (the path form appends an extension).
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
        }
    }

    /** The look both plots share: white background, bordered plot, light grid, legend below. */
    private static void applyCommonStyle(org.knowm.xchart.style.AxesChartStyler styler) {
        styler.setLegendPosition(LegendPosition.OutsideS);
        styler.setLegendLayout(LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setPlotGridLinesColor(new Color(0xDD, 0xDD, 0xDD));
    }
}
