package org.fadkd.runner.results;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.fadkd.engine.job.ConfigText;

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

    /**
     * Identifies what the job computes: a hash of its config without the sections that only say
     * where its output and tracking go and what runs it ({@code run}, {@code sweep}, {@code
     * tracking}, {@code launcher}), so that a job resumed from its {@code config.conf} hashes as
     * it did when it started, whichever launcher runs it.
     */
    public String configHash() {
        Config computed = config.withoutPath("run").withoutPath("sweep").withoutPath("tracking")
                .withoutPath("launcher");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ConfigText.canonical(computed).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
