package org.fadkd.engine.teacher;

import static java.util.Objects.requireNonNull;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.fadkd.engine.util.FileTrees;
import org.fadkd.engine.util.IoFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trained teachers on disk, keyed by everything that determines their weights: architecture and its
 * settings, the training recipe, the data's fingerprint and the seed. A second run with the same key
 * loads the weights instead of training, and says so; anything that changes the key trains anew.
 *
 * <p>Entries are written to a temporary directory and moved into place, so a run killed halfway
 * leaves no half-written teacher behind. Each entry records the SHA-256 of its weight files, checked
 * on every load: a damaged entry (a bad disk, a copy cut short, an edited file) is reported and
 * trained again, never used. Runners filling the same entry take turns through a file lock
 * ({@code KEY.lock}), so that the second waits and reuses what the first trained. A cache that
 * cannot be written (a read-only {@code FAD_CACHE}, a full disk) costs the caching, not the job:
 * the teacher is kept in a temporary directory for this process and a warning says why.
 */
public final class TeacherCache {
    private static final Logger LOG = LoggerFactory.getLogger(TeacherCache.class);
    private static final String PARAMS_PREFIX = "teacher";
    private static final String METADATA = "teacher.properties";
    private static final String CHECKSUM_PREFIX = "sha256.";

    private final Path root;
    private final Consumer<String> warnings;

    /** What came out of {@link #obtain}. */
    public record Outcome(String key, boolean fromCache, double testTop1, double trainingSeconds, Path directory) {}

    /** A cache whose warnings go to the log. */
    public TeacherCache(Path root) {
        this(root, message -> LOG.warn(message));
    }

    /**
     * @param warnings where a damaged entry or an unwritable cache is reported; the job goes on
     */
    public TeacherCache(Path root, Consumer<String> warnings) {
        this.root = requireNonNull(root, "root is null");
        this.warnings = requireNonNull(warnings, "warnings is null");
    }

    /** Hashes the parts that determine a teacher's weights into a cache key. */
    public static String key(List<String> parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) ':');
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Loads the teacher of {@code key} into {@code model} (whose block is set), or trains it with
     * {@code train} (which returns the test top-1) and stores it.
     *
     * @param reuse false to train even when an entry exists (the new weights replace it)
     */
    public Outcome obtain(String key, boolean reuse, Model model, ToDoubleFunction<Model> train) {
        try (EntryLock lock = EntryLock.acquire(root.resolve(key + ".lock"), warnings)) {
            Path directory = root.resolve(key);
            if (reuse) {
                Outcome cached = load(key, directory, model);
                if (cached != null) {
                    return cached;
                }
            }
            long start = System.nanoTime();
            double top1 = train.applyAsDouble(model);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Outcome(key, false, top1, seconds, store(key, model, top1, seconds, directory));
        }
    }

    /** The entry's teacher loaded into {@code model}, or null when there is none or it is damaged. */
    private Outcome load(String key, Path directory, Model model) {
        Path metadataFile = directory.resolve(METADATA);
        if (!Files.isRegularFile(metadataFile)) {
            return null;
        }
        try {
            Properties metadata = read(metadataFile);
            if (!key.equals(metadata.getProperty("key"))) {
                return null;
            }
            String damaged = verify(directory, metadata);
            if (damaged != null) {
                warnings.accept(String.format("The cached teacher in %s is damaged (%s); training it again.",
                        directory, damaged));
                return null;
            }
            model.load(directory, PARAMS_PREFIX);
            if (!hasChecksums(metadata)) {
                addChecksums(directory, metadata);
            }
            return new Outcome(key, true, Double.parseDouble(metadata.getProperty("test_top1")),
                    Double.parseDouble(metadata.getProperty("training_seconds")), directory);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            warnings.accept(String.format("The cached teacher in %s cannot be read (%s); training it again.",
                    directory, e.getMessage()));
            return null;
        }
    }

    /** What is wrong with the entry's weight files, or null when each matches its recorded checksum. */
    private static String verify(Path directory, Properties metadata) throws IOException {
        List<String> recorded = metadata.stringPropertyNames().stream()
                .filter(name -> name.startsWith(CHECKSUM_PREFIX)).sorted().toList();
        for (String name : recorded) {
            Path file = directory.resolve(name.substring(CHECKSUM_PREFIX.length()));
            if (!Files.isRegularFile(file)) {
                return file.getFileName() + " is missing";
            }
            if (!sha256(file).equals(metadata.getProperty(name))) {
                return "the checksum of " + file.getFileName() + " differs from the one recorded when it was stored";
            }
        }
        return null;
    }

    private static boolean hasChecksums(Properties metadata) {
        return metadata.stringPropertyNames().stream().anyMatch(name -> name.startsWith(CHECKSUM_PREFIX));
    }

    /**
     * Records the checksums of an entry written by an earlier version, which had none, once it
     * loaded: its caller re-measures the teacher's accuracy against the recorded one, which catches
     * damage done before this point. Best effort: a read-only cache keeps the entry as it is.
     */
    private void addChecksums(Path directory, Properties metadata) {
        try {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(file -> !file.getFileName().toString().equals(METADATA)).sorted().toList()) {
                    metadata.setProperty(CHECKSUM_PREFIX + file.getFileName(), sha256(file));
                }
            }
            StringWriter text = new StringWriter();
            metadata.store(text, "FAD teacher cache entry");
            FileTrees.writeAtomically(directory.resolve(METADATA), text.toString());
        } catch (IOException e) {
            LOG.debug("Could not add checksums to {}: {}", directory, e.toString());
        }
    }

    /**
     * Stores the teacher as the entry of {@code key}; returns where its weights are. When the cache
     * cannot be written the weights go to a temporary directory instead, for this process's
     * measurements, and a warning says that nothing was cached.
     */
    private Path store(String key, Model model, double top1, double seconds, Path directory) {
        try {
            Files.createDirectories(root);
            Path staging = Files.createTempDirectory(root, key + ".tmp");
            write(key, model, top1, seconds, staging);
            if (Files.exists(directory)) {
                deleteRecursively(directory);
            }
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
            return directory;
        } catch (IOException | UncheckedIOException e) {
            String reason = IoFailures.describe(e);
            warnings.accept(String.format("The teacher cannot be cached in %s (%s); the job goes on without caching"
                    + " it, and the next run trains it again. Set FAD_CACHE to a writable directory to keep it.",
                    root, reason != null ? reason : e.getMessage()));
            return keepForThisProcess(key, model, top1, seconds);
        }
    }

    private static Path keepForThisProcess(String key, Model model, double top1, double seconds) {
        try {
            Path directory = Files.createTempDirectory("fad-teacher-" + key);
            write(key, model, top1, seconds, directory);
            FileTrees.deleteOnExit(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the teacher's weights in a temporary directory either", e);
        }
    }

    private static void write(String key, Model model, double top1, double seconds, Path directory) throws IOException {
        model.setProperty("Epoch", "0");
        model.save(directory, PARAMS_PREFIX);
        Properties metadata = new Properties();
        metadata.setProperty("key", key);
        metadata.setProperty("test_top1", Double.toString(top1));
        metadata.setProperty("training_seconds", Double.toString(seconds));
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                metadata.setProperty(CHECKSUM_PREFIX + file.getFileName(), sha256(file));
            }
        }
        try (Writer writer = Files.newBufferedWriter(directory.resolve(METADATA))) {
            metadata.store(writer, "FAD teacher cache entry");
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream input = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
