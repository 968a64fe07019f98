package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ranked table a selection prints: one row per feasible candidate, best first, with its score
 * and the parts it is made of, then one line per dropped candidate with the reason.
 *
 * <pre>
 * rank  candidate  score   A       match   proxy   D_align  params  GFLOPs    latency ms
 * 1     vgg        0.8123  0.9500  0.7700  0.7812  0.0526   18,482  0.001863  0.41
 * -     mlp-large  dropped: params 113802 &gt; max-params 100000
 * </pre>
 *
 * @since 0.1
 */
public final class SelectionTable {
    private static final List<String> HEADER =
            List.of("rank", "candidate", "score", "A", "match", "proxy", "D_align", "params", "GFLOPs", "latency ms");

    private SelectionTable() {}

    /**
     * Formats a selection's result.
     *
     * @param result the result, never null
     * @return the table, lines separated by {@code \n}, without a final line break; never null
     * @since 0.1
     */
    public static String format(SelectionResult result) {
        requireNonNull(result, "result is null");
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (CandidateResult candidate : result.ranked()) {
            CandidateMeasurement measurement = candidate.measurement();
            rows.add(List.of(
                    String.valueOf(candidate.rank()),
                    candidate.name(),
                    fixed(candidate.score()),
                    fixed(candidate.flow().capacityAlignment()),
                    fixed(candidate.flow().match()),
                    candidate.proxy() == null ? "-" : fixed(candidate.proxy()),
                    fixed(candidate.flow().dAlign()),
                    String.format(Locale.ROOT, "%,d", measurement.params()),
                    String.format(Locale.ROOT, "%.6f", measurement.gflops()),
                    String.format(Locale.ROOT, "%.2f", measurement.latencyMs())));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int column = 0; column < row.size(); column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.size(); column++) {
                line.append(column == row.size() - 1 ? row.get(column) : pad(row.get(column), widths[column] + 2));
            }
            lines.add(line.toString());
        }
        for (CandidateResult candidate : result.dropped()) {
            lines.add(pad("-", widths[0] + 2) + pad(candidate.name(), widths[1] + 2) + "dropped: "
                    + candidate.reason());
        }
        return String.join("\n", lines);
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
