package org.fadkd.runner.cli;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.fadkd.api.ComponentFactory;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.DatasetFactory;
import org.fadkd.api.DownloadableAsset;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.engine.component.ComponentBinder;
import org.fadkd.engine.component.ComponentRegistry;
import org.fadkd.engine.component.ComponentRegistry.RegisteredAsset;
import org.fadkd.engine.util.Suggestions;
import org.fadkd.engine.job.JobListener;
import org.fadkd.engine.job.JobSession;
import org.fadkd.runner.config.ProjectLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner data}: {@code fetch NAME} downloads a dataset, or another plugin's {@linkplain
 * DownloadableAsset downloadable asset} (pretrained weights), from its official source, {@code
 * export-imagefolder} writes one as class folders, {@code generate NAME DIR} writes a generated
 * dataset's files.
 */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Manage datasets.",
        subcommands = {DataCommand.Fetch.class, DataCommand.ExportImageFolder.class, DataCommand.Generate.class})
public final class DataCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "Missing subcommand: try 'runner data fetch fashion-mnist'");
    }

    /**
     * Downloads one dataset, or one downloadable asset (files that are not a dataset, such as
     * MiniLM's weights), into the first data directory.
     */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download a dataset, or a pretrained model's files (minilm), from its official"
                    + " location and verify its checksums (needs internet; FAD never downloads during a run).")
    public static final class Fetch implements Callable<Integer> {
        private final ComponentRegistry registry;
        private final ProjectLayout layout;
        private final PrintStream console;

        @Parameters(paramLabel = "NAME", description = "The dataset or asset, e.g. fashion-mnist, minilm.")
        String name;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Data root to download into (default: $FAD_DATA, else ~/.fad/data).")
        Path directory;

        @Inject
        Fetch(ComponentRegistry registry, ProjectLayout layout, PrintStream console) {
            this.registry = requireNonNull(registry, "registry is null");
            this.layout = requireNonNull(layout, "layout is null");
            this.console = requireNonNull(console, "console is null");
        }

        @Override
        public Integer call() {
            boolean isDataset = registry.getNames(ComponentKind.DATASET).contains(name);
            Optional<RegisteredAsset> asset = registry.findAsset(name);
            if (isDataset && asset.isPresent()) {
                throw new FadException(ErrorCode.DUPLICATE_COMPONENT, String.format(
                        "'%s' is both a dataset (%s) and a downloadable asset (%s), so 'data fetch %s' cannot"
                                + " tell which to fetch. Remove one of the plugins.",
                        name, registry.getSource(ComponentKind.DATASET, name), asset.get().source(), name));
            }
            // what to fetch is found before the target: an unknown name is reported as such
            DatasetFactory dataset = asset.isPresent() ? null : downloadableDataset();
            Path target = target();
            if (asset.isPresent()) {
                DownloadableAsset files = asset.get().asset();
                console.printf("Downloading '%s' (%s) into %s ...%n", name, files.getDescription(), target.resolve(name));
                files.download(target);
            } else {
                console.printf("Downloading '%s' into %s ...%n", name, target.resolve(name));
                dataset.download(target);
            }
            console.printf("Done: '%s' is in %s and its checksums match.%n", name, target.resolve(name));
            return 0;
        }

        /** The data root to download into: {@code --dir}, else the first data directory. */
        private Path target() {
            if (directory != null) {
                return directory;
            }
            if (layout.dataSearchPath().isEmpty()) {
                throw new FadException(ErrorCode.CONFIG_INVALID,
                        "There is no data directory to download into; pass --dir DIR.");
            }
            return layout.dataSearchPath().get(0);
        }

        /** The dataset of the name, when it can be downloaded; else an error naming what can. */
        private DatasetFactory downloadableDataset() {
            if (!registry.getNames(ComponentKind.DATASET).contains(name)) {
                List<String> fetchable = fetchableNames();
                throw new FadException(ErrorCode.UNKNOWN_COMPONENT, String.format(
                        "Nothing named '%s' can be fetched. 'data fetch' knows: %s.%s",
                        name, String.join(", ", fetchable), Suggestions.didYouMean(name, fetchable)));
            }
            ComponentFactory<LabeledDataset> factory = registry.getFactory(ComponentKind.DATASET, name);
            if (!(factory instanceof DatasetFactory dataset) || !dataset.isDownloadable()) {
                throw new FadException(ErrorCode.DATA_MISSING,
                        "Dataset '" + name + "' cannot be downloaded by FAD; see its documentation.");
            }
            return dataset;
        }

        /** The downloadable datasets and the assets, sorted. */
        private List<String> fetchableNames() {
            TreeSet<String> names = new TreeSet<>(registry.getAssetNames());
            for (String dataset : registry.getNames(ComponentKind.DATASET)) {
                if (registry.getFactory(ComponentKind.DATASET, dataset) instanceof DatasetFactory factory
                        && factory.isDownloadable()) {
                    names.add(dataset);
                }
            }
            return List.copyOf(names);
        }
    }

    /** Writes a dataset as an image folder, for the {@code imagefolder} dataset and small fixtures. */
    @Command(name = "export-imagefolder", mixinStandardHelpOptions = true,
            description = "Write a dataset (e.g. fashion-mnist) as PNG files in DIR/train/<class>/ and"
                    + " DIR/val/<class>/ (its test split), readable as dataset imagefolder.")
    public static final class ExportImageFolder implements Callable<Integer> {
        private final ComponentBinder binder;
        private final ProjectLayout layout;
        private final PrintStream console;

        @Parameters(index = "0", paramLabel = "NAME", description = "The dataset, e.g. fashion-mnist.")
        String name;

        @Parameters(index = "1", paramLabel = "DIR", description = "A new or empty directory.")
        Path directory;

        @Option(names = "--size", paramLabel = "N", description = "At most N images per split, balanced per class.")
        int size;

        @Inject
        ExportImageFolder(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
            this.binder = requireNonNull(binder, "binder is null");
            this.layout = requireNonNull(layout, "layout is null");
            this.console = requireNonNull(console, "console is null");
        }

        @Override
        public Integer call() throws IOException {
            // Pixels must come out as stored (in [0, 1]): a dataset with a normalize switch gets it off.
            Config section = ConfigFactory.parseMap(Map.of("type", name));
            if (binder.getRegistry().getFactory(ComponentKind.DATASET, name).getDefaults().hasPath("normalize")) {
                section = section.withValue("normalize", ConfigValueFactory.fromAnyRef(false));
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                JobSession session = new JobSession(binder, layout.cacheDir(), layout.dataSearchPath(), console);
                LabeledDataset dataset = binder.create(ComponentKind.DATASET, "data", section,
                        session.context(manager, 0, directory, JobListener.NONE));
                ImageFolderExport.export(dataset, directory, size, console);
            }
            console.printf("Done: '%s' is an image folder in %s.%n", name, directory);
            return 0;
        }
    }

    /**
     * Writes a generated dataset's files ({@link LabeledDataset#writeFiles}), created from its
     * defaults and the {@code --set} values as a job's {@code data} section would be.
     */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a generated dataset (e.g. fashion-mnist-canvas) as files in DIR: PNG images with"
                    + " COCO JSON and Pascal VOC XML annotations, which datasets coco and voc read.")
    public static final class Generate implements Callable<Integer> {
        private final ComponentBinder binder;
        private final ProjectLayout layout;
        private final PrintStream console;

        @Parameters(index = "0", paramLabel = "NAME", description = "The dataset, e.g. fashion-mnist-canvas.")
        String name;

        @Parameters(index = "1", paramLabel = "DIR", description = "A new or empty directory.")
        Path directory;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "A setting of the dataset, as in its defaults file (repeatable), e.g. --set"
                        + " train-size=1000.")
        List<String> settings = new ArrayList<>();

        @Inject
        Generate(ComponentBinder binder, ProjectLayout layout, PrintStream console) {
            this.binder = requireNonNull(binder, "binder is null");
            this.layout = requireNonNull(layout, "layout is null");
            this.console = requireNonNull(console, "console is null");
        }

        @Override
        public Integer call() {
            Config section = ConfigFactory.parseMap(Map.of("type", name));
            for (String setting : settings) {
                if (!setting.contains("=")) {
                    throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                            "--set '%s' is not KEY=VALUE; e.g. --set train-size=1000.", setting));
                }
                section = ConfigFactory.parseString(setting).withFallback(section);
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                JobSession session = new JobSession(binder, layout.cacheDir(), layout.dataSearchPath(), console);
                LabeledDataset dataset = binder.create(ComponentKind.DATASET, "data", section,
                        session.context(manager, 0, directory, JobListener.NONE));
                if (!dataset.canWriteFiles()) {
                    throw new FadException(ErrorCode.CONFIG_INVALID, String.format("Dataset '%s' is read from files"
                            + " and cannot write them; 'data generate' writes generated datasets, such as"
                            + " fashion-mnist-canvas.", name));
                }
                console.printf("Writing '%s' into %s ...%n", name, directory);
                console.println(dataset.writeFiles(directory));
            }
            console.printf("Done: '%s' is in %s.%n", name, directory);
            return 0;
        }
    }
}
