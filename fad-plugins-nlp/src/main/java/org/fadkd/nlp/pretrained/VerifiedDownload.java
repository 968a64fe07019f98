package org.fadkd.nlp.pretrained;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Downloads one file and keeps it only when its SHA-256 is the published one: the body is streamed
 * into a temporary file next to its destination and moved into place once verified, so that an
 * interrupted or corrupted download never leaves a file that could pass for a verified one. The
 * vision plugin's class of the same name does this with MD5; plugins share no code but fad-api,
 * hence this copy of the pattern.
 *
 * <p>Progress goes to the log (the console of {@code runner data fetch}) every tenth of the file,
 * so that a large download is seen to move without a terminal-only progress bar.
 */
final class VerifiedDownload {
    private static final Logger log = LoggerFactory.getLogger(VerifiedDownload.class);
    private static final int PROGRESS_STEPS = 10;
    private static final double MEGABYTE = 1e6;

    private VerifiedDownload() {}

    /** A client that follows redirects (mirrors redirect http to https). */
    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Downloads {@code uri} to {@code destination}, replacing it, when the body's SHA-256 is
     * {@code expectedSha256}.
     *
     * @param otherWay appended to the message when the server cannot be reached or answers with an
     *     error: how else to get the file
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the download fails or the
     *     checksum does not match; nothing is left at {@code destination} then
     */
    static void fetch(HttpClient client, URI uri, String expectedSha256, Path destination, String otherWay) {
        log.info("Downloading '{}' to '{}'", uri, destination);
        Path temporary = null;
        try {
            temporary = newPartFile(destination);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = newSha256();
            try (InputStream body = new DigestInputStream(response.body(), digest)) {
                if (response.statusCode() != 200) {
                    throw new FadException(ErrorCode.DATA_MISSING, String.format(
                            "Download of '%s' failed with HTTP status %d. %s", uri, response.statusCode(), otherWay));
                }
                long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    copyWithProgress(body, out, length, uri);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new FadException(ErrorCode.DATA_MISSING, String.format(
                        "Checksum mismatch for '%s': expected SHA-256 %s but got %s. The download was deleted;"
                                + " try again, and if it persists the server's copy is not the published one.",
                        uri, expectedSha256, actual));
            }
            Files.move(temporary, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            boolean offline = e instanceof ConnectException || e instanceof UnknownHostException
                    || e instanceof HttpConnectTimeoutException;
            String reason = offline ? "no connection to " + uri.getHost() + " (" + e + ")" : e.toString();
            throw new FadException(ErrorCode.DATA_MISSING, String.format(
                    "Download of '%s' to '%s' failed: %s. %s", uri, destination, reason, otherWay), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FadException(ErrorCode.DATA_MISSING, "Download of '" + uri + "' was interrupted.", e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** Copies {@code in} to {@code out}, logging each further tenth of {@code length} bytes (unknown: -1). */
    private static void copyWithProgress(InputStream in, OutputStream out, long length, URI uri) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        int loggedSteps = 0;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
            copied += read;
            int steps = length > 0 ? (int) (copied * PROGRESS_STEPS / length) : 0;
            if (steps > loggedSteps && steps < PROGRESS_STEPS) {
                loggedSteps = steps;
                log.info("{}%: {} of {} MB", steps * 100 / PROGRESS_STEPS,
                        String.format("%.1f", copied / MEGABYTE), String.format("%.1f", length / MEGABYTE));
            }
        }
        log.info("Downloaded {} MB from '{}'", String.format("%.1f", copied / MEGABYTE), uri);
    }

    /**
     * Creates an empty {@code <destination>.<random>.part} next to {@code destination}, where its
     * bytes are written before the file is moved into place. Unlike {@link Files#createTempFile},
     * which makes it readable by its owner only, the file gets the permissions of any new file
     * (the umask's), so that a data directory shared by a group stays readable.
     */
    static Path newPartFile(Path destination) throws IOException {
        while (true) {
            Path part = destination.resolveSibling(String.format(
                    "%s.%08x.part", destination.getFileName(), ThreadLocalRandom.current().nextInt()));
            try {
                return Files.createFile(part);
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
    }

    /** Returns the lowercase hex SHA-256 of a file's bytes. */
    static String sha256(Path path) throws IOException {
        MessageDigest digest = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Says whether {@code path} is a file whose SHA-256 is {@code expectedSha256}. */
    static boolean hasChecksum(Path path, String expectedSha256) {
        try {
            return Files.isRegularFile(path) && sha256(path).equalsIgnoreCase(expectedSha256);
        } catch (IOException e) {
            return false; // fetched again, which replaces it
        }
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256
            throw new IllegalStateException("SHA-256 is not available", e);
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
