package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;

import org.fadkd.api.DatasetFactory;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.vision.data.DataSearch.Candidate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Dataset {@code fashion-mnist}: Zalando's 28×28 grayscale clothing images, 10 classes, 60,000
 * train and 10,000 test samples. Validation uses the test split.
 *
 * <p>{@link #create} reads the four IDX files (raw or {@code .gz}) from the {@code root} setting
 * when it is set, and fails naming it and the missing files when they are not all there. Without
 * {@code root} it looks in, in order, {@code <dir>/fashion-mnist} for every directory of {@link
 * FadContext#getDataSearchPath()}, then {@code /usr/share/datasets/fashion-mnist} (Debian package
 * {@code dataset-fashion-mnist}). It never touches the network; {@link #download} does.
 */
public final class FashionMnistDatasetFactory implements DatasetFactory {
    public static final String NAME = "fashion-mnist";

    private static final Logger log = LoggerFactory.getLogger(FashionMnistDatasetFactory.class);
    private static final URI OFFICIAL_BASE_URI =
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
    private static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    private final URI downloadBaseUri;
    private final Map<FashionMnistFile, String> downloadMd5s;
    private final List<Path> systemDirectories;

    public FashionMnistDatasetFactory() {
        this(OFFICIAL_BASE_URI, officialGzipMd5s(), List.of(DEBIAN_DIRECTORY));
    }

    /**
     * For tests: a local server in place of the official one, and system directories that do not
     * depend on what the machine has installed.
     */
    FashionMnistDatasetFactory(
            URI downloadBaseUri,
            Map<FashionMnistFile, String> downloadMd5s,
            List<Path> systemDirectories) {
        this.downloadBaseUri = requireNonNull(downloadBaseUri, "downloadBaseUri is null");
        this.downloadMd5s = new EnumMap<>(requireNonNull(downloadMd5s, "downloadMd5s is null"));
        this.systemDirectories =
                List.copyOf(requireNonNull(systemDirectories, "systemDirectories is null"));
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public LabeledDataset create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        FashionMnistSettings parsed = FashionMnistSettings.from(settings);
        // A root the user names is the data they mean: never silently replaced by another copy.
        Path directory = parsed.root().isPresent() ? requireRoot(parsed.root().get()) : search(context);
        log.info("Reading Fashion-MNIST from '{}'", directory);
        return new FashionMnistDataset(directory, parsed.normalize());
    }

    private Path search(FadContext context) {
        List<Candidate> candidates = new ArrayList<>();
        for (Path directory : context.getDataSearchPath()) {
            candidates.add(new Candidate(directory.resolve(NAME), "data search path"));
        }
        for (Path directory : systemDirectories) {
            candidates.add(new Candidate(directory, "Debian package dataset-fashion-mnist"));
        }
        return DataSearch.firstComplete(
                candidates,
                FashionMnistDatasetFactory::missingFiles,
                FashionMnistDatasetFactory::notFound);
    }

    private static Path requireRoot(Path root) {
        List<String> missing = missingFiles(root);
        if (missing.isEmpty()) {
            return root;
        }
        throw new FadException(
                ErrorCode.DATA_MISSING,
                String.format(
                        "Dataset '%s': setting 'root' = '%s' %s. Put the four files there (each raw"
                                + " or .gz; './runner data fetch %s --dir DIR' downloads them into"
                                + " DIR/%s), or remove 'root' to use the data search path.",
                        NAME,
                        root,
                        Files.isDirectory(root)
                                ? "lacks " + String.join(", ", missing) + " (raw or .gz)"
                                : "is not a directory",
                        NAME,
                        NAME));
    }

    /**
     * Reads the settings as {@link #create} does; where the files are is checked separately
     * ({@code runner validate} and every run look for them before training).
     */
    @Override
    public void check(Config settings) {
        FashionMnistSettings.from(requireNonNull(settings, "settings is null"));
    }

    /** {@code root} only says where the files are; the fingerprint covers what they hold. */
    @Override
    public Set<String> getLocationKeys() {
        return Set.of("root");
    }

    @Override
    public boolean isDownloadable() {
        return true;
    }

    @Override
    public void download(Path directory) {
        requireNonNull(directory, "directory is null");
        new FashionMnistDownloader(downloadBaseUri, downloadMd5s).download(directory.resolve(NAME));
    }

    private static List<String> missingFiles(Path directory) {
        return Stream.of(FashionMnistFile.values())
                .filter(file -> file.locateIn(directory).isEmpty())
                .map(FashionMnistFile::getFileName)
                .collect(Collectors.toList());
    }

    private static FadException notFound(String searched) {
        String files =
                Stream.of(FashionMnistFile.values())
                        .map(FashionMnistFile::getFileName)
                        .collect(Collectors.joining(", "));
        return new FadException(
                ErrorCode.DATA_MISSING,
                String.format(
                        "Dataset '%s' not found. Looked for %s (each raw or .gz) in:%s%nTo get it,"
                            + " either install the Debian package:%n  sudo apt-get install"
                            + " dataset-fashion-mnist%nor, on a machine with internet access,"
                            + " download it into ~/.fad/data:%n  ./runner data fetch"
                            + " fashion-mnist%n(then copy ~/.fad/data/fashion-mnist here, or set"
                            + " 'root' to a directory holding the four files).",
                        NAME, files, searched));
    }

    static Map<FashionMnistFile, String> officialGzipMd5s() {
        Map<FashionMnistFile, String> md5s = new EnumMap<>(FashionMnistFile.class);
        for (FashionMnistFile file : FashionMnistFile.values()) {
            md5s.put(file, file.getOfficialGzipMd5());
        }
        return md5s;
    }
}
