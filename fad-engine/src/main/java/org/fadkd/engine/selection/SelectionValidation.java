package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a selection's ranking held up (fad-spec §10, "What is validated"): every feasible
 * candidate distilled with the same recipe, and Spearman's rank correlation between the selection
 * scores and the final distilled accuracies, with the number of candidates and the cost of
 * selecting as a fraction of distilling them all. It makes no claim that the winner is the best
 * student; it reports how far the winner's accuracy is from the best one's.
 *
 * @param rows one row per feasible candidate, in rank order
 * @param spearman Spearman's ρ of scores and accuracies; NaN when undefined (one candidate, or all
 *     scores or all accuracies tied)
 * @param selectionSeconds the wall time of the selection
 * @param distillationSeconds the wall time of distilling every feasible candidate, summed
 * @since 0.1
 */
public record SelectionValidation(
        List<Row> rows, double spearman, double selectionSeconds, double distillationSeconds) {
    public SelectionValidation {
        rows = List.copyOf(rows);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a validation needs at least one candidate");
        }
    }

    /**
     * One distilled candidate.
     *
     * @param name the candidate's name
     * @param rank its selection rank
     * @param score its selection score
     * @param accuracy its final distilled accuracy (the task's primary metric)
     * @param seconds the wall time of its distillation
     * @since 0.1
     */
    public record Row(String name, int rank, double score, double accuracy, double seconds) {
        public Row {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * What distilling one candidate gave.
     *
     * @param accuracy its final accuracy on the evaluation split (the task's primary metric)
     * @param seconds the wall time of its distillation
     * @since 0.1
     */
    public record Distilled(double accuracy, double seconds) {}

    /**
     * Validates a selection against the distilled candidates.
     *
     * @param selection the selection, never null
     * @param distilled what distilling each candidate gave, by name; must cover every feasible
     *     candidate (dropped ones are ignored); never null
     * @return the validation, never null
     * @throws IllegalArgumentException when a feasible candidate was not distilled
     * @since 0.1
     */
    public static SelectionValidation of(SelectionResult selection, Map<String, Distilled> distilled) {
        requireNonNull(selection, "selection is null");
        requireNonNull(distilled, "distilled is null");
        List<String> missing = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        double distillationSeconds = 0;
        for (CandidateResult candidate : selection.ranked()) {
            Distilled outcome = distilled.get(candidate.name());
            if (outcome == null) {
                missing.add(candidate.name());
                continue;
            }
            rows.add(new Row(candidate.name(), candidate.rank(), candidate.score(), outcome.accuracy(),
                    outcome.seconds()));
            distillationSeconds += outcome.seconds();
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("every feasible candidate must be distilled to validate the"
                    + " selection; missing " + missing);
        }
        double[] scores = rows.stream().mapToDouble(Row::score).toArray();
        double[] accuracies = rows.stream().mapToDouble(Row::accuracy).toArray();
        return new SelectionValidation(rows, Spearman.correlation(scores, accuracies), selection.seconds(),
                distillationSeconds);
    }

    /** @return the number of candidates distilled */
    public int candidates() {
        return rows.size();
    }

    /** @return selection's wall time over the distillations' */
    public double costFraction() {
        return selectionSeconds / distillationSeconds;
    }

    /** @return the candidate that reached the highest accuracy (the better ranked one on a tie) */
    public Row best() {
        Row best = rows.get(0);
        for (Row row : rows) {
            if (row.accuracy() > best.accuracy()) {
                best = row;
            }
        }
        return best;
    }

    /** @return the best accuracy minus the selected candidate's, at least 0 */
    public double winnerShortfall() {
        return best().accuracy() - rows.get(0).accuracy();
    }

    /**
     * Returns the validation as the runner writes it next to {@code selection.json}: {@code
     * spearman} (null when undefined), {@code candidates}, {@code selection_seconds}, {@code
     * distillation_seconds}, {@code cost_fraction}, {@code winner}, {@code best}, {@code
     * winner_shortfall} and {@code rows}.
     *
     * @return a new mutable map in that order, never null
     * @since 0.1
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("spearman", Double.isNaN(spearman) ? null : spearman);
        json.put("candidates", candidates());
        json.put("selection_seconds", selectionSeconds);
        json.put("distillation_seconds", distillationSeconds);
        json.put("cost_fraction", costFraction());
        json.put("winner", rows.get(0).name());
        json.put("best", best().name());
        json.put("winner_shortfall", winnerShortfall());
        List<Map<String, Object>> rowsJson = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> rowJson = new LinkedHashMap<>();
            rowJson.put("name", row.name());
            rowJson.put("rank", row.rank());
            rowJson.put("score", row.score());
            rowJson.put("accuracy", row.accuracy());
            rowJson.put("seconds", row.seconds());
            rowsJson.add(rowJson);
        }
        json.put("rows", rowsJson);
        return json;
    }
}
