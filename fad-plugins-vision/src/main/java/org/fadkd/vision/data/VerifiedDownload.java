package org.fadkd.vision.data;

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
import java.util.HexFormat;

/**
 * Downloads one file and keeps it only when its MD5 is the published one. The body is streamed into
 * a temporary file next to its destination and moved into place once verified, so an interrupted or
 * corrupted download never leaves a file a dataset would pick up.
 */
final class VerifiedDownload {
    private static final Logger log = LoggerFactory.getLogger(VerifiedDownload.class);

    private VerifiedDownload() {}

    /** A client that follows redirects (the official servers redirect http to https). */
    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Downloads {@code uri} to {@code destination}, replacing it, when the body's MD5 is {@code
     * expectedMd5}.
     *
     * @param otherWay appended to the message when the server cannot be reached or answers with an
     *     error: how else to get the data
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the download fails or the
     *     checksum does not match; nothing is left at {@code destination} then
     */
    static void fetch(
            HttpClient client, URI uri, String expectedMd5, Path destination, String otherWay) {
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
                                    + ". "
                                    + otherWay);
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
                    "Download of '"
                            + uri
                            + "' to '"
                            + destination
                            + "' failed: "
                            + e
                            + ". "
                            + otherWay,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FadException(
                    ErrorCode.DATA_MISSING, "Download of '" + uri + "' was interrupted.", e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** Says whether {@code path} is a file whose MD5 is {@code expectedMd5}. */
    static boolean hasChecksum(Path path, String expectedMd5) {
        try {
            return Files.isRegularFile(path) && Checksums.md5(path).equalsIgnoreCase(expectedMd5);
        } catch (IOException e) {
            return false; // fetched again, which replaces it
        }
    }

    static void deleteQuietly(Path path) {
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
