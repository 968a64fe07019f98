package org.fadkd.runner.job;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.teacher.TeacherFlowCache;
import org.fadkd.engine.teacher.TeacherFlowProfile;

/**
 * The teacher-flow step of a job (fad-spec §9): a method that asks for the teacher's mean flow
 * profile ({@link DistillationLoss#getTeacherFlowMetric()}) gets it from the cache, computed and
 * cached when no entry matches, unless {@code teacher-flow.cache = false}. With {@code
 * teacher-flow.logits = true} the entry also holds the teacher's logits per training sample, which
 * let the training loop skip the teacher forward.
 */
public final class TeacherFlowStep {
    private final Path cacheRoot;
    private final PrintStream console;

    /** @param cacheDir the project's cache directory; entries go to its {@code teacher-flow} subdirectory */
    public TeacherFlowStep(Path cacheDir, PrintStream console) {
        this.cacheRoot = requireNonNull(cacheDir, "cacheDir is null").resolve("teacher-flow");
        this.console = requireNonNull(console, "console is null");
    }

    /** Returns the problems of the {@code teacher-flow} section; empty when it is valid. */
    static List<String> validate(Config config) {
        List<String> problems = new ArrayList<>();
        try {
            boolean cache = config.getBoolean("teacher-flow.cache");
            if (config.getBoolean("teacher-flow.logits") && !cache) {
                problems.add("teacher-flow.logits is 'true' but teacher-flow.cache is 'false'; the teacher logits are"
                        + " cached with the mean profile. Set teacher-flow.cache = true or teacher-flow.logits = false.");
            }
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        try {
            int batches = config.getInt("teacher-flow.batches");
            if (batches < 0) {
                problems.add(String.format("teacher-flow.batches is '%d'; it must be 0 (all batches) or positive.",
                        batches));
            }
        } catch (ConfigException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /**
     * Gives {@code method} the teacher's mean flow profile when it wants one and the job's {@code
     * teacher-flow.cache} is on, and says on the console whether the cache was used or built.
     *
     * @return what the cache did, or empty when the method got no profile
     */
    public Optional<TeacherFlowCache.Outcome> apply(
            Config config, DistillationLoss method, TappedModel teacher, LabeledDataset dataset) {
        FlowMetric metric = method.getTeacherFlowMetric();
        if (metric == null || !config.getBoolean("teacher-flow.cache")) {
            return Optional.empty();
        }
        TeacherFlowCache.Outcome outcome = obtain(config, metric, teacher, dataset);
        method.setMeanTeacherProfile(outcome.profile().mean());
        return Optional.of(outcome);
    }

    /** Returns the mean profile of the job's teacher with {@code metric}, cached or computed, and reports it. */
    public TeacherFlowCache.Outcome obtain(
            Config config, FlowMetric metric, TappedModel teacher, LabeledDataset dataset) {
        return obtain(config, metric, metricDescription(config), teacher, dataset);
    }

    /**
     * Returns the mean profile of the job's teacher with {@code metric}, which {@code
     * metricDescription} identifies in the cache's key, cached or computed, and reports it.
     */
    TeacherFlowCache.Outcome obtain(
            Config config, FlowMetric metric, String metricDescription, TappedModel teacher, LabeledDataset dataset) {
        TeacherFlowCache.Request request = new TeacherFlowCache.Request(teacher, metric, metricDescription,
                dataset, Split.TRAIN, JobRunner.render(config.getConfig("data")),
                config.getInt("trainer.batch-size"), config.getInt("teacher-flow.batches"),
                config.getBoolean("teacher-flow.logits"));
        TeacherFlowCache.Outcome outcome = new TeacherFlowCache(cacheRoot)
                .obtain(request, TeacherFlowCache.consoleProgress("teacher flow profile", console));
        TeacherFlowProfile profile = outcome.profile();
        String what = String.format(Locale.ROOT, "%d batches of %d, mean profile %s",
                profile.batchCount(), profile.batchSize(), format(profile.mean()));
        if (outcome.fromCache()) {
            console.printf("Using cached teacher flow profile from %s (%s)%n", outcome.directory(), what);
        } else {
            console.printf(Locale.ROOT, "Computed the teacher flow profile in %.1f s (%s; cached in %s)%n",
                    outcome.seconds(), what, outcome.directory());
        }
        if (outcome.logits() != null) {
            String shape = outcome.logits().samples() + " x " + outcome.logits().classes();
            if (outcome.logitsFromCache()) {
                console.printf("Using cached teacher logits (%s) from %s%n", shape, outcome.directory());
            } else {
                console.printf(Locale.ROOT, "Computed the teacher logits (%s) in %.1f s; cached in %s%n",
                        shape, outcome.logitsSeconds(), outcome.directory());
            }
        }
        return outcome;
    }

    /**
     * The flow metric's identity for the key: the host cannot ask the plugin's metric object, but
     * the method's {@code flow-metric} setting (name, or object with its settings) names it.
     */
    static String metricDescription(Config config) {
        ConfigRenderOptions options = ConfigRenderOptions.concise();
        return config.hasPath("method.flow-metric")
                ? "flow-metric=" + config.getValue("method.flow-metric").render(options)
                : "method=" + config.getValue("method").render(options);
    }

    private static String format(double[] values) {
        return Arrays.stream(values).mapToObj(value -> String.format(Locale.ROOT, "%.4f", value))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
