package org.fadkd.runner.config;

import java.util.List;

/**
 * The jobs of one runner invocation.
 *
 * @param jobs the jobs, numbered 0 to N-1 in sweep order, never empty
 * @param sweep true for a sweep (a {@code sweep} block with an axis left, or {@code --multirun}):
 *     it is written to {@code multirun/} with one directory per job, as Hydra does, even with one job
 */
public record RunPlan(List<JobPlan> jobs, boolean sweep) {
    public RunPlan {
        jobs = List.copyOf(jobs);
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("a run has at least one job");
        }
    }
}
