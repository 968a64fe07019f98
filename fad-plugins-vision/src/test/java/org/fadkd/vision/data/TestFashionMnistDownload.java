package org.fadkd.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Downloads from an in-process server on the loopback address; never from the network. */
final class TestFashionMnistDownload {
    @TempDir Path temporary;

    private final Map<String, byte[]> served = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mirror/", this::serve);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void testDownloadsVerifiedFilesTheDatasetFinds() throws IOException {
        Map<FashionMnistFile, String> md5s = serveSyntheticFiles();
        FashionMnistDatasetFactory factory = factory(md5s);
        Path dataRoot = temporary.resolve("data");

        assertThat(factory.isDownloadable()).isTrue();
        factory.download(dataRoot);

        Path directory = dataRoot.resolve("fashion-mnist");
        assertThat(fileNames(directory))
                .containsExactlyInAnyOrder(
                        "train-images-idx3-ubyte.gz",
                        "train-labels-idx1-ubyte.gz",
                        "t10k-images-idx3-ubyte.gz",
                        "t10k-labels-idx1-ubyte.gz");
        for (FashionMnistFile file : FashionMnistFile.values()) {
            assertThat(Files.readAllBytes(directory.resolve(file.getGzipFileName())))
                    .isEqualTo(served.get(file.getGzipFileName()));
        }
        TestingFadContext context =
                TestingFadContext.builder().workDirectory(temporary).dataSearchPath(dataRoot).build();
        LabeledDataset dataset = factory.create(factory.getDefaults(), context);
        assertThat(dataset.getSplit(Split.TRAIN).size()).isEqualTo(4);
        assertThat(dataset.getSplit(Split.TEST).size()).isEqualTo(2);
        assertThat(requests).hasValue(4);

        // verified files are kept, not fetched again
        factory.download(dataRoot);
        assertThat(requests).hasValue(4);
    }

    @Test
    void testChecksumMismatchKeepsNothing() throws IOException {
        Map<FashionMnistFile, String> md5s = serveSyntheticFiles();
        String actual = md5s.put(FashionMnistFile.TEST_IMAGES, "00000000000000000000000000000000");
        Path dataRoot = temporary.resolve("data");

        assertThatThrownBy(() -> factory(md5s).download(dataRoot))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Checksum mismatch for '" + baseUri() + "t10k-images-idx3-ubyte.gz'")
                .hasMessageContaining(
                        "expected MD5 '00000000000000000000000000000000' but got '" + actual + "'")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.DATA_MISSING);
        // the files before it are in place; the bad one and its temporary file are gone
        assertThat(fileNames(dataRoot.resolve("fashion-mnist")))
                .containsExactlyInAnyOrder(
                        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
    }

    @Test
    void testHttpErrorIsReported() throws IOException {
        Map<FashionMnistFile, String> md5s = serveSyntheticFiles();
        served.remove("train-labels-idx1-ubyte.gz");
        Path dataRoot = temporary.resolve("data");

        assertThatThrownBy(() -> factory(md5s).download(dataRoot))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Download of '"
                                + baseUri()
                                + "train-labels-idx1-ubyte.gz' failed with HTTP status 404");
        assertThat(fileNames(dataRoot.resolve("fashion-mnist")))
                .containsExactly("train-images-idx3-ubyte.gz");
    }

    /** Serves gzip-compressed synthetic files and returns their MD5s. */
    private Map<FashionMnistFile, String> serveSyntheticFiles() throws IOException {
        Path source = temporary.resolve("source");
        TestingFashionMnistFiles.write(source, 4, 2, true);
        Map<FashionMnistFile, String> md5s = new EnumMap<>(FashionMnistFile.class);
        for (FashionMnistFile file : FashionMnistFile.values()) {
            Path path = source.resolve(file.getGzipFileName());
            served.put(file.getGzipFileName(), Files.readAllBytes(path));
            md5s.put(file, Checksums.md5(path));
        }
        return md5s;
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String name = exchange.getRequestURI().getPath().substring("/mirror/".length());
        byte[] body = served.get(name);
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
        } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    private URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mirror/");
    }

    private FashionMnistDatasetFactory factory(Map<FashionMnistFile, String> md5s) {
        // without the trailing slash, which the downloader adds
        URI base = URI.create(baseUri().toString().replaceAll("/$", ""));
        return new FashionMnistDatasetFactory(base, md5s, List.of());
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }
}
