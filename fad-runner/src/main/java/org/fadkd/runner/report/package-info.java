/**
 * The HTML report of runs and sweeps ({@code runner report DIR}, and {@code report.html} at the
 * end of every run). {@link org.fadkd.runner.report.SweepReport} reads job directories or takes a
 * run's results and writes one self-contained page: per experiment, mean ± std per configuration
 * with the paired difference to the student alone ({@link org.fadkd.runner.results.PairedComparison}),
 * radar charts scored by {@link org.fadkd.runner.report.RadarScores} (fad-spec §13), accuracy
 * against GFLOPs, and each job's flow plots, all charts drawn with XChart and inlined as PNG.
 */
package org.fadkd.runner.report;
