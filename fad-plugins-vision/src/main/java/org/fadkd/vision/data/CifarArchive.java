package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Gets one CIFAR archive into a directory and extracts it there: {@code <directory>/<archive>} is
 * downloaded (or, already there, only verified), then its folder ({@code cifar-10-batches-bin} or
 * {@code cifar-100-binary}) is extracted beside it. The archive is kept, so running it again checks
 * and re-extracts without the network.
 */
final class CifarArchive {
    private static final Logger log = LoggerFactory.getLogger(CifarArchive.class);

    private final CifarVariant variant;
    private final URI archiveUri;
    private final String archiveMd5;
    private final HttpClient client;

    /**
     * @param archiveUri where the archive is downloaded from
     * @param archiveMd5 its expected MD5, lowercase hex
     */
    CifarArchive(CifarVariant variant, URI archiveUri, String archiveMd5) {
        this.variant = requireNonNull(variant, "variant is null");
        this.archiveUri = requireNonNull(archiveUri, "archiveUri is null");
        this.archiveMd5 = requireNonNull(archiveMd5, "archiveMd5 is null");
        this.client = VerifiedDownload.newClient();
    }

    /**
     * Downloads the archive into {@code directory} unless a verified copy is there, and extracts
     * it.
     *
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the download, the checksum or
     *     the extraction fails
     */
    void fetchAndExtract(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Cannot create directory '" + directory + "': " + e.getMessage() + ".",
                    e);
        }
        Path archive = directory.resolve(variant.getArchiveName());
        if (VerifiedDownload.hasChecksum(archive, archiveMd5)) {
            log.info("'{}' is already present and verified", archive);
        } else {
            if (Files.exists(archive)) {
                log.warn(
                        "'{}' does not have the published MD5 {}: downloading it again",
                        archive,
                        archiveMd5);
            }
            VerifiedDownload.fetch(client, archiveUri, archiveMd5, archive, offlineHint(archive));
        }
        extract(archive, directory);
    }

    private String offlineHint(Path archive) {
        return String.format(
                "Without internet access here, download %s elsewhere and put it at '%s', then run"
                    + " the same 'runner data fetch %s' again: an archive already there is verified"
                    + " and extracted without the network.",
                archiveUri, archive, variant.getName());
    }

    private void extract(Path archive, Path directory) {
        Path folder = directory.resolve(variant.getFolderName()).normalize();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            Files.createDirectories(folder);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = directory.resolve(entry.getName()).normalize();
                // only the dataset's own folder: a crafted name ("../x") never escapes it
                if (!entry.isFile() || !target.startsWith(folder) || target.equals(folder)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                // moved into place once complete, so an interrupted extraction leaves no short file
                Path temporary =
                        Files.createTempFile(
                                target.getParent(), target.getFileName() + ".", ".part");
                try {
                    Files.copy(tar, temporary, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(
                            temporary,
                            target,
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    VerifiedDownload.deleteQuietly(temporary);
                }
            }
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Cannot extract '"
                            + archive
                            + "': "
                            + e.getMessage()
                            + ". Delete it and run './runner data fetch "
                            + variant.getName()
                            + "' again.",
                    e);
        }
        List<String> missing =
                variant.getDataFiles().stream()
                        .filter(name -> !Files.isRegularFile(folder.resolve(name)))
                        .toList();
        if (!missing.isEmpty()) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Archive '"
                            + archive
                            + "' has no "
                            + String.join(", ", missing)
                            + " in its folder '"
                            + variant.getFolderName()
                            + "': it is not "
                            + variant.getTitle()
                            + "'s binary version.");
        }
        log.info("Extracted '{}' into '{}'", archive, folder);
    }
}
