package org.fadkd.runner.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.fadkd.engine.report.Headless;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.RadarChart;
import org.knowm.xchart.RadarChartBuilder;
import org.knowm.xchart.RadarSeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.RadarStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart in headless AWT as PNG bytes: one radar chart per
 * configuration and the accuracy-vs-GFLOPs scatter. Colours follow a configuration's position in
 * its table, so it has the same colour in every chart; the flow plots' palette (Okabe–Ito) comes
 * first.
 */
final class ReportCharts {
    static {
        // before the Color constants below: they initialise AWT
        Headless.ensure();
    }

    /**
     * Radar image size: three side by side fill the report's 1200 px column without scaling.
     * XChart sets a side axis's label up to 1.08 label widths beyond the polygon and clips it at
     * the plot's edge; {@link RadarAxis#chartLabel()} names are short enough for this width.
     */
    static final int RADAR_WIDTH = 370;
    static final int RADAR_HEIGHT = 320;
    static final int SCATTER_WIDTH = 1100;
    static final int SCATTER_HEIGHT = 560;

    private static final Color[] PALETTE = {
        new Color(0x00, 0x72, 0xB2), new Color(0xE6, 0x9F, 0x00), new Color(0x00, 0x9E, 0x73),
        new Color(0xCC, 0x79, 0xA7), new Color(0x56, 0xB4, 0xE9), new Color(0xD5, 0x5E, 0x00),
        new Color(0x88, 0x66, 0xAA), new Color(0x66, 0x66, 0x66), new Color(0x99, 0x77, 0x22),
        new Color(0x33, 0x99, 0x99)
    };
    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN
    };
    private static final Color TEACHER = new Color(0x22, 0x22, 0x22);
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);

    private ReportCharts() {}

    /** The colour of the configuration at {@code index} in its table. */
    static Color color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /**
     * One configuration's polygon over {@code axes}, each score 0–100 shown in the axis's label.
     *
     * @param scores a score for every axis of {@code axes}
     */
    static byte[] radar(String title, int index, List<RadarAxis> axes, Map<RadarAxis, Double> scores) {
        RadarChart chart = new RadarChartBuilder().width(RADAR_WIDTH).height(RADAR_HEIGHT).title(title).build();
        String[] labels = new String[axes.size()];
        double[] values = new double[axes.size()];
        for (int i = 0; i < axes.size(); i++) {
            double score = scores.get(axes.get(i));
            labels[i] = String.format(Locale.ROOT, "%s %.0f", axes.get(i).chartLabel(), score);
            // XChart's radii run from 0 to 1
            values[i] = score / 100;
        }
        chart.setRadiiLabels(labels);
        RadarSeries series = chart.addSeries(title, values);
        series.setLineColor(color(index));
        series.setMarkerColor(color(index));
        series.setLineStyle(new BasicStroke(2f));
        RadarStyler styler = chart.getStyler();
        styler.setCircular(true);
        styler.setPlotContentSize(0.65);
        styler.setRadiiTickMarksCount(4);
        styler.setRadiiTickMarksColor(GRID);
        styler.setRadiiTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setSeriesFilled(true);
        styler.setMarkerSize(6);
        styler.setSeriesColors(new Color[] {withAlpha(color(index), 90)});
        styler.setLegendVisible(false);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setChartPadding(4);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        return png(chart);
    }

    /**
     * Mean best top-1 against GFLOPs, one series per configuration with the standard deviation over
     * seeds as error bars, and the teacher as a black square when its GFLOPs are known. The GFLOPs
     * axis is logarithmic when the points span more than a factor of 20, as a teacher next to
     * compact students does.
     *
     * @param points the configurations that have both numbers, with their table index for the colour
     * @param teacher the teacher's point; null when unknown
     */
    static byte[] accuracyVsGflops(List<ScatterPoint> points, ScatterPoint teacher) {
        XYChart chart = new XYChartBuilder()
                .width(SCATTER_WIDTH)
                .height(SCATTER_HEIGHT)
                .title("Accuracy vs GFLOPs (mean over seeds; bars: ± standard deviation)")
                .xAxisTitle("GFLOPs per sample (multiply-accumulates / 1e9)")
                .yAxisTitle("best top-1 (%)")
                .build();
        XYStyler styler = chart.getStyler();
        styler.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        styler.setErrorBarsColorSeriesColor(true);
        styler.setPlotGridLinesColor(GRID);
        styler.setYAxisDecimalPattern("0.0#");
        styler.setXAxisDecimalPattern("0.0###");
        styler.setLegendPosition(LegendPosition.OutsideE);
        styler.setLegendLayout(LegendLayout.Vertical);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setMarkerSize(10);
        List<ScatterPoint> all = new ArrayList<>(points);
        if (teacher != null) {
            all.add(teacher);
        }
        double smallest = all.stream().mapToDouble(ScatterPoint::gflops).min().orElseThrow();
        double largest = all.stream().mapToDouble(ScatterPoint::gflops).max().orElseThrow();
        if (smallest > 0 && largest / smallest > 20) {
            styler.setXAxisLogarithmic(true);
        } else {
            // from zero, so that distances read as ratios of compute; a margin keeps the largest off the border
            styler.setXAxisMin(0.0);
            styler.setXAxisMax(largest * 1.08);
        }
        double lowest = all.stream().mapToDouble(point -> point.accuracy() - point.accuracyStd()).min().orElseThrow();
        double highest = all.stream().mapToDouble(point -> point.accuracy() + point.accuracyStd()).max().orElseThrow();
        double margin = Math.max(0.5, 0.08 * (highest - lowest));
        styler.setYAxisMin(lowest - margin);
        styler.setYAxisMax(highest + margin);
        for (ScatterPoint point : points) {
            XYSeries series = chart.addSeries(point.label(), new double[] {point.gflops()},
                    new double[] {point.accuracy()}, new double[] {point.accuracyStd()});
            series.setMarkerColor(color(point.index()));
            series.setLineColor(color(point.index()));
            series.setMarker(MARKERS[point.index() % MARKERS.length]);
        }
        if (teacher != null) {
            XYSeries series = chart.addSeries(teacher.label(), new double[] {teacher.gflops()},
                    new double[] {teacher.accuracy()});
            series.setMarkerColor(TEACHER);
            series.setMarker(SeriesMarkers.SQUARE);
        }
        return png(chart);
    }

    /**
     * One point of the scatter.
     *
     * @param label the legend entry
     * @param index the configuration's position in its table (its colour)
     * @param gflops mean GFLOPs
     * @param accuracy mean best top-1, percent
     * @param accuracyStd its standard deviation over seeds, percent
     */
    record ScatterPoint(String label, int index, double gflops, double accuracy, double accuracyStd) {}

    private static Color withAlpha(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }

    private static byte[] png(IChart chart) {
        // BitmapEncoder's stream and byte-array forms are deprecated in XChart 4; ImageIO does the same
        ByteArrayOutputStream png = new ByteArrayOutputStream(1 << 16);
        try {
            ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", png);
        } catch (IOException e) {
            // an in-memory encoding that fails is a bug, not an I/O condition the caller can act on
            throw new UncheckedIOException("cannot encode a chart as PNG", e);
        }
        return png.toByteArray();
    }
}
