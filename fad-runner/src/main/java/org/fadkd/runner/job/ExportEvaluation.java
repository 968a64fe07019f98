package org.fadkd.runner.job;

import org.fadkd.runner.results.JobSpec;

import static java.util.Objects.requireNonNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.ErrorCode;
import org.fadkd.engine.job.JobSession;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.MetricSink;
import org.fadkd.api.Split;
import org.fadkd.api.Task;
import org.fadkd.engine.JobContext;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.measure.MeasurementEnvironment;
import org.fadkd.engine.model.StudentDescriptor;
import org.fadkd.engine.model.StudentExport;
import org.fadkd.engine.model.StudentExport.ExportedStudent;
import org.fadkd.engine.train.Evaluation;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.config.ProjectLayout;

/**
 * Evaluates an exported student again ({@code runner evaluate}): reloads it from its directory
 * alone and evaluates it on the split and at the batch size its {@code model.json} records, with
 * the task and data of an experiment, so that the numbers can be compared with those its job
 * reported. The architecture comes from {@code model.json}, never from the experiment.
 *
 * <p>The experiment's data and task must be those the student was trained with (see {@link
 * ExportCompatibility}); otherwise nothing is evaluated.
 */
public final class ExportEvaluation {
    private final ComponentBinder binder;
    private final ProjectLayout layout;

    @Inject
    public ExportEvaluation(ComponentBinder binder, ProjectLayout layout) {
        this.binder = requireNonNull(binder, "binder is null");
        this.layout = requireNonNull(layout, "layout is null");
    }

    /**
     * What an evaluation of an export gave.
     *
     * @param descriptor the export's {@code model.json}, with the metrics its job reported
     * @param reproduced the metrics just measured
     * @param environment where they were measured
     * @param jobMeasurement the {@code measurement} object (engine, device, threads) of the job's
     *     {@code summary.json} beside the export; empty when there is none
     */
    public record Outcome(
            StudentDescriptor descriptor,
            Map<String, Double> reproduced,
            MeasurementEnvironment environment,
            Map<String, Object> jobMeasurement) {
        public Outcome {
            requireNonNull(descriptor, "descriptor is null");
            reproduced = Collections.unmodifiableMap(new LinkedHashMap<>(reproduced));
            requireNonNull(environment, "environment is null");
            jobMeasurement = Collections.unmodifiableMap(new LinkedHashMap<>(jobMeasurement));
        }

        /** The metrics the job reported for the exported weights. */
        public Map<String, Double> recorded() {
            return descriptor.evaluation().metrics();
        }

        /** Every metric, recorded or reproduced: the recorded ones in their order, then any new ones. */
        public List<String> metricNames() {
            Set<String> names = new LinkedHashSet<>(recorded().keySet());
            names.addAll(reproduced.keySet());
            return List.copyOf(names);
        }

        /** The metrics whose values are not exactly equal; one that only one side has differs. */
        public List<String> differences() {
            return metricNames().stream()
                    .filter(name -> !Objects.equals(recorded().get(name), reproduced.get(name)))
                    .toList();
        }

        /**
         * Notes on where this evaluation ran when it differs from where the job ran: kernels may
         * sum in another order on another device or thread count, and change the last bits of a
         * logit.
         */
        public List<String> environmentWarnings() {
            List<String> warnings = new ArrayList<>();
            warnIfDifferent(warnings, "engine", jobMeasurement.get("engine"), environment.engine());
            warnIfDifferent(warnings, "device", jobMeasurement.get("device"), environment.device());
            warnIfDifferent(warnings, "threads", jobMeasurement.get("threads"), environment.threads());
            return warnings;
        }

        private static void warnIfDifferent(List<String> warnings, String name, Object job, Object now) {
            if (job != null && !String.valueOf(job).equals(String.valueOf(now))) {
                warnings.add(String.format("Warning: the job ran with %s '%s', this evaluation with '%s'; metrics"
                        + " may differ in the last bits.", name, job, now));
            }
        }
    }

