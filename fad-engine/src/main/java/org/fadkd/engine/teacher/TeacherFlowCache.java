package org.fadkd.engine.teacher;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import org.fadkd.engine.util.ConsoleBars;
import org.fadkd.api.DataSplit;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.LabeledBatch;
import org.fadkd.api.LabeledDataset;
import org.fadkd.api.Split;
import org.fadkd.api.TapLayout;
import org.fadkd.engine.data.BatchPlan;
import org.fadkd.flow.FlowProfiles;
import org.fadkd.flow.ProfiledTaps;
import org.fadkd.engine.model.TappedModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The teacher's mean flow profile {@code D̄^T} on disk (fad-spec §9), keyed by everything that
 * determines it: the teacher's weights, its taps and their shapes, the flow metric and its
 * settings, the data and its transform, the batch size and the number of batches. A stale entry is
 * never used: the key is stored in the entry and compared on load, and any difference, or a file
 * that cannot be read, is a miss that recomputes the profile and replaces the entry.
 *
 * <p>The profile is computed like training sees the data, minus the randomness: the training batch
 * size, the last incomplete batch dropped, batches in sequential order, the teacher in inference
 * mode without gradient, each batch in its own sub-manager so native memory stays flat.
 *
 * <p>Entries are written to a temporary directory and moved into place, as {@link TeacherCache}
 * does, so an interrupted run leaves no half-written entry behind.
 */
public final class TeacherFlowCache {
    private static final Logger LOG = LoggerFactory.getLogger(TeacherFlowCache.class);
    private static final String FILE = "profile.properties";
    private static final String LOGITS_FILE = "logits.bin";
    /** Leads a logits file; bumped when its layout changes, so old files miss. */
    private static final int LOGITS_MAGIC = 0x46414c31; // "FAL1"
    /** Bumped when the way a profile is computed or stored changes, so old entries miss. */
    private static final String FORMAT = "teacher-flow/1";

    private final Path root;

