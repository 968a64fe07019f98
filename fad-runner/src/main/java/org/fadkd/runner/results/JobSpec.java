package org.fadkd.runner.results;

import com.typesafe.config.Config;
import java.util.List;

/**
 * One validated job of a run or sweep.
 *
 * @param experiment the experiment's name
 * @param number 0-based job number in the sweep
 * @param overrides the overrides that made this job (sweep values, then the command line)
 * @param config the resolved config
 */
public record JobSpec(String experiment, int number, List<String> overrides, Config config) {
    public JobSpec {
        overrides = List.copyOf(overrides);
    }

    public String method() {
        return config.getString("method.type");
    }

    public String teacher() {
        return config.getString("teacher.type");
    }

    public String student() {
        return config.getString("student.type");
    }

    public long seed() {
        return config.getLong("seed");
    }
}
