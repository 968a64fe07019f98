package org.fadkd.runner.job;

import org.fadkd.runner.results.JobSpec;

import org.fadkd.engine.job.JobComponents;
import org.fadkd.engine.job.JobListener;
import org.fadkd.engine.job.JobSession;
import org.fadkd.engine.job.JobSettings;
import org.fadkd.engine.job.TeacherFlowStep;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.PrintStream;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.teacher.TeacherFlowCache;
import org.fadkd.runner.config.ProjectLayout;

/**
 * Fills the teacher-flow cache for one job without distilling: builds the job's components,
 * obtains its teacher (cached, or trained and cached) and computes its mean flow profile unless a
 * matching entry exists.
 */
public final class TeacherFlowPrecompute {
    private final ComponentBinder binder;
    private final ProjectLayout layout;
    private final PrintStream console;

    public TeacherFlowPrecompute(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.console = requireNonNull(console, "console is null");
    }

    /**
     * Returns the job's teacher flow profile, cached or computed.
     *
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} when the job's method uses no
     *     teacher flow profile
     */
    public TeacherFlowCache.Outcome run(JobSpec spec) {
        JobSession session = new JobRunner(binder, layout, console).session();
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            Config config = spec.config();
            JobSettings settings = JobSettings.from(config);
            JobComponents job = JobComponents.build(config, settings, session,
                    session.context(manager, spec.seed(), layout.outputDir(), JobListener.NONE));
            DistillationLoss method = job.method("method", job.methodSection());
            FlowMetric metric = method.getTeacherFlowMetric();
            if (metric == null) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "Method '%s' of experiment '%s' uses no teacher flow profile, so there is nothing to"
                                + " precompute. Choose a method that does, e.g. method=fad.",
                        spec.method(), spec.experiment()));
            }
            try (Model model = job.newModel("teacher", job.teacher())) {
                TappedModel teacher = JobComponents.tapped("teacher", model, job.teacher());
                session.obtainTeacher(config, settings.teacherTraining(), teacher,
                        job.teacher().getPretrainedWeights(), job.task(), job.dataset(),
                        settings.trainer().evalBatchSize(), manager, JobListener.NONE);
                if (!settings.teacherFlow().cache()) {
                    console.println("Note: teacher-flow.cache = false in this job, so its runs will not use the"
                            + " cached profile.");
                }
                return new TeacherFlowStep(layout.cacheDir(), console).obtain(job, settings.teacherFlow().batches(),
                        metric, TeacherFlowStep.metricDescription(method, job.methodSection()), teacher);
            }
        }
    }
}
