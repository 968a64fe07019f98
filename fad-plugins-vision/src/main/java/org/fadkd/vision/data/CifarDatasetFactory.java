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
import java.util.List;
import java.util.Set;

/**
 * Datasets {@code cifar10} and {@code cifar100}: Krizhevsky's 32×32 colour images, 50,000 train and
 * 10,000 test samples, in 10 classes, or in 100 fine classes grouped into 20 coarse ones.
 *
 * <p>{@link #create} reads the official binary files ({@code data_batch_1..5.bin} and {@code
 * test_batch.bin}, or {@code train.bin} and {@code test.bin}) from a directory holding them or
 * holding the archive's folder ({@code cifar-10-batches-bin}, {@code cifar-100-binary}). That
 * directory is the {@code root} setting when set (and nothing else is looked at), otherwise the
 * first {@code <dir>/<name>} of {@link FadContext#getDataSearchPath()} that has them. It never
 * touches the network; {@link #download} does, and extracts the archive.
 */
public final class CifarDatasetFactory implements DatasetFactory {
    private static final Logger log = LoggerFactory.getLogger(CifarDatasetFactory.class);

    private final CifarVariant variant;
    private final URI archiveUri;
    private final String archiveMd5;

    /** Dataset {@code cifar10}. */
    public static CifarDatasetFactory cifar10() {
        return new CifarDatasetFactory(CifarVariant.CIFAR10);
    }

    /** Dataset {@code cifar100}. */
    public static CifarDatasetFactory cifar100() {
        return new CifarDatasetFactory(CifarVariant.CIFAR100);
    }

    private CifarDatasetFactory(CifarVariant variant) {
        this(variant, variant.getOfficialArchiveUri(), variant.getOfficialArchiveMd5());
    }

    /** For tests: a local server's archive and its MD5 in place of the official ones. */
    CifarDatasetFactory(CifarVariant variant, URI archiveUri, String archiveMd5) {
        this.variant = requireNonNull(variant, "variant is null");
        this.archiveUri = requireNonNull(archiveUri, "archiveUri is null");
        this.archiveMd5 = requireNonNull(archiveMd5, "archiveMd5 is null");
    }

    @Override
    public String getName() {
        return variant.getName();
    }

    @Override
    public LabeledDataset create(Config settings, FadContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        CifarSettings parsed = CifarSettings.from(settings, variant);
        // A root the user names is the data they mean: never silently replaced by another copy.
        Path directory =
                parsed.root().isPresent() ? requireRoot(parsed.root().get()) : search(context);
        Path files = filesDirectory(directory);
        log.info("Reading {} from '{}'", variant.getTitle(), files);
        return new CifarDataset(variant, parsed.labels(), files, parsed.normalize());
    }

    /**
     * Reads the settings as {@link #create} does; where the files are is checked separately ({@code
     * runner validate} and every run look for them before training).
     */
    @Override
    public void check(Config settings) {
        CifarSettings.from(requireNonNull(settings, "settings is null"), variant);
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

    /**
     * Downloads the official archive into {@code directory/<name>}, verifies it and extracts it.
     */
    @Override
    public void download(Path directory) {
        requireNonNull(directory, "directory is null");
        new CifarArchive(variant, archiveUri, archiveMd5)
                .fetchAndExtract(directory.resolve(getName()));
    }

    /**
     * The archive's folder inside {@code directory} when there is one, else the directory itself.
     */
    private Path filesDirectory(Path directory) {
        Path folder = directory.resolve(variant.getFolderName());
        return Files.isDirectory(folder) ? folder : directory;
    }

    private List<String> missingFiles(Path directory) {
        Path files = filesDirectory(directory);
        return variant.getDataFiles().stream()
                .filter(name -> !Files.isRegularFile(files.resolve(name)))
                .toList();
    }

    private Path search(FadContext context) {
        List<Candidate> candidates = new ArrayList<>();
        for (Path directory : context.getDataSearchPath()) {
            candidates.add(new Candidate(directory.resolve(getName()), "data search path"));
        }
        // where 'runner data fetch' looks for an archive put there by hand: the first data
        // directory
        String archivePlace =
                candidates.isEmpty()
                        ? "~/.fad/data/" + getName() + "/" + variant.getArchiveName()
                        : candidates
                                .get(0)
                                .directory()
                                .resolve(variant.getArchiveName())
                                .toString();
        return DataSearch.firstComplete(
                candidates, this::missingFiles, searched -> notFound(searched, archivePlace));
    }

    private FadException notFound(String searched, String archivePlace) {
        return new FadException(
                ErrorCode.DATA_MISSING,
                String.format(
                        "Dataset '%s' not found. Looked for %s (in the directory or its folder %s)"
                                + " in:%s%nTo get it, on a machine with internet access run:%n"
                                + "  ./runner data fetch %s%nwhich downloads %s, checks its MD5 and"
                                + " extracts it. Without internet access, put that archive at '%s'"
                                + " and run the same command: it verifies and extracts it without"
                                + " downloading. Or set 'root' to a directory holding the files.",
                        getName(),
                        String.join(", ", variant.getDataFiles()),
                        variant.getFolderName(),
                        searched,
                        getName(),
                        archiveUri,
                        archivePlace));
    }

    private Path requireRoot(Path root) {
        List<String> missing = missingFiles(root);
        if (missing.isEmpty()) {
            return root;
        }
        throw new FadException(
                ErrorCode.DATA_MISSING,
                String.format(
                        "Dataset '%s': setting 'root' = '%s' %s. Put the extracted files of %s"
                            + " there ('./runner data fetch %s --dir DIR' downloads and extracts it"
                            + " into DIR/%s), or remove 'root' to use the data search path.",
                        getName(),
                        root,
                        Files.isDirectory(root)
                                ? "lacks "
                                        + String.join(", ", missing)
                                        + " (looked in '"
                                        + filesDirectory(root)
                                        + "')"
                                : "is not a directory",
                        variant.getArchiveName(),
                        getName(),
                        getName()));
    }
}
