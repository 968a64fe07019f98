package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fadkd.flow.DepthAlignment.DepthDistribution;
import org.fadkd.engine.report.FlowMeasurement;

/**
 * The outcome of a {@link StudentSelection}: every candidate, ranked, and how they were analysed.
 *
 * @param candidates the feasible candidates best first (ranks 1, 2, …), then the dropped ones in
 *     the order they were listed; at least one feasible
 * @param teacherProfile the teacher's mean flow profile {@code D̄^T} the candidates were compared
 *     with
 * @param metric the flow metric's name, e.g. {@code cka}
 * @param distribution the depth distribution of {@code D_align}
 * @param batches the batches the mean profiles average over ({@code M_b}, fewer when the split is
 *     smaller)
 * @param batchSize their size, the run's training batch size
 * @param seed the seed every candidate was initialised with
 * @param budgets the budgets candidates were held to
 * @param proxy the proxy's settings; its {@code enabled} says whether scores include it
 * @param weights the weights the scores were computed with (renormalised when there is no proxy)
 * @param seconds the wall time of the whole selection: measurement, flow analysis and proxies
 * @since 0.1
 */
public record SelectionResult(
        List<CandidateResult> candidates,
        double[] teacherProfile,
        String metric,
        DepthDistribution distribution,
        int batches,
        int batchSize,
        long seed,
        SelectionBudgets budgets,
        SelectionSettings.Proxy proxy,
        SelectionWeights weights,
        double seconds) {
    public SelectionResult {
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty() || candidates.get(0).rank() == null || candidates.get(0).rank() != 1) {
            throw new IllegalArgumentException("a selection result starts with the candidate ranked 1");
        }
        teacherProfile = requireNonNull(teacherProfile, "teacherProfile is null").clone();
        requireNonNull(metric, "metric is null");
        requireNonNull(distribution, "distribution is null");
        requireNonNull(budgets, "budgets is null");
        requireNonNull(proxy, "proxy is null");
        requireNonNull(weights, "weights is null");
    }

    /** @return the candidate ranked first, never null */
    public CandidateResult winner() {
        return candidates.get(0);
    }

    /** @return the feasible candidates, best first */
    public List<CandidateResult> ranked() {
        return candidates.stream().filter(CandidateResult::feasible).toList();
    }

    /** @return the candidates dropped for their budgets, in the order they were listed */
    public List<CandidateResult> dropped() {
        return candidates.stream().filter(result -> !result.feasible()).toList();
    }

    /** @return a copy of the teacher's mean flow profile */
    @Override
    public double[] teacherProfile() {
        return teacherProfile.clone();
    }

    /**
     * Returns the result as {@code selection.json} holds it: {@code winner}, {@code metric}, {@code
     * depth_distribution}, {@code batches}, {@code batch_size}, {@code seed}, {@code budgets},
     * {@code proxy}, {@code weights}, {@code seconds}, {@code teacher_profile} ({@code [[s, D],
     * …]}) and {@code candidates} (each as {@link CandidateResult#toJson()}, ranked first).
     *
     * @return a new mutable map in that order, never null
     * @since 0.1
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("winner", winner().name());
        json.put("metric", metric);
        json.put("depth_distribution", distribution.name().toLowerCase(Locale.ROOT));
        json.put("batches", batches);
        json.put("batch_size", batchSize);
        json.put("seed", seed);
        Map<String, Object> budgetsJson = new LinkedHashMap<>();
        budgetsJson.put("max_params", budgets.maxParams());
        budgetsJson.put("max_gflops", budgets.maxGflops());
        budgetsJson.put("max_latency_ms", budgets.maxLatencyMs());
        json.put("budgets", budgetsJson);
        Map<String, Object> proxyJson = new LinkedHashMap<>();
        proxyJson.put("enabled", proxy.enabled());
        proxyJson.put("steps", proxy.steps());
        proxyJson.put("eval_batches", proxy.evalBatches());
        json.put("proxy", proxyJson);
        Map<String, Object> weightsJson = new LinkedHashMap<>();
        weightsJson.put("alignment", weights.alignment());
        weightsJson.put("match", weights.match());
        weightsJson.put("proxy", weights.proxy());
        json.put("weights", weightsJson);
        json.put("seconds", seconds);
        json.put("teacher_profile", FlowMeasurement.points(teacherProfile));
        json.put("candidates", candidates.stream().map(CandidateResult::toJson).toList());
        return json;
    }
}
