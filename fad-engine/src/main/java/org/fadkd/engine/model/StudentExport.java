package org.fadkd.engine.model;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.fadkd.api.Architecture;
import org.fadkd.api.ComponentKind;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;
import org.fadkd.api.LabeledDataset;
import org.fadkd.engine.measure.ParameterCount;
import org.fadkd.engine.model.StudentDescriptor.ReportedEvaluation;
import org.fadkd.engine.util.FadVersion;
import org.fadkd.engine.util.FileTrees;
import org.fadkd.engine.util.Json;

/**
 * The exported student (fad-spec §13): a directory that rebuilds the distilled network on its own,
 * holding the student's weights as DJL saves them ({@code student-NNNN.params}) and {@code
 * model.json}, a {@link StudentDescriptor} naming the architecture with its settings, the input
 * shape (and, for a network of several inputs, each input's shape), the class count, the task,
 * the data's fingerprint, the parameter count and the evaluation the job reported.
 *
 * <p>Only the student's block is saved: a method's extra modules (regressors, projection heads,
 * memory banks) are separate blocks and never part of it. The architecture is rebuilt by name
 * through the component registry, so loading needs the plugin that offers it, and nothing of the
 * method.
 *
 * <p>A directory is written in full beside its final place and then moved there, replacing an
 * earlier export, so a crash never leaves a half-written export under the final name.
 *
 * @since 0.1
 */
public final class StudentExport {
    /** The descriptor's file name inside an export directory. */
    public static final String DESCRIPTOR = "model.json";
    private static final String WEIGHTS_PREFIX = "student";
    private static final int FORMAT = 1;
    private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

    private StudentExport() {}

    /**
     * A student loaded from an export: its descriptor and the rebuilt model. Closing it closes the
     * model and every array of it.
     *
     * @param descriptor what {@code model.json} says
     * @param model the network with the exported weights, named {@code student}
     * @since 0.1
     */
    public record ExportedStudent(StudentDescriptor descriptor, TappedModel model) implements AutoCloseable {
        public ExportedStudent {
            requireNonNull(descriptor, "descriptor is null");
            requireNonNull(model, "model is null");
        }

        @Override
        public void close() {
            model.model().close();
        }
    }

    /**
     * The job's config sections an export records, each with {@code type}.
     *
     * @param architecture the student's architecture section merged over the architecture's
     *     defaults (the host binder's {@code withDefaults}), so that later default changes do not
     *     change what is rebuilt
     * @param task the task's section
     * @param data the dataset's section
     * @since 0.1
     */
    public record Sections(Config architecture, Config task, Config data) {
        public Sections {
            requireNonNull(architecture, "architecture is null");
            requireNonNull(task, "task is null");
            requireNonNull(data, "data is null");
        }
    }

