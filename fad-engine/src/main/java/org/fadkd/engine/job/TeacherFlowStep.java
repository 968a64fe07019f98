package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.FlowMetric;
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

    /**
     * Gives {@code method} the teacher's mean flow profile when it wants one and the job's {@code
     * teacher-flow.cache} is on, and says on the console whether the cache was used or built.
     *
     * @return what the cache did, or empty when the method got no profile
     */
    public Optional<TeacherFlowCache.Outcome> apply(JobComponents job, Config methodSection, DistillationLoss method,
            TappedModel teacher) {
        FlowMetric metric = method.getTeacherFlowMetric();
        if (metric == null || !job.settings().teacherFlow().cache()) {
            return Optional.empty();
        }
        TeacherFlowCache.Outcome outcome =
                obtain(job, job.settings().teacherFlow().batches(), metric, metricDescription(method, methodSection), teacher);
        method.setMeanTeacherProfile(outcome.profile().mean());
        return Optional.of(outcome);
    }

    /**
     * Returns the mean profile of the job's teacher with {@code metric}, which {@code
     * metricDescription} identifies in the cache's key, cached or computed, and reports it.
     */
    public TeacherFlowCache.Outcome obtain(
            JobComponents job, int batches, FlowMetric metric, String metricDescription, TappedModel teacher) {
        JobSettings settings = job.settings();
        TeacherFlowCache.Request request = new TeacherFlowCache.Request(teacher, metric, metricDescription,
                job.dataset(), Split.TRAIN, ConfigText.canonical(job.config().getConfig("data")),
                settings.trainer().batchSize(), batches, settings.teacherFlow().logits());
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
     * The teacher flow metric's identity for the cache's key: the metric the method compares
     * profiles with ({@link DistillationLoss#getFlowComparison()}), or else the method's whole
     * section, which determines its metric.
     */
    public static String metricDescription(DistillationLoss method, Config methodSection) {
        return method.getFlowComparison() != null
                ? FlowChoice.of(method).cacheDescription()
                : "method=" + methodSection.root().render(ConfigRenderOptions.concise());
    }

    private static String format(double[] values) {
        return Arrays.stream(values).mapToObj(value -> String.format(Locale.ROOT, "%.4f", value))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