    /**
     * What to profile.
     *
     * @param teacher the trained teacher, initialised
     * @param metric the flow metric
     * @param metricDescription the metric's name and settings as a stable string (for the key)
     * @param dataset the dataset; its fingerprint and {@code split} identify the data in the key
     * @param split the split to average over, normally {@link Split#TRAIN}
     * @param transformDescription a canonical description of the input transform (for the key)
     * @param batchSize the training batch size {@code B}
     * @param batches average over the first this many batches; 0 for all of them
     * @param logits also obtain the teacher's logits for every sample of {@code split} (the
     *     teacher-logit cache); only valid when the input transform is deterministic
     */
    public record Request(
            TappedModel teacher,
            FlowMetric metric,
            String metricDescription,
            LabeledDataset dataset,
            Split split,
            String transformDescription,
            int batchSize,
            int batches,
            boolean logits) {
        /** A request for the mean profile only. */
        public Request(TappedModel teacher, FlowMetric metric, String metricDescription, LabeledDataset dataset,
                Split split, String transformDescription, int batchSize, int batches) {
            this(teacher, metric, metricDescription, dataset, split, transformDescription, batchSize, batches, false);
        }

        public Request {
            requireNonNull(teacher, "teacher is null");
            requireNonNull(metric, "metric is null");
            requireNonNull(metricDescription, "metricDescription is null");
            requireNonNull(dataset, "dataset is null");
            requireNonNull(split, "split is null");
            requireNonNull(transformDescription, "transformDescription is null");
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be positive: " + batchSize);
            }
            if (batches < 0) {
                throw new IllegalArgumentException("batches must be 0 (all) or positive: " + batches);
            }
        }
    }

    /**
     * What came out of {@link #obtain}.
     *
     * @param profile the mean profile and its statistics
     * @param fromCache true when a stored entry was used, false when the profile was computed
     * @param directory the entry's directory
     * @param seconds time spent computing the profile (0 when it came from the cache)
     * @param logits the teacher's logits per sample, or null when the request did not ask for them
     * @param logitsFromCache true when the logits were read from the entry, false when computed or
     *     not asked for
     * @param logitsSeconds time spent computing the logits (0 when read or not asked for)
     */
    public record Outcome(
            TeacherFlowProfile profile, boolean fromCache, Path directory, double seconds,
            TeacherLogits logits, boolean logitsFromCache, double logitsSeconds) {
        /** An outcome without logits. */
        public Outcome(TeacherFlowProfile profile, boolean fromCache, Path directory, double seconds) {
            this(profile, fromCache, directory, seconds, null, false, 0);
        }
    }

    /** Hears the progress of a computation, on the calling thread. */
    public interface Listener {
        /** A listener that ignores everything. */
        Listener NONE = new Listener() {};

        /** The computation starts and will run {@code batches} teacher forwards. */
        default void onStart(int batches) {}

        /** One batch is done. */
        default void onBatch() {}

        /** The computation ended, normally or not. */
        default void onEnd() {}
    }

    /** @param root the directory that holds one subdirectory per entry, e.g. {@code ~/.fad/cache/teacher-flow} */
    public TeacherFlowCache(Path root) {
        this.root = requireNonNull(root, "root is null");
    }

    /** Returns a listener that shows a progress bar on {@code out}. */
    public static Listener consoleProgress(String label, PrintStream out) {
        requireNonNull(label, "label is null");
        requireNonNull(out, "out is null");
        return new Listener() {
            private ProgressBar bar;

            @Override
            public void onStart(int batches) {
                bar = ConsoleBars.start(label, batches, out);
            }

            @Override
            public void onBatch() {
                if (bar != null) {
                    bar.step();
                }
            }

            @Override
            public void onEnd() {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
            }
        };
    }

    /**
     * Returns the stored profile of {@code request} or computes and stores it. One probe batch runs
     * through the teacher first, for the tap shapes that are part of the key.
     *
     * @throws FadException with {@link ErrorCode#CONFIG_INVALID} when the batch size exceeds the
     *     split, or {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the metric cannot profile the teacher
     */
    public Outcome obtain(Request request, Listener listener) {
        requireNonNull(request, "request is null");
        requireNonNull(listener, "listener is null");
        DataSplit split = request.dataset().getSplit(request.split());
        List<int[]> plan = BatchPlan.plan(split.size(), request.batchSize(), false, true, 0);
        if (plan.isEmpty()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "batch-size '%d' is larger than the %s split (%d samples); the teacher flow profile needs full batches.",
                    request.batchSize(), request.split().name().toLowerCase(java.util.Locale.ROOT), split.size()));
        }
        long[] classes = new long[1];
        TapLayout taps = probe(request, split, plan.get(0), classes);
        FlowProfiles.checkTaps(request.metric(), taps, "the teacher");
        String key = key(request, taps);
        Path directory = root.resolve(key);
        TeacherFlowProfile profile = load(directory, key);
        boolean fromCache = profile != null;
        double seconds = 0;
        if (profile == null) {
            long start = System.nanoTime();
            int count = request.batches() == 0 ? plan.size() : Math.min(request.batches(), plan.size());
            profile = compute(request, split, plan.subList(0, count), taps, key, listener);
            seconds = (System.nanoTime() - start) / 1e9;
            store(profile, request, directory);
        }
        if (!request.logits()) {
            return new Outcome(profile, fromCache, directory, seconds);
        }
        if (classes[0] < 1 || classes[0] > Integer.MAX_VALUE || (long) split.size() * classes[0] > Integer.MAX_VALUE) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "The teacher's output is not a (B, C) matrix of logits (width %d); the teacher-logit cache"
                            + " needs one. Set teacher-flow.logits = false.", classes[0]));
        }
        int c = (int) classes[0];
        TeacherLogits logits = loadLogits(directory, key, split.size(), c, taps);
        if (logits != null) {
            return new Outcome(profile, fromCache, directory, seconds, logits, true, 0);
        }
        long start = System.nanoTime();
        logits = computeLogits(request, split, c, taps, listener);
        double logitsSeconds = (System.nanoTime() - start) / 1e9;
        storeLogits(logits, key, directory);
        return new Outcome(profile, fromCache, directory, seconds, logits, false, logitsSeconds);
    }

    /**
     * Hashes a block's parameters: SHA-256 over each parameter's name, shape, data type and bytes,
     * in declaration order. The block must be initialised.
     */
    public static String weightsHash(Block block) {
        Hasher hasher = new Hasher();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            hasher.add(entry.getKey());
            hasher.add(array.getShape().toString());
            hasher.add(array.getDataType().toString());
            hasher.add(array.toByteArray());
        }
        return hasher.hex();
    }

    private static String key(Request request, TapLayout taps) {
        Hasher hasher = new Hasher();
        hasher.add(FORMAT);
        hasher.add(weightsHash(request.teacher().model().getBlock()));
        hasher.add(describe(taps));
        hasher.add(request.metricDescription());
        hasher.add(request.dataset().getFingerprint());
        hasher.add(request.split().name());
        hasher.add(request.transformDescription());
        hasher.add(Integer.toString(request.batchSize()));
        hasher.add(Integer.toString(request.batches()));
        return hasher.hex();
    }

    private static String describe(TapLayout taps) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < taps.size(); i++) {
            parts.add(taps.names().get(i) + taps.shapes().get(i));
        }
        return String.join(";", parts);
    }

    /** Runs one batch through the teacher; returns its tap layout and puts the logits' width in {@code classes[0]} (-1 if not 1-D per sample). */
    private static TapLayout probe(Request request, DataSplit split, int[] indices, long[] classes) {
        TappedModel teacher = request.teacher();
        try (NDManager manager = teacher.model().getNDManager().newSubManager()) {
            LabeledBatch batch = split.getBatch(manager, indices);
            NDList outputs = teacher.infer(batch.inputs());
            if (outputs.size() != teacher.tapNames().size() + 1) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                        "Model '%s' declares %d taps %s but its forward returned %d tap outputs.",
                        teacher.name(), teacher.tapNames().size(), teacher.tapNames(), outputs.size() - 1));
            }
            List<Shape> shapes = new ArrayList<>();
            for (int i = 1; i < outputs.size(); i++) {
                shapes.add(outputs.get(i).getShape().slice(1));
            }
            Shape head = outputs.head().getShape();
            classes[0] = head.dimension() == 2 ? head.get(1) : -1;
            return new TapLayout(teacher.tapNames(), shapes);
        }
    }

    private static TeacherFlowProfile compute(
            Request request, DataSplit split, List<int[]> batches, TapLayout taps, String key, Listener listener) {
        int points = taps.size() - 1;
        double[][] values = new double[batches.size()][];
        listener.onStart(batches.size());
        try (NDManager manager = request.teacher().model().getNDManager().newSubManager()) {
            for (int b = 0; b < batches.size(); b++) {
                // One sub-manager per batch: every activation of the forward is freed when it closes.
                try (NDManager batchManager = manager.newSubManager()) {
                    LabeledBatch batch = split.getBatch(batchManager, batches.get(b));
                    NDList outputs = request.teacher().infer(batch.inputs());
                    NDArray profile = FlowProfiles.profile(request.metric(), outputs.subNDList(1), ProfiledTaps.of("teacher", taps));
                    values[b] = profile.toType(DataType.FLOAT64, false).toDoubleArray();
                }
                listener.onBatch();
            }
        } finally {
            listener.onEnd();
        }
        double[] mean = new double[points];
        double[] std = new double[points];
        double[] min = new double[points];
        double[] max = new double[points];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (double[] row : values) {
            for (int k = 0; k < points; k++) {
                mean[k] += row[k];
                min[k] = Math.min(min[k], row[k]);
                max[k] = Math.max(max[k], row[k]);
            }
        }
        for (int k = 0; k < points; k++) {
            mean[k] /= values.length;
        }
        for (double[] row : values) {
            for (int k = 0; k < points; k++) {
                std[k] += (row[k] - mean[k]) * (row[k] - mean[k]);
            }
        }
        for (int k = 0; k < points; k++) {
            std[k] = Math.sqrt(std[k] / values.length);
        }
        return new TeacherFlowProfile(key, mean, std, min, max, values.length, request.batchSize(), taps);
    }

    /**
     * The teacher's logits for every sample of the split, in inference mode, in sequential batches
     * of the training batch size (the last one partial), each batch in its own sub-manager.
     */
    private static TeacherLogits computeLogits(
            Request request, DataSplit split, int classes, TapLayout taps, Listener listener) {
        List<int[]> batches = BatchPlan.plan(split.size(), request.batchSize(), false, false, 0);
        float[] values = new float[split.size() * classes];
        listener.onStart(batches.size());
        try (NDManager manager = request.teacher().model().getNDManager().newSubManager()) {
            for (int[] indices : batches) {
                try (NDManager batchManager = manager.newSubManager()) {
                    LabeledBatch batch = split.getBatch(batchManager, indices);
                    NDArray output = request.teacher().infer(batch.inputs()).head();
                    float[] rows = output.toType(DataType.FLOAT32, false).toFloatArray();
                    if (rows.length != indices.length * classes) {
                        throw new IllegalStateException("the teacher gave logits of shape " + output.getShape()
                                + " for a batch of " + indices.length + "; the probe gave " + classes + " classes");
                    }
                    for (int i = 0; i < indices.length; i++) {
                        System.arraycopy(rows, i * classes, values, indices[i] * classes, classes);
                    }
                }
                listener.onBatch();
            }
        } finally {
            listener.onEnd();
        }
        return new TeacherLogits(values, split.size(), classes, taps);
    }

    /** Reads the logits file of an entry if it holds {@code samples × classes} logits stored for {@code key}, else null. */
    private static TeacherLogits loadLogits(Path directory, String key, int samples, int classes, TapLayout taps) {
        Path file = directory.resolve(LOGITS_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != LOGITS_MAGIC || !key.equals(in.readUTF())) {
                LOG.warn("Teacher logits in {} were stored for another key; computing them again.", directory);
                return null;
            }
            int storedSamples = in.readInt();
            int storedClasses = in.readInt();
            if (storedSamples != samples || storedClasses != classes) {
                LOG.warn("Teacher logits in {} have shape ({}, {}), expected ({}, {}); computing them again.",
                        directory, storedSamples, storedClasses, samples, classes);
                return null;
            }
            byte[] bytes = new byte[Math.multiplyExact(Math.multiplyExact(samples, classes), Float.BYTES)];
            in.readFully(bytes);
            if (in.read() != -1) {
                throw new IOException("trailing bytes after the logits");
            }
            float[] values = new float[samples * classes];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return new TeacherLogits(values, samples, classes, taps);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Teacher logits in {} could not be read ({}); computing them again.", directory, e.toString());
            return null;
        }
    }

    /** Writes the logits next to the profile: to a temporary file in the entry, then moved into place. */
    private static void storeLogits(TeacherLogits logits, String key, Path directory) {
        try {
            Files.createDirectories(directory);
            Path staging = Files.createTempFile(directory, LOGITS_FILE, ".tmp");
            try (DataOutputStream out = new DataOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(staging), 1 << 16))) {
                out.writeInt(LOGITS_MAGIC);
                out.writeUTF(key);
                out.writeInt(logits.samples());
                out.writeInt(logits.classes());
                ByteBuffer buffer = ByteBuffer.allocate(logits.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buffer.asFloatBuffer().put(logits.values());
                out.write(buffer.array());
            }
            Files.move(staging, directory.resolve(LOGITS_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the teacher logits in " + directory, e);
        }
    }

    /** Returns the entry in {@code directory} if it is readable and was stored for {@code key}, else null. */
    private static TeacherFlowProfile load(Path directory, String key) {
        Path file = directory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Properties stored = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                stored.load(reader);
            }
            if (!key.equals(stored.getProperty("key"))) {
                LOG.warn("Teacher flow cache entry {} was stored for another key; computing it again.", directory);
                return null;
            }
            int tapCount = Integer.parseInt(required(stored, "taps"));
            List<String> names = new ArrayList<>();
            List<Shape> shapes = new ArrayList<>();
            for (int i = 0; i < tapCount; i++) {
                names.add(required(stored, "tap." + i + ".name"));
                String shape = required(stored, "tap." + i + ".shape");
                shapes.add(new Shape(shape.isEmpty()
                        ? new long[0]
                        : Stream.of(shape.split(",")).mapToLong(Long::parseLong).toArray()));
            }
            return new TeacherFlowProfile(key,
                    doubles(stored, "mean"), doubles(stored, "std"), doubles(stored, "min"), doubles(stored, "max"),
                    Integer.parseInt(required(stored, "batch-count")),
                    Integer.parseInt(required(stored, "batch-size")),
                    new TapLayout(names, shapes));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Teacher flow cache entry {} could not be read ({}); computing it again.", directory, e.toString());
            return null;
        }
    }

    private void store(TeacherFlowProfile profile, Request request, Path directory) {
        Properties entry = new Properties();
        entry.setProperty("key", profile.key());
        entry.setProperty("mean", join(profile.mean()));
        entry.setProperty("std", join(profile.std()));
        entry.setProperty("min", join(profile.min()));
        entry.setProperty("max", join(profile.max()));
        entry.setProperty("batch-count", Integer.toString(profile.batchCount()));
        entry.setProperty("batch-size", Integer.toString(profile.batchSize()));
        entry.setProperty("taps", Integer.toString(profile.taps().size()));
        for (int i = 0; i < profile.taps().size(); i++) {
            entry.setProperty("tap." + i + ".name", profile.taps().names().get(i));
            entry.setProperty("tap." + i + ".shape", Arrays.stream(profile.taps().shapes().get(i).getShape())
                    .mapToObj(Long::toString).collect(Collectors.joining(",")));
        }
        // For people reading the entry; the key already covers them.
        entry.setProperty("teacher", request.teacher().name());
        entry.setProperty("metric", request.metricDescription());
        entry.setProperty("dataset", request.dataset().getFingerprint() + " " + request.split().name());
        entry.setProperty("batches-requested", Integer.toString(request.batches()));
        try {
            Files.createDirectories(root);
            Path staging = Files.createTempDirectory(root, directory.getFileName() + ".tmp");
            try (Writer writer = Files.newBufferedWriter(staging.resolve(FILE), StandardCharsets.UTF_8)) {
                entry.store(writer, "FAD teacher flow cache entry (fad-spec §9)");
            }
            if (Files.exists(directory)) {
                deleteRecursively(directory);
            }
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the teacher flow profile in " + directory, e);
        }
    }

    private static String required(Properties properties, String name) {
        String value = properties.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("'" + name + "' is missing");
        }
        return value;
    }

    private static double[] doubles(Properties properties, String name) {
        String value = required(properties, name);
        return value.isEmpty() ? new double[0] : Stream.of(value.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static String join(double[] values) {
        // Double.toString round-trips exactly.
        return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** SHA-256 over length-prefixed parts, so that no two part lists hash alike by concatenation. */
    private static final class Hasher {
        private final MessageDigest digest;

        Hasher() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        void add(String part) {
            add(part.getBytes(StandardCharsets.UTF_8));
        }

        void add(byte[] bytes) {
            digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) ':');
            digest.update(bytes);
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
