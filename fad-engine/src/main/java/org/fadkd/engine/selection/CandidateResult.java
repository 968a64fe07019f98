package org.fadkd.engine.selection;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fadkd.engine.report.FlowMeasurement;

/**
 * What selection found out about one candidate (fad-spec §10, "Output per candidate"). A candidate
 * over a budget is measured only: its flow fields, proxy, score and rank are null.
 *
 * @param name the candidate's name
 * @param measurement its params, MACs and latency
 * @param violations why it was dropped, one reason per exceeded budget; empty when feasible
 * @param profile its mean flow profile {@code D̄^S} at initialisation, or null when not analysed
 * @param flow its fit to the teacher's profile, or null when not analysed
 * @param proxy its top-1 after the proxy's warm-up in {@code [0, 1]}, or null when dropped or selection
 *     ran without a proxy
 * @param score its score, or null when dropped
 * @param rank its 1-based rank among the feasible candidates, or null when dropped or not ranked yet
 * @since 0.1
 */
public record CandidateResult(
        String name,
        CandidateMeasurement measurement,
        List<String> violations,
        double[] profile,
        FlowAnalysis flow,
        Double proxy,
        Double score,
        Integer rank) {
    public CandidateResult {
        requireNonNull(name, "name is null");
        requireNonNull(measurement, "measurement is null");
        violations = List.copyOf(violations);
        profile = profile == null ? null : profile.clone();
    }

    /** A candidate that was measured and not (yet) analysed. */
    static CandidateResult measured(String name, CandidateMeasurement measurement, List<String> violations) {
        return new CandidateResult(name, measurement, violations, null, null, null, null, null);
    }

    /** @return true when the candidate is within every budget */
    public boolean feasible() {
        return violations.isEmpty();
    }

    /** @return the reasons it was dropped joined with {@code "; "}, or null when feasible */
    public String reason() {
        return feasible() ? null : String.join("; ", violations);
    }

    /** @return a copy of the candidate's mean flow profile, or null when it was not analysed */
    @Override
    public double[] profile() {
        return profile == null ? null : profile.clone();
    }

    CandidateResult withRank(int newRank) {
        return new CandidateResult(name, measurement, violations, profile, flow, proxy, score, newRank);
    }

    /**
     * Returns the candidate as {@code selection.json} writes it: {@code name}, {@code params},
     * {@code gflops}, {@code latency_ms}, {@code feasible}, {@code reason}, {@code d_align}, {@code
     * capacity_alignment} (A), {@code rho} (ρ), {@code match}, {@code proxy}, {@code score}, {@code
     * rank} (fad-spec §10's fields, in its order), then {@code macs}, {@code latency_p90_ms} and
     * {@code profile} ({@code [[s, D], …]}). Fields that were not computed are null.
     *
     * @return a new mutable map in that order, never null
     * @since 0.1
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("params", measurement.params());
        json.put("gflops", measurement.gflops());
        json.put("latency_ms", measurement.latencyMs());
        json.put("feasible", feasible());
        json.put("reason", reason());
        json.put("d_align", flow == null ? null : flow.dAlign());
        json.put("capacity_alignment", flow == null ? null : flow.capacityAlignment());
        json.put("rho", flow == null ? null : flow.rho());
        json.put("match", flow == null ? null : flow.match());
        json.put("proxy", proxy);
        json.put("score", score);
        json.put("rank", rank);
        json.put("macs", measurement.macs());
        json.put("latency_p90_ms", measurement.latency().p90Milliseconds());
        json.put("profile", profile == null ? null : FlowMeasurement.points(profile));
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CandidateResult that
                && name.equals(that.name)
                && measurement.equals(that.measurement)
                && violations.equals(that.violations)
                && Arrays.equals(profile, that.profile)
                && Objects.equals(flow, that.flow)
                && Objects.equals(proxy, that.proxy)
                && Objects.equals(score, that.score)
                && Objects.equals(rank, that.rank);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, measurement, violations, Arrays.hashCode(profile), flow, proxy, score, rank);
    }

    @Override
    public String toString() {
        return "CandidateResult{name=" + name + ", measurement=" + measurement + ", violations=" + violations
                + ", profile=" + Arrays.toString(profile) + ", flow=" + flow + ", proxy=" + proxy + ", score="
                + score + ", rank=" + rank + "}";
    }
}
