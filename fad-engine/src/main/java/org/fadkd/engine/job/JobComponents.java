package org.fadkd.engine.job;

import static java.util.Objects.requireNonNull;

import ai.djl.Model;
import com.typesafe.config.Config;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DistillationLoss;
import org.fadkd.api.DistillationTrainer;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Task;
import org.fadkd.engine.JobContext;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.model.TappedModel;

/**
 * A job's components, built once from its config: the one place a job's task, dataset, teacher
 * and trainer are assembled. The student ({@link #architecture}) is built once the job knows which
 * (selection may choose it), and methods ({@link #method}) per use: each training stage gets a
 * fresh one.
 *
 * @param config the job's resolved config
 * @param settings the host's typed settings
 * @param task the task
 * @param dataset the dataset (shared between the jobs of a process, see {@link JobSession#dataset})
 * @param teacher the teacher's architecture
 * @param trainer the trainer
 * @param binder creates the components built later (student, methods, further models)
 * @param context the job's context they are created in
 */
public record JobComponents(
        Config config,
        JobSettings settings,
        Task task,
        LabeledDataset dataset,
        Architecture teacher,
        DistillationTrainer trainer,
        ComponentBinder binder,
        JobContext context) {
    public JobComponents {
        requireNonNull(config, "config is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(task, "task is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(teacher, "teacher is null");
        requireNonNull(trainer, "trainer is null");
        requireNonNull(binder, "binder is null");
        requireNonNull(context, "context is null");
    }

    /** Builds a job's components; the trainer is created from the trainer's own keys only. */
    public static JobComponents build(Config config, JobSettings settings, JobSession session, JobContext context) {
        ComponentBinder binder = session.binder();
        Task task = binder.create(ComponentKind.TASK, "task", config.getConfig("task"), context);
        LabeledDataset dataset = session.dataset(config, context);
        Architecture teacher = binder.create(ComponentKind.ARCHITECTURE, "teacher", config.getConfig("teacher"), context);
        DistillationTrainer trainer =
                binder.create(ComponentKind.TRAINER, "trainer", trainerSection(config), context);
        return new JobComponents(config, settings, task, dataset, teacher, trainer, binder, context);
    }

    /** The trainer component's section: the {@code trainer} section without the keys the host reads. */
    public static Config trainerSection(Config config) {
        Config section = config.getConfig("trainer");
        for (String key : JobSettings.SHARED_TRAINER_KEYS) {
            section = section.withoutPath(key);
        }
        return section;
    }

    /** The job's method section ({@code type} and settings). */
    public Config methodSection() {
        return config.getConfig("method");
    }

    /** Creates a fresh instance of a method; {@code path} names the section in messages. */
    public DistillationLoss method(String path, Config section) {
        return binder.create(ComponentKind.METHOD, path, section, context);
    }

    /** Builds an architecture from its section; {@code path} names the section in messages. */
    public Architecture architecture(String path, Config section) {
        return binder.create(ComponentKind.ARCHITECTURE, path, section, context);
    }

    /** A new model named {@code name} holding the architecture's block for the dataset; the caller closes it. */
    public Model newModel(String name, Architecture architecture) {
        return JobSession.newModel(name, architecture, dataset);
    }

    /** The tapped view of a model built from {@code architecture}. */
    public static TappedModel tapped(String name, Model model, Architecture architecture) {
        return new TappedModel(name, model, architecture.getTapNames(), architecture.getEmbeddingSource());
    }
}
