package org.fadkd.benchmarks;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.component.ComponentRegistry;
import org.fadkd.runner.config.ComposedJob;
import org.fadkd.runner.config.ConfigComposer;
import org.fadkd.runner.config.ExperimentCatalog;
import org.fadkd.runner.config.ProjectLayout;
import org.fadkd.runner.job.JobSections;

/**
 * The quick start's config as {@code ./runner --experiment fashion_mnist_quickstart} composes it
 * from the project's config groups, so the benchmarks follow any change to its models, method or
 * trainer settings. Components come from the plugins on the class path.
 */
final class QuickStartConfig {
    static final String EXPERIMENT = "fashion_mnist_quickstart";

    private final ProjectLayout layout;
    private final ComponentBinder binder;
    private final ConfigComposer composer;
    private final JobSections sections;
    private final Path experimentFile;
    private final Path dataDirectory;

    /**
     * @param home the project checkout (its {@code configs/} and {@code experiments/})
     * @param dataDirectory the directory holding Fashion-MNIST's IDX files, for both FAD and PyTorch
     */
    QuickStartConfig(Path home, Path dataDirectory) {
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        layout = ProjectLayout.of(requireNonNull(home, "home is null"), home);
        binder = new ComponentBinder(ComponentRegistry.fromClassLoader(QuickStartConfig.class.getClassLoader()));
        composer = new ConfigComposer(layout.configDirs());
        sections = new JobSections(binder, composer);
        experimentFile = new ExperimentCatalog(layout.experimentDirs()).find(EXPERIMENT);
    }

    /**
     * The quick start composed with {@code overrides} in the runner's syntax ({@code method=kd},
     * {@code trainer.epochs=1}), reading its data from the data directory.
     *
     * @throws FadException listing every problem, as the runner would
     */
    Config compose(List<String> overrides) {
        List<String> all = new ArrayList<>();
        all.add("data.root=" + dataDirectory);
        all.addAll(overrides);
        ComposedJob job = composer.compose(experimentFile, all, sections);
        List<String> problems = sections.validate(job.config());
        if (!problems.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, ComponentBinder.HEADING, problems);
        }
        return job.config();
    }

    ComponentBinder binder() {
        return binder;
    }

    ProjectLayout layout() {
        return layout;
    }

    Path dataDirectory() {
        return dataDirectory;
    }
}
