package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Fetches the four {@code .gz} files into one directory, each through {@link VerifiedDownload}.
 */
final class FashionMnistDownloader {
    private static final Logger log = LoggerFactory.getLogger(FashionMnistDownloader.class);
    private static final String OTHER_WAY =
            "Check that the machine can reach that address, or install the data another way:"
                    + " sudo apt-get install dataset-fashion-mnist.";

    private final URI baseUri;
    private final Map<FashionMnistFile, String> md5s;
    private final HttpClient client;

    /**
     * @param baseUri the directory URL the files are in; a missing trailing slash is added
     * @param md5s the expected MD5 (lowercase hex) of each file's {@code .gz}
     */
    FashionMnistDownloader(URI baseUri, Map<FashionMnistFile, String> md5s) {
        requireNonNull(baseUri, "baseUri is null");
        this.baseUri = baseUri.toString().endsWith("/") ? baseUri : URI.create(baseUri + "/");
        this.md5s = new EnumMap<>(requireNonNull(md5s, "md5s is null"));
        for (FashionMnistFile file : FashionMnistFile.values()) {
            if (!this.md5s.containsKey(file)) {
                throw new IllegalArgumentException("no MD5 for " + file + " in " + md5s);
            }
        }
        this.client = VerifiedDownload.newClient();
    }

    /** Downloads every file not already in {@code directory} with the right checksum. */
    void download(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Cannot create directory '" + directory + "': " + e.getMessage() + ".",
                    e);
        }
        for (FashionMnistFile file : FashionMnistFile.values()) {
            Path destination = directory.resolve(file.getGzipFileName());
            if (VerifiedDownload.hasChecksum(destination, md5s.get(file))) {
                log.info("'{}' is already present and verified", destination);
                continue;
            }
            VerifiedDownload.fetch(
                    client,
                    baseUri.resolve(file.getGzipFileName()),
                    md5s.get(file),
                    destination,
                    OTHER_WAY);
        }
    }
}