    /**
     * Exports a trained student into {@code directory}, replacing what is there.
     *
     * @param directory the export directory, e.g. {@code <job>/student}; its parent must be writable
     * @param student the trained student, its block initialised; never null
     * @param sections the job's sections for the student's architecture, the task and the data;
     *     never null
     * @param dataset the dataset the student was trained on, for its sample and input shapes, class
     *     count and fingerprint; never null
     * @param evaluation the metrics the job reports for these weights; never null
     * @return the descriptor written
     * @throws UncheckedIOException when the directory cannot be written
     */
    public static StudentDescriptor write(
            Path directory, TappedModel student, Sections sections, LabeledDataset dataset,
            ReportedEvaluation evaluation) {
        requireNonNull(directory, "directory is null");
        requireNonNull(student, "student is null");
        requireNonNull(sections, "sections is null");
        requireNonNull(dataset, "dataset is null");
        Block block = student.model().getBlock();
        if (block == null || !block.isInitialized()) {
            throw new IllegalStateException("the student has no initialised block to export");
        }
        Path target = directory.toAbsolutePath().normalize();
        Path staging = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            FileTrees.deleteRecursively(staging);
            Files.createDirectories(staging);
            student.model().save(staging, WEIGHTS_PREFIX);
            StudentDescriptor descriptor = new StudentDescriptor(FadVersion.get(), sections.architecture().resolve(),
                    dataset.getSampleShape(), dataset.getInputShapes(), dataset.getClassCount(),
                    sections.task().resolve(), sections.data().resolve(), dataset.getFingerprint(),
                    ParameterCount.trainable(block), weightsFile(staging), student.tapNames(), evaluation);
            Files.writeString(staging.resolve(DESCRIPTOR), Json.MAPPER.writeValueAsString(toJson(descriptor)),
                    StandardCharsets.UTF_8);
            FileTrees.deleteRecursively(target);
            FileTrees.move(staging, target);
            return descriptor;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the student into " + target, e);
        }
    }

    /**
     * Reads the descriptor of an export.
     *
     * @param directory the export directory, never null
     * @return the descriptor
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when the directory holds no
     *     export, {@link ErrorCode#CONFIG_INVALID} when its {@code model.json} is malformed
     */
    public static StudentDescriptor readDescriptor(Path directory) {
        requireNonNull(directory, "directory is null");
        Path file = directory.resolve(DESCRIPTOR);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new FadException(ErrorCode.DATA_MISSING, String.format(
                    "'%s' is not an exported student: it has no %s. Pass the 'student' directory of a finished job.",
                    directory, DESCRIPTOR));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return fromJson(Json.MAPPER.readValue(text, DescriptorJson.class));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "%s is malformed (%s). Export the student again.", file, e.getMessage()), e);
        }
    }

    /**
     * Loads an export on the engine's default device, creating the architecture through the host's
     * component registry as the job did.
     *
     * @param directory the export directory, never null
     * @param context the context whose {@link FadContext#createComponent} binds the architecture
     *     section; never null
     * @return the loaded student; the caller closes it
     * @see #load(Path, Function, Device)
     */
    public static ExportedStudent load(Path directory, FadContext context) {
        requireNonNull(context, "context is null");
        return load(directory, section -> context.createComponent(ComponentKind.ARCHITECTURE, section),
                Engine.getInstance().defaultDevice());
    }

    /**
     * Loads an export: rebuilds the architecture from the descriptor's section, builds its block
     * for the descriptor's input shape and class count, and loads the weights into it, in a new
     * model with a manager of its own.
     *
     * @param directory the export directory, never null
     * @param architectures creates an architecture from its section (with {@code type}); never null
     * @param device where the model lives, never null
     * @return the loaded student; the caller closes it
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when there is no export, {@link
     *     ErrorCode#INCOMPATIBLE_COMPONENTS} when the rebuilt network does not match the weights
     *     (the architecture changed since the export)
     */
    public static ExportedStudent load(Path directory, Function<Config, Architecture> architectures, Device device) {
        requireNonNull(architectures, "architectures is null");
        requireNonNull(device, "device is null");
        StudentDescriptor descriptor = readDescriptor(directory);
        Architecture architecture = architectures.apply(descriptor.architecture());
        Model model = Model.newInstance(WEIGHTS_PREFIX, device);
        try {
            model.setBlock(architecture.newBlock(descriptor.inputShape(), descriptor.classCount()));
            model.load(directory, WEIGHTS_PREFIX);
            checkWeightsFit(directory, descriptor, architecture, model);
            return new ExportedStudent(descriptor, new TappedModel(WEIGHTS_PREFIX, model, architecture.getTapNames(),
                    architecture.getEmbeddingSource()));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof FadException fad) {
                throw fad;
            }
            if (e instanceof IOException) {
                // A truncated or damaged file (EOFException has no message), not a misfit.
                throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "The weights file %s cannot be read (%s): the export is damaged or incomplete. Copy it again,"
                                + " or export the student again by rerunning its job.",
                        directory.resolve(WEIGHTS_PREFIX + "-0000.params"), describe(e)), e);
            }
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "The weights in '%s' do not load into architecture '%s' built from model.json (%s).",
                    directory, descriptor.architectureType(), describe(e)), e);
        }
    }

    /** An exception in words: its message, or its kind when it has none (an {@code EOFException}). */
    private static String describe(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank()
                ? (e instanceof java.io.EOFException ? "the file ends early" : e.getClass().getSimpleName())
                : e.getMessage();
    }

    /**
     * DJL loads each parameter with the shape it was saved with, whatever the block would have
     * built; a network rebuilt from changed settings would silently run with the old shapes. So
     * the loaded shapes are compared with those of a freshly initialised block of the architecture,
     * and the parameter count with the descriptor's.
     */
    private static void checkWeightsFit(
            Path directory, StudentDescriptor descriptor, Architecture architecture, Model model) {
        Map<String, Shape> expected = new LinkedHashMap<>();
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            Block reference = architecture.newBlock(descriptor.inputShape(), descriptor.classCount());
            // Every input: a text network's reference is initialised from its ids' and mask's shapes.
            Shape[] batchOfOne = descriptor.inputShapes().stream()
                    .map(shape -> new Shape(1).addAll(shape)).toArray(Shape[]::new);
            reference.initialize(scratch, DataType.FLOAT32, batchOfOne);
            reference.getParameters().forEach(pair -> expected.put(pair.getKey(), pair.getValue().getArray().getShape()));
        }
        Map<String, Shape> loaded = new LinkedHashMap<>();
        model.getBlock().getParameters().forEach(pair -> loaded.put(pair.getKey(), pair.getValue().getArray().getShape()));
        long parameters = ParameterCount.trainable(model.getBlock());
        if (loaded.equals(expected) && parameters == descriptor.parameterCount()) {
            return;
        }
        String difference = String.format("%d trainable parameters were exported, the weights hold %d",
                descriptor.parameterCount(), parameters);
        for (String name : union(expected.keySet(), loaded.keySet())) {
            if (!Objects.equals(expected.get(name), loaded.get(name))) {
                difference = String.format("parameter '%s' should have shape %s, the weights give it %s",
                        name, expected.get(name), loaded.get(name));
                break;
            }
        }
        throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                "The weights exported in '%s' by FAD %s do not fit architecture '%s' as it is built from the settings"
                        + " in %s: %s. Load the export with the FAD version and plugins that wrote it.",
                directory, descriptor.fadVersion(), descriptor.architectureType(), DESCRIPTOR, difference));
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return all;
    }

    private static String weightsFile(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            List<String> names = entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> name.startsWith(WEIGHTS_PREFIX) && name.endsWith(".params"))
                    .toList();
            if (names.size() != 1) {
                throw new IllegalStateException("expected one weight file in " + directory + ", found " + names);
            }
            return names.get(0);
        }
    }

    /**
     * {@code model.json}: the layout Gson wrote before, key for key, so old exports read as they
     * did. {@code input-shapes} came later: it is null, and so left out ({@link Json#MAPPER}), for
     * a network of one input, so that such an export reads as before, also by an older FAD; it is
     * read as {@code [input-shape]} when absent.
     */
    @JsonPropertyOrder({"format", "fad-version", "architecture", "input-shape", "input-shapes", "classes", "task",
            "data", "data-fingerprint", "parameters", "weights", "taps", "evaluation"})
    record DescriptorJson(
            @JsonProperty(value = "format", required = true) int format,
            @JsonProperty(value = "fad-version", required = true) String fadVersion,
            @JsonProperty(value = "architecture", required = true) ObjectNode architecture,
            @JsonProperty(value = "input-shape", required = true) long[] inputShape,
            @JsonProperty(value = "input-shapes") List<long[]> inputShapes,
            @JsonProperty(value = "classes", required = true) int classes,
            @JsonProperty(value = "task", required = true) ObjectNode task,
            @JsonProperty(value = "data", required = true) ObjectNode data,
            @JsonProperty(value = "data-fingerprint", required = true) String dataFingerprint,
            @JsonProperty(value = "parameters", required = true) long parameters,
            @JsonProperty(value = "weights", required = true) String weights,
            @JsonProperty(value = "taps", required = true) List<String> taps,
            @JsonProperty(value = "evaluation", required = true) EvaluationJson evaluation) {}

    /** The {@link ReportedEvaluation} in {@code model.json}. */
    @JsonPropertyOrder({"split", "batch-size", "metrics"})
    record EvaluationJson(
            @JsonProperty(value = "split", required = true) String split,
            @JsonProperty(value = "batch-size", required = true) int batchSize,
            @JsonProperty(value = "metrics", required = true) Map<String, Double> metrics) {}

    static DescriptorJson toJson(StudentDescriptor descriptor) {
        ReportedEvaluation evaluation = descriptor.evaluation();
        return new DescriptorJson(FORMAT, descriptor.fadVersion(), toJson(descriptor.architecture()),
                descriptor.inputShape().getShape(), inputShapesOrNull(descriptor), descriptor.classCount(),
                toJson(descriptor.task()), toJson(descriptor.data()), descriptor.dataFingerprint(),
                descriptor.parameterCount(), descriptor.weightsFile(), descriptor.tapNames(),
                new EvaluationJson(evaluation.split(), evaluation.batchSize(), evaluation.metrics()));
    }

    static StudentDescriptor fromJson(DescriptorJson json) {
        if (json.format() != FORMAT) {
            throw new IllegalArgumentException("format " + json.format() + " is not " + FORMAT);
        }
        EvaluationJson evaluation = required(json.evaluation(), "evaluation");
        Shape inputShape = new Shape(required(json.inputShape(), "input-shape"));
        return new StudentDescriptor(
                required(json.fadVersion(), "fad-version"),
                section(json.architecture(), "architecture"),
                inputShape,
                json.inputShapes() == null
                        ? List.of(inputShape)
                        : json.inputShapes().stream()
                                .map(shape -> new Shape(required(shape, "input-shapes[]"))).toList(),
                json.classes(),
                section(json.task(), "task"),
                section(json.data(), "data"),
                required(json.dataFingerprint(), "data-fingerprint"),
                json.parameters(),
                required(json.weights(), "weights"),
                required(json.taps(), "taps"),
                new ReportedEvaluation(required(evaluation.split(), "split"), evaluation.batchSize(),
                        required(evaluation.metrics(), "metrics")));
    }

    /** The shape of each input, or null for a network whose one input is {@code input-shape}. */
    private static List<long[]> inputShapesOrNull(StudentDescriptor descriptor) {
        if (descriptor.inputShapes().equals(List.of(descriptor.inputShape()))) {
            return null;
        }
        return descriptor.inputShapes().stream().map(Shape::getShape).toList();
    }

    /** A config section as a JSON object, its numbers as Typesafe Config renders them. */
    private static ObjectNode toJson(Config section) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(section.root().render(CONCISE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Typesafe Config rendered JSON that Jackson cannot read", e);
        }
    }

    private static Config section(JsonNode json, String key) {
        return ConfigFactory.parseString(required(json, key).toString());
    }

    private static <T> T required(T value, String key) {
        if (value == null || value instanceof JsonNode node && node.isNull()) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return value;
    }
}
