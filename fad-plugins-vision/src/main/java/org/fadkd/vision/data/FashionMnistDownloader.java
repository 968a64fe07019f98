package org.fadkd.vision.data;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Fetches the four {@code .gz} files into one directory. Each file is streamed into a temporary
 * file next to its destination and moved into place only once its MD5 matches, so an interrupted or
 * corrupted download never leaves a file the dataset would pick up.
 */
final class FashionMnistDownloader {
    private static final Logger log = LoggerFactory.getLogger(FashionMnistDownloader.class);

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
        this.client =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(30))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
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
            if (hasChecksum(destination, md5s.get(file))) {
                log.info("'{}' is already present and verified", destination);
                continue;
            }
            fetch(baseUri.resolve(file.getGzipFileName()), md5s.get(file), destination);
        }
    }

    private void fetch(URI uri, String expectedMd5, Path destination) {
        log.info("Downloading '{}' to '{}'", uri, destination);
        Path temporary = null;
        try {
            temporary =
                    Files.createTempFile(
                            destination.getParent(), destination.getFileName() + ".", ".part");
            HttpRequest request =
                    HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build();
            HttpResponse<InputStream> response =
                    client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = Checksums.newDigest("MD5");
            try (InputStream body = new DigestInputStream(response.body(), digest)) {
                if (response.statusCode() != 200) {
                    throw new FadException(
                            ErrorCode.DATA_MISSING,
                            "Download of '"
                                    + uri
                                    + "' failed with HTTP status "
                                    + response.statusCode()
                                    + ". Check that the machine can reach that address, or install"
                                    + " the data another way: sudo apt-get install"
                                    + " dataset-fashion-mnist.");
                }
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    body.transferTo(out);
                }
            }
            String actualMd5 = HexFormat.of().formatHex(digest.digest());
            if (!actualMd5.equalsIgnoreCase(expectedMd5)) {
                throw new FadException(
                        ErrorCode.DATA_MISSING,
                        "Checksum mismatch for '"
                                + uri
                                + "': expected MD5 '"
                                + expectedMd5
                                + "' but got '"
                                + actualMd5
                                + "'. The download was discarded;"
                                + " try again, and if it persists the server's copy has changed.");
            }
            Files.move(
                    temporary,
                    destination,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    "Download of '" + uri + "' to '" + destination + "' failed: " + e + ".",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FadException(
                    ErrorCode.DATA_MISSING, "Download of '" + uri + "' was interrupted.", e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    private static boolean hasChecksum(Path path, String expectedMd5) {
        try {
            return Files.isRegularFile(path) && Checksums.md5(path).equalsIgnoreCase(expectedMd5);
        } catch (IOException e) {
            return false; // fetched again, which replaces it
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("Could not delete temporary file '{}': {}", path, e.getMessage());
        }
    }
}
