package org.fadkd.runner.job;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import java.io.PrintStream;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.MetricSink;
import org.fadkd.api.Task;
import org.fadkd.engine.JobContext;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.teacher.TeacherFlowCache;
import org.fadkd.runner.ProjectLayout;

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
        JobRunner runner = new JobRunner(binder, layout, console);
        MetricSink ignore = (key, value, step) -> {};
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            JobContext context = new JobContext(manager, spec.seed(), layout.outputDir(), ignore, binder,
                    layout.dataSearchPath());
            Config config = spec.config();
            DistillationLoss method = binder.create(ComponentKind.METHOD, "method", config.getConfig("method"), context);
            FlowMetric metric = method.getTeacherFlowMetric();
            if (metric == null) {
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "Method '%s' of experiment '%s' uses no teacher flow profile, so there is nothing to"
                                + " precompute. Choose a method that does, e.g. method=fad.",
                        spec.method(), spec.experiment()));
            }
            Task task = binder.create(ComponentKind.TASK, "task", config.getConfig("task"), context);
            LabeledDataset dataset = runner.dataset(config, context);
            Architecture architecture =
                    binder.create(ComponentKind.ARCHITECTURE, "teacher", config.getConfig("teacher"), context);
            try (Model model = Model.newInstance("teacher")) {
                model.setBlock(architecture.newBlock(dataset.getSampleShape(), dataset.getClassCount()));
                TappedModel teacher = new TappedModel("teacher", model, architecture.getTapNames());
                runner.obtainTeacher(config, teacher, task, dataset, context, ignore);
                if (!config.getBoolean("teacher-flow.cache")) {
                    console.println("Note: teacher-flow.cache = false in this job, so its runs will not use the"
                            + " cached profile.");
                }
                return new TeacherFlowStep(layout.cacheDir(), console).obtain(config, metric, teacher, dataset);
            }
        }
    }
}
