package org.fadkd.engine.teacher;

import static java.util.Objects.requireNonNull;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.IOException;
import java.io.Reader;
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
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trained teachers on disk, keyed by everything that determines their weights: architecture and its
 * settings, the training recipe, the data's fingerprint and the seed. A second run with the same key
 * loads the weights instead of training, and says so; anything that changes the key trains anew.
 *
 * <p>Entries are written to a temporary directory and moved into place, so a run killed halfway
 * leaves no half-written teacher behind.
 */
public final class TeacherCache {
    private static final Logger LOG = LoggerFactory.getLogger(TeacherCache.class);
    private static final String PARAMS_PREFIX = "teacher";
    private static final String METADATA = "teacher.properties";

    private final Path root;

    /** What came out of {@link #obtain}. */
    public record Outcome(String key, boolean fromCache, double testTop1, double trainingSeconds, Path directory) {}

    public TeacherCache(Path root) {
        this.root = requireNonNull(root, "root is null");
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
        Path directory = root.resolve(key);
        Path metadataFile = directory.resolve(METADATA);
        if (reuse && Files.isRegularFile(metadataFile)) {
            try {
                Properties metadata = read(metadataFile);
                if (key.equals(metadata.getProperty("key"))) {
                    model.load(directory, PARAMS_PREFIX);
                    return new Outcome(key, true, Double.parseDouble(metadata.getProperty("test_top1")),
                            Double.parseDouble(metadata.getProperty("training_seconds")), directory);
                }
            } catch (IOException | MalformedModelException | RuntimeException e) {
                LOG.warn("Cached teacher at {} could not be read ({}); training it again.", directory, e.toString());
            }
        }
        long start = System.nanoTime();
        double top1 = train.applyAsDouble(model);
        double seconds = (System.nanoTime() - start) / 1e9;
        store(key, model, top1, seconds, directory);
        return new Outcome(key, false, top1, seconds, directory);
    }

    private void store(String key, Model model, double top1, double seconds, Path directory) {
        try {
            Files.createDirectories(root);
            Path staging = Files.createTempDirectory(root, key + ".tmp");
            model.setProperty("Epoch", "0");
            model.save(staging, PARAMS_PREFIX);
            Properties metadata = new Properties();
            metadata.setProperty("key", key);
            metadata.setProperty("test_top1", Double.toString(top1));
            metadata.setProperty("training_seconds", Double.toString(seconds));
            try (Writer writer = Files.newBufferedWriter(staging.resolve(METADATA))) {
                metadata.store(writer, "FAD teacher cache entry");
            }
            if (Files.exists(directory)) {
                deleteRecursively(directory);
            }
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the teacher in " + directory, e);
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