    /**
     * Evaluates the export in {@code exportDirectory} with the task and data of {@code jobs}.
     *
     * @param exportDirectory a job's {@code student/} directory
     * @param jobs the experiment's planned jobs; their task and data sections must agree
     * @return the recorded and the reproduced metrics
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the directory holds no export,
     *     {@link ErrorCode#CONFIG_INVALID} when the jobs disagree on task or data, {@link
     *     ErrorCode#INCOMPATIBLE_COMPONENTS} when the export was trained on other data or for
     *     another task
     */
    public Outcome run(Path exportDirectory, List<JobSpec> jobs) {
        StudentDescriptor descriptor = StudentExport.readDescriptor(exportDirectory);
        JobSpec job = soleTaskAndData(jobs);
        Config config = job.config();
        MetricSink ignore = (key, value, step) -> {};
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            JobContext context = new JobContext(manager, job.seed(), layout.outputDir(), ignore, binder,
                    layout.dataSearchPath());
            Task task = binder.create(ComponentKind.TASK, "task", config.getConfig("task"), context);
            LabeledDataset dataset = JobSession.withValidation(
                    binder.create(ComponentKind.DATASET, "data", config.getConfig("data"), context), config);
            List<String> problems = ExportCompatibility.problems(exportDirectory, descriptor, job.experiment(),
                    config.getConfig("task"), config.getConfig("data"), dataset, locationKeys(config.getConfig("data")));
            if (!problems.isEmpty()) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS,
                        "The exported student does not fit experiment '" + job.experiment() + "':", problems);
            }
            Split split = split(exportDirectory, descriptor.evaluation().split());
            try (ExportedStudent student = StudentExport.load(exportDirectory, context)) {
                Map<String, Double> reproduced = Evaluation.evaluate(student.model(), task, dataset.getSplit(split),
                        descriptor.evaluation().batchSize(), manager);
                return new Outcome(descriptor, reproduced, MeasurementEnvironment.of(manager.getDevice()),
                        jobMeasurement(exportDirectory));
            }
        }
    }

    /** The one job whose task and data stand for all of them; a sweep over data cannot choose. */
    private static JobSpec soleTaskAndData(List<JobSpec> jobs) {
        Set<String> distinct = new LinkedHashSet<>();
        for (JobSpec job : jobs) {
            distinct.add(JobRunner.render(job.config().getConfig("task")) + JobRunner.render(job.config().getConfig("data")));
        }
        if (distinct.size() > 1) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "Experiment '%s' has %d jobs with %d different task or data settings, so it does not say which"
                            + " data to evaluate on. Choose one job with overrides, e.g. those in its overrides.txt.",
                    jobs.get(0).experiment(), jobs.size(), distinct.size()));
        }
        return jobs.get(0);
    }

    private Set<String> locationKeys(Config data) {
        ComponentFactory<LabeledDataset> factory =
                binder.getRegistry().getFactory(ComponentKind.DATASET, data.getString("type"));
        return factory instanceof DatasetFactory dataset ? dataset.getLocationKeys() : Set.of();
    }

    private static Split split(Path exportDirectory, String name) {
        try {
            return Split.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "%s in '%s' names split '%s'; known splits: train, validation, test.",
                    StudentExport.DESCRIPTOR, exportDirectory, name), e);
        }
    }

    /** The job's {@code measurement} object when the export sits in its job directory. */
    private static Map<String, Object> jobMeasurement(Path exportDirectory) {
        Path summary = exportDirectory.toAbsolutePath().normalize().resolveSibling("summary.json");
        if (!Files.isRegularFile(summary)) {
            return Map.of();
        }
        try {
            Object measurement = Json.MAPPER.readValue(summary.toFile(), Map.class).get("measurement");
            Map<String, Object> entries = new LinkedHashMap<>();
            if (measurement instanceof Map<?, ?> map) {
                map.forEach((key, value) -> entries.put(String.valueOf(key), value));
            }
            return entries;
        } catch (IOException e) {
            return Map.of(); // only used for a warning; the evaluation does not depend on it
        }
    }
}
