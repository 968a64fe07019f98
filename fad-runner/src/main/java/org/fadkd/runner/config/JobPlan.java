package org.fadkd.runner.config;

import java.util.List;

/**
 * One job of a run or sweep, before composition: its number and the overrides to compose it with.
 *
 * @param number the job number, 0 to N-1 in sweep order; names the job's directory
 * @param overrides the sweep's {@code key=value} overrides, then the command line's, never null
 */
public record JobPlan(int number, List<String> overrides) {
    public JobPlan {
        if (number < 0) {
            throw new IllegalArgumentException("number is negative: " + number);
        }
        overrides = List.copyOf(overrides);
    }
}
