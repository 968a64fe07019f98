package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional budgets a candidate must stay within (fad-spec §10, step 1). A candidate over any
 * of them is dropped, with one reason per budget it exceeds, e.g. {@code gflops 0.61 > max-gflops
 * 0.50}.
 *
 * @param maxParams the most trainable parameters, or null for no limit
 * @param maxGflops the most GFLOPs (multiply-accumulates / 1e9) of one sample, or null
 * @param maxLatencyMs the longest median batch-1 latency in milliseconds, or null
 * @since 0.1
 */
public record SelectionBudgets(Long maxParams, Double maxGflops, Double maxLatencyMs) {
    /** No budget at all: every candidate is feasible. */
    public static final SelectionBudgets NONE = new SelectionBudgets(null, null, null);

    /** The most decimals a reason shows to tell a value from its budget. */
    private static final int MAX_DECIMALS = 12;

    public SelectionBudgets {
        if (maxParams != null && maxParams < 1) {
            throw new IllegalArgumentException("max-params must be at least 1, got " + maxParams);
        }
        if (maxGflops != null && !(maxGflops > 0 && Double.isFinite(maxGflops))) {
            throw new IllegalArgumentException("max-gflops must be positive and finite, got " + maxGflops);
        }
        if (maxLatencyMs != null && !(maxLatencyMs > 0 && Double.isFinite(maxLatencyMs))) {
            throw new IllegalArgumentException("max-latency-ms must be positive and finite, got " + maxLatencyMs);
        }
    }

    /**
     * Returns why a candidate is over budget: one reason per exceeded budget, in the order params,
     * gflops, latency. A value equal to its budget is within it.
     *
     * @param measurement the candidate's measurement, never null
     * @return the reasons, empty when the candidate is feasible; never null
     * @since 0.1
     */
    public List<String> violations(CandidateMeasurement measurement) {
        requireNonNull(measurement, "measurement is null");
        List<String> reasons = new ArrayList<>();
        if (maxParams != null && measurement.params() > maxParams) {
            reasons.add("params " + measurement.params() + " > max-params " + maxParams);
        }
        if (maxGflops != null && measurement.gflops() > maxGflops) {
            reasons.add(exceeded("gflops", measurement.gflops(), "max-gflops", maxGflops));
        }
        if (maxLatencyMs != null && measurement.latencyMs() > maxLatencyMs) {
            reasons.add(exceeded("latency_ms", measurement.latencyMs(), "max-latency-ms", maxLatencyMs));
        }
        return reasons;
    }

    /**
     * Describes the budgets for messages, e.g. {@code max-params 100000, max-gflops 0.005}.
     *
     * @return the set budgets, or {@code no budgets}; never null
     * @since 0.1
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (maxParams != null) {
            parts.add("max-params " + maxParams);
        }
        if (maxGflops != null) {
            parts.add("max-gflops " + BigDecimal.valueOf(maxGflops).toPlainString());
        }
        if (maxLatencyMs != null) {
            parts.add("max-latency-ms " + BigDecimal.valueOf(maxLatencyMs).toPlainString());
        }
        return parts.isEmpty() ? "no budgets" : String.join(", ", parts);
    }

    /**
     * Shows value and budget with the same number of decimals, the fewest (at least 2) at which
     * they differ and the budget does not round to zero: {@code 0.61 > 0.50}, but {@code 0.0020 >
     * 0.0019} where two decimals would read {@code 0.00 > 0.00}.
     */
    private static String exceeded(String measured, double value, String budget, double limit) {
        for (int decimals = 2; decimals <= MAX_DECIMALS; decimals++) {
            String shownValue = rounded(value, decimals);
            String shownLimit = rounded(limit, decimals);
            boolean limitVisible = BigDecimal.valueOf(limit).setScale(decimals, RoundingMode.HALF_UP).signum() != 0;
            if (limitVisible && !shownValue.equals(shownLimit)) {
                return measured + " " + shownValue + " > " + budget + " " + shownLimit;
            }
        }
        return measured + " " + value + " > " + budget + " " + limit;
    }

    private static String rounded(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }
}
