package org.fadkd.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.Split;
import org.fadkd.engine.testing.TestingFadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Fetches from an in-process server on the loopback address; never from the network. */
final class TestCifarDownload {
    private static final CifarVariant VARIANT = CifarVariant.CIFAR100;

    @TempDir Path temporary;

    private final AtomicInteger requests = new AtomicInteger();
    private byte[] archive;
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        archive = tinyArchive();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/kriz/", this::serve);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void testDownloadsVerifiesAndExtractsWhatTheDatasetFinds() throws IOException {
        CifarDatasetFactory factory = factory(md5(archive));
        Path dataRoot = temporary.resolve("data");

        factory.download(dataRoot);

        Path directory = dataRoot.resolve("cifar100");
        assertThat(directory.resolve("cifar-100-binary.tar.gz")).hasBinaryContent(archive);
        assertThat(fileNames(directory.resolve("cifar-100-binary")))
                .containsExactlyInAnyOrder("train.bin", "test.bin", "fine_label_names.txt");
        // the escaping entry was skipped
        assertThat(temporary.resolve("escaped.bin")).doesNotExist();
        assertThat(fileNames(directory))
                .containsExactlyInAnyOrder("cifar-100-binary.tar.gz", "cifar-100-binary");
        try (TestingFadContext context =
                TestingFadContext.builder()
                        .workDirectory(temporary)
                        .dataSearchPath(dataRoot)
                        .build()) {
            CifarDataset dataset = (CifarDataset) factory.create(factory.getDefaults(), context);
            assertThat(dataset.getSplit(Split.TRAIN).size()).isEqualTo(3);
            assertThat(dataset.getSplit(Split.TEST).size()).isEqualTo(2);
            assertThat(dataset.getClassNames()).startsWith("fine-0");
        }

        // a verified archive is extracted again without the network
        server.stop(0);
        Files.delete(directory.resolve("cifar-100-binary/train.bin"));
        factory.download(dataRoot);
        assertThat(directory.resolve("cifar-100-binary/train.bin")).exists();
        assertThat(requests).hasValue(1);
    }

    @Test
    void testChecksumMismatchKeepsNothing() throws IOException {
        String expected = "00000000000000000000000000000000";
        Path dataRoot = temporary.resolve("data");

        assertThatThrownBy(() -> factory(expected).download(dataRoot))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("Checksum mismatch for '" + archiveUri() + "'")
                .hasMessageContaining(
                        "expected MD5 '" + expected + "' but got '" + md5(archive) + "'")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.DATA_MISSING);
        assertThat(fileNames(dataRoot.resolve("cifar100"))).isEmpty();
    }

    @Test
    void testWithoutAServerSaysWhereToPutTheArchive() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI unreachable =
                URI.create("http://127.0.0.1:" + closedPort + "/kriz/cifar-100-binary.tar.gz");
        CifarDatasetFactory factory = new CifarDatasetFactory(VARIANT, unreachable, md5(archive));
        Path dataRoot = temporary.resolve("data");
        Path destination = dataRoot.resolve("cifar100/cifar-100-binary.tar.gz");

        assertThatThrownBy(() -> factory.download(dataRoot))
                .isInstanceOf(FadException.class)
                .hasMessageContaining(
                        "Download of '" + unreachable + "' to '" + destination + "' failed")
                .hasMessageContaining(
                        "download "
                                + unreachable
                                + " elsewhere and put it at '"
                                + destination
                                + "'")
                .hasMessageContaining("the same 'runner data fetch cifar100' again")
                .extracting(e -> ((FadException) e).getErrorCode())
                .isEqualTo(ErrorCode.DATA_MISSING);

        // done as the message says, the same command succeeds offline
        Files.write(destination, archive);
        factory.download(dataRoot);
        assertThat(dataRoot.resolve("cifar100/cifar-100-binary/test.bin")).exists();
    }

    @Test
    void testArchiveWithoutTheDataIsReported() throws IOException {
        archive =
                tarGz(
                        Map.of(
                                "cifar-100-binary/train.bin",
                                TestingCifarFiles.records(VARIANT, 0, 1)));
        Path dataRoot = temporary.resolve("data");

        assertThatThrownBy(() -> factory(md5(archive)).download(dataRoot))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("has no test.bin in its folder 'cifar-100-binary'");
    }

    /** An archive shaped like the official one, plus an entry that tries to escape the folder. */
    private static byte[] tinyArchive() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-100-binary/train.bin", TestingCifarFiles.records(VARIANT, 0, 3));
        entries.put("cifar-100-binary/test.bin", TestingCifarFiles.records(VARIANT, 0, 2));
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            names.append("fine-").append(i).append('\n');
        }
        entries.put("cifar-100-binary/fine_label_names.txt", names.toString().getBytes());
        entries.put("cifar-100-binary/../../../escaped.bin", new byte[] {1});
        return tarGz(entries);
    }

    private static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.putArchiveEntry(new TarArchiveEntry("cifar-100-binary/"));
            tar.closeArchiveEntry();
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                TarArchiveEntry header = new TarArchiveEntry(entry.getKey(), true);
                header.setSize(entry.getValue().length);
                tar.putArchiveEntry(header);
                tar.write(entry.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        boolean known = exchange.getRequestURI().getPath().equals("/kriz/cifar-100-binary.tar.gz");
        exchange.sendResponseHeaders(known ? 200 : 404, known ? archive.length : -1);
        try (OutputStream body = exchange.getResponseBody()) {
            if (known) {
                body.write(archive);
            }
        }
    }

    private URI archiveUri() {
        return URI.create(
                "http://127.0.0.1:"
                        + server.getAddress().getPort()
                        + "/kriz/cifar-100-binary.tar.gz");
    }

    private CifarDatasetFactory factory(String md5) {
        return new CifarDatasetFactory(VARIANT, archiveUri(), md5);
    }

    private static String md5(byte[] bytes) {
        return HexFormat.of().formatHex(Checksums.newDigest("MD5").digest(bytes));
    }

    private static List<String> fileNames(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }
}
