package org.fadkd.engine.weights;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.FadException;
import org.fadkd.engine.weights.onnx.GraphProto;
import org.fadkd.engine.weights.onnx.ModelProto;
import org.fadkd.engine.weights.onnx.NodeProto;
import org.fadkd.engine.weights.onnx.TensorProto;
import org.fadkd.engine.weights.onnx.TensorProto.DataType;

/**
 * Reads the initializers (the weights) of an ONNX model file: {@code ModelProto.graph} (field 7),
 * {@code GraphProto.initializer} (field 5), each a {@code TensorProto} with its name, dims, data
 * type and data, either in {@code raw_data} (little-endian bytes) or in the typed field of its
 * type ({@code float_data}, {@code double_data}, {@code int64_data}, or {@code int32_data}, which
 * holds float16 and bfloat16 as their bits). The messages are generated at build time from {@code
 * src/main/protobuf/onnx_weights.proto}, the subset of onnx.proto with its field numbers.
 *
 * <p>{@link #open} parses the whole model and checks every initializer: a supported data type
 * (FLOAT, FLOAT16, BFLOAT16 and DOUBLE read as float32; INT64, INT32, INT16, INT8, UINT8 and BOOL
 * as int64), non-negative dims, data in the file (external data is refused) and as many elements
 * as the dims need. The parsed model stays in memory while this object is reachable ({@link
 * #close()} only ends reads); an ONNX file is at most 2 GB (protobuf's limit), beyond which
 * exporters keep the weights in external files.
 *
 * <p><b>Linear weights get their layer's name back.</b> PyTorch's exporter folds the transpose of
 * a linear layer applied to a sequence ({@code x·Wᵀ + b} on (B, L, in)) into a new initializer,
 * stored transposed as (in, out) under a generated name such as {@code onnx::MatMul_787}, while the
 * bias keeps its module's name. Such a weight is listed and read here as {@code <module>.weight},
 * shape (out, in), its data transposed back, so that the file reads like the model's {@code
 * state_dict}: when a generated name ({@code onnx::} prefix) of rank 2 is the second input of
 * {@code MatMul} nodes each of whose outputs an {@code Add} node adds to an initializer {@code
 * <module>.bias} of {@code out} values, and no initializer is already called {@code
 * <module>.weight}. Every other initializer keeps its name (all-MiniLM-L6-v2's 36 linear weights
 * all resolve). The raw graph stays available through {@link #getGraph()}.
 *
 * <p>Thread-safe: the parsed model is immutable, and each read decodes into a new array.
 *
 * @since 0.2
 */
public final class OnnxInitializers implements WeightsFile {
    private static final String FORMAT = "ONNX";
    /** protobuf's hard limit on one message: a valid ONNX file is never larger. */
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE;
    /** How PyTorch's exporter names the initializers it creates (folded transposes, constants). */
    private static final String GENERATED_PREFIX = "onnx::";

    private final Path file;
    private final ModelProto model;
    private final Map<String, Initializer> initializers;
    private final List<WeightInfo> tensors;
    private volatile boolean closed;

    /**
     * One initializer as listed: its description (name and shape as read) and its data; {@code
     * transposed} when the data is stored as the transpose of that shape (a linear weight named
     * after its bias).
     */
    private record Initializer(WeightInfo info, TensorProto tensor, boolean transposed) {}

    private OnnxInitializers(Path file, ModelProto model, List<Initializer> ordered) {
        this.file = file;
        this.model = model;
        Map<String, Initializer> byName = new LinkedHashMap<>();
        List<WeightInfo> infos = new ArrayList<>();
        for (Initializer initializer : ordered) {
            byName.put(initializer.info().name(), initializer);
            infos.add(initializer.info());
        }
        this.initializers = Collections.unmodifiableMap(byName);
        this.tensors = List.copyOf(infos);
    }

    /**
     * Opens an ONNX model file, parses it and checks its initializers.
     *
     * @param file the {@code .onnx} file, never null
     * @return the initializers, never null; holds the parsed model until it is unreachable
     * @throws FadException with {@link org.fadkd.api.ErrorCode#DATA_MISSING} when the file cannot
     *     be read or is not a valid ONNX model with weights (not protobuf, truncated, no graph,
     *     external data, an unsupported data type, data that does not fit the dims); the message
     *     names the file, the initializer and the fault
     * @since 0.2
     */
    public static OnnxInitializers open(Path file) {
        requireNonNull(file, "file is null");
        ModelProto model;
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw malformed(file, "it is empty", exportFix());
            }
            if (size > MAX_FILE_BYTES) {
                throw malformed(file, String.format("it has %d bytes, more than protobuf's 2 GB limit", size),
                        "Check that it is an ONNX model; larger models keep their weights as external data, "
                                + "which FAD does not read.");
            }
            try (InputStream in = Files.newInputStream(file)) {
                CodedInputStream coded = CodedInputStream.newInstance(in);
                coded.setSizeLimit(Integer.MAX_VALUE);
                model = ModelProto.parseFrom(coded);
            }
        } catch (InvalidProtocolBufferException e) {
            throw malformed(file, "it does not parse as an ONNX protobuf (" + e.getMessage() + ")",
                    "The file may be truncated or not ONNX: export it again.", e);
        } catch (IOException e) {
            throw WeightsFailures.unreadable(file, e);
        }
        if (!model.hasGraph()) {
            throw malformed(file, "it has no graph (ModelProto field 7)",
                    "Check that it is an ONNX model and not another protobuf file; export it again.");
        }
        GraphProto graph = model.getGraph();
        List<Initializer> initializers = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (TensorProto tensor : graph.getInitializerList()) {
            Initializer initializer = initializer(file, tensor, initializers.size());
            if (seen.putIfAbsent(initializer.info().name(), initializers.size()) != null) {
                throw malformed(file, String.format("two initializers are named '%s'", initializer.info().name()),
                        exportFix());
            }
            initializers.add(initializer);
        }
        return new OnnxInitializers(file, model, withLinearWeightNames(graph, initializers));
    }

    /** The initializers with generated MatMul weight names replaced by their layers' (see the class comment). */
    private static List<Initializer> withLinearWeightNames(GraphProto graph, List<Initializer> initializers) {
        Map<String, Initializer> byName = new LinkedHashMap<>();
        initializers.forEach(initializer -> byName.put(initializer.info().name(), initializer));
        Map<String, List<NodeProto>> consumers = new LinkedHashMap<>();
        for (NodeProto node : graph.getNodeList()) {
            for (String input : node.getInputList()) {
                consumers.computeIfAbsent(input, name -> new ArrayList<>()).add(node);
            }
        }
        List<Initializer> named = new ArrayList<>();
        for (Initializer initializer : initializers) {
            WeightInfo info = initializer.info();
            String module = info.name().startsWith(GENERATED_PREFIX) && info.shape().dimension() == 2
                    && info.storedType().isFloatingPoint()
                    ? linearModule(info, consumers, byName) : null;
            if (module == null || byName.containsKey(module + ".weight")) {
                named.add(initializer);
                continue;
            }
            Shape transposed = new Shape(info.shape().get(1), info.shape().get(0));
            named.add(new Initializer(new WeightInfo(module + ".weight", info.storedType(), transposed, info.size()),
                    initializer.tensor(), true));
        }
        return named;
    }

    /**
     * The module whose bias every MatMul using this weight is added to, or null when there is none
     * or they disagree.
     */
    private static String linearModule(WeightInfo weight, Map<String, List<NodeProto>> consumers,
            Map<String, Initializer> initializers) {
        String module = null;
        for (NodeProto matMul : consumers.getOrDefault(weight.name(), List.of())) {
            if (!matMul.getOpType().equals("MatMul") || matMul.getInputCount() != 2
                    || !matMul.getInput(1).equals(weight.name()) || matMul.getOutputCount() != 1) {
                return null;
            }
            String bias = null;
            for (NodeProto add : consumers.getOrDefault(matMul.getOutput(0), List.of())) {
                if (!add.getOpType().equals("Add") || add.getInputCount() != 2) {
                    continue;
                }
                String other = add.getInput(0).equals(matMul.getOutput(0)) ? add.getInput(1) : add.getInput(0);
                Initializer candidate = initializers.get(other);
                if (other.endsWith(".bias") && candidate != null && candidate.info().shape().dimension() == 1
                        && candidate.info().size() == weight.shape().get(1)) {
                    bias = other;
                }
            }
            String found = bias == null ? null : bias.substring(0, bias.length() - ".bias".length());
            if (found == null || (module != null && !module.equals(found))) {
                return null;
            }
            module = found;
        }
        return module;
    }

    private static Initializer initializer(Path file, TensorProto tensor, int index) {
        String name = tensor.getName();
        if (name.isEmpty()) {
            throw malformed(file, String.format("initializer #%d has no name", index), exportFix());
        }
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL || tensor.getExternalDataCount() > 0) {
            String location = tensor.getExternalDataList().stream()
                    .filter(entry -> entry.getKey().equals("location"))
                    .map(entry -> " (in '" + entry.getValue() + "')")
                    .findFirst().orElse("");
            throw malformed(file, String.format("initializer '%s' keeps its data outside the model file%s, "
                    + "which FAD does not read", name, location),
                    "Export the model with its weights inside the .onnx file (models under 2 GB), "
                            + "e.g. onnx.save_model(model, path, save_as_external_data=False).");
        }
        StoredType type = storedType(file, name, tensor.getDataType());
        long[] dimensions = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long size = 1;
        for (long dimension : dimensions) {
            if (dimension < 0) {
                throw malformed(file, String.format("initializer '%s' has a negative dimension in %s", name,
                        Arrays.toString(dimensions)), exportFix());
            }
            try {
                size = Math.multiplyExact(size, dimension);
            } catch (ArithmeticException e) {
                throw malformed(file, String.format("initializer '%s' has dims %s, too many elements to count", name,
                        Arrays.toString(dimensions)), exportFix());
            }
        }
        long stored = storedElements(tensor, type);
        if (stored != size) {
            throw malformed(file, String.format("initializer '%s' of dims %s needs %d %s elements but holds %s",
                    name, Arrays.toString(dimensions), size, type, describeStored(tensor, type, stored)),
                    "The file may be truncated or damaged: export it again.");
        }
        return new Initializer(new WeightInfo(name, type, new Shape(dimensions), size), tensor, false);
    }

    /** The number of elements the tensor holds, or -1 when raw_data's length is not a whole number of them. */
    private static long storedElements(TensorProto tensor, StoredType type) {
        if (tensor.hasRawData()) {
            long bytes = tensor.getRawData().size();
            return bytes % type.byteSize() == 0 ? bytes / type.byteSize() : -1;
        }
        return switch (type) {
            case F32 -> tensor.getFloatDataCount();
            case F64 -> tensor.getDoubleDataCount();
            case I64 -> tensor.getInt64DataCount();
            default -> tensor.getInt32DataCount();
        };
    }

    private static String describeStored(TensorProto tensor, StoredType type, long stored) {
        if (tensor.hasRawData()) {
            return String.format("%d bytes of raw_data%s", tensor.getRawData().size(),
                    stored < 0 ? ", not a whole number of " + type.byteSize() + "-byte elements" : "");
        }
        return stored + " in " + typedField(type);
    }

    private static String typedField(StoredType type) {
        return switch (type) {
            case F32 -> "float_data";
            case F64 -> "double_data";
            case I64 -> "int64_data";
            default -> "int32_data";
        };
    }

    private static StoredType storedType(Path file, String name, int dataType) {
        DataType known = DataType.forNumber(dataType);
        StoredType type = known == null ? null : switch (known) {
            case FLOAT -> StoredType.F32;
            case FLOAT16 -> StoredType.F16;
            case BFLOAT16 -> StoredType.BF16;
            case DOUBLE -> StoredType.F64;
            case INT64 -> StoredType.I64;
            case INT32 -> StoredType.I32;
            case INT16 -> StoredType.I16;
            case INT8 -> StoredType.I8;
            case UINT8 -> StoredType.U8;
            case BOOL -> StoredType.BOOL;
            default -> null;
        };
        if (type == null) {
            throw malformed(file, String.format("initializer '%s' has data type %s, which FAD does not read "
                    + "(it reads FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT64, INT32, INT16, INT8, UINT8, BOOL)", name,
                    known == null || known == DataType.UNDEFINED ? "'" + dataType + "'" : known.name()),
                    "Convert the model's weights to float32 before exporting it.");
        }
        return type;
    }

    private static FadException malformed(Path file, String problem, String fix) {
        return WeightsFailures.malformed(file, FORMAT, problem, fix);
    }

    private static FadException malformed(Path file, String problem, String fix, Throwable cause) {
        return WeightsFailures.malformed(file, FORMAT, problem, fix, cause);
    }

    private static String exportFix() {
        return "Export the model again.";
    }

    @Override
    public Path getFile() {
        return file;
    }

    @Override
    public List<WeightInfo> getTensors() {
        return tensors;
    }

    @Override
    public WeightInfo getInfo(String name) {
        return initializer(name).info();
    }

    /**
     * Returns the model's graph: its nodes (inputs, outputs, operation type) and initializers as
     * parsed, for a caller that maps weights through the operations that use them.
     *
     * @return the immutable graph, never null
     * @since 0.2
     */
    public GraphProto getGraph() {
        checkOpen();
        return model.getGraph();
    }

    @Override
    public float[] readFloats(String name) {
        Initializer initializer = initializer(name);
        WeightInfo info = initializer.info();
        TensorProto tensor = initializer.tensor();
        float[] values = new float[WeightsFailures.arrayLength(file, info)];
        if (initializer.transposed()) {
            return transpose(storedFloats(initializer, values), info.shape());
        }
        return storedFloats(initializer, values);
    }

    /** Reverses the (in, out) storage of a linear weight listed as (out, in). */
    private static float[] transpose(float[] stored, Shape listed) {
        int rows = (int) listed.get(0);
        int columns = (int) listed.get(1);
        float[] values = new float[stored.length];
        for (int row = 0; row < rows; row++) {
            for (int column = 0; column < columns; column++) {
                values[row * columns + column] = stored[column * rows + row];
            }
        }
        return values;
    }

    /** The tensor's elements in stored order. */
    private float[] storedFloats(Initializer initializer, float[] values) {
        WeightInfo info = initializer.info();
        TensorProto tensor = initializer.tensor();
        String name = info.name();
        if (tensor.hasRawData()) {
            Decoding.toFloats(info.storedType(), raw(tensor), values, 0, values.length);
            return values;
        }
        switch (info.storedType()) {
            case F32 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = tensor.getFloatData(i);
                }
            }
            case F64 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) tensor.getDoubleData(i);
                }
            }
            case F16 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = Decoding.f16ToFloat((short) tensor.getInt32Data(i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = Decoding.bf16ToFloat((short) tensor.getInt32Data(i));
                }
            }
            default -> {
                long[] integers = readLongs(name);
                for (int i = 0; i < values.length; i++) {
                    values[i] = integers[i];
                }
            }
        }
        return values;
    }

    @Override
    public long[] readLongs(String name) {
        Initializer initializer = initializer(name);
        WeightInfo info = initializer.info();
        WeightsFailures.requireInteger(file, info);
        TensorProto tensor = initializer.tensor();
        long[] values = new long[WeightsFailures.arrayLength(file, info)];
        if (tensor.hasRawData()) {
            Decoding.toLongs(info.storedType(), raw(tensor), values, 0, values.length);
        } else if (info.storedType() == StoredType.I64) {
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getInt64Data(i);
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = narrow(info.storedType(), tensor.getInt32Data(i));
            }
        }
        return values;
    }

    /** int32_data holds the smaller integer types widened; keep only their own bits, as raw data would. */
    private static long narrow(StoredType type, int value) {
        return switch (type) {
            case I16 -> (short) value;
            case I8 -> (byte) value;
            case U8 -> value & 0xff;
            case BOOL -> value != 0 ? 1 : 0;
            default -> value;
        };
    }

    private static ByteBuffer raw(TensorProto tensor) {
        ByteString raw = tensor.getRawData();
        return raw.asReadOnlyByteBuffer();
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the initializers of " + file + " are closed");
        }
    }

    private Initializer initializer(String name) {
        requireNonNull(name, "name is null");
        checkOpen();
        Initializer initializer = initializers.get(name);
        if (initializer == null) {
            throw WeightsFailures.missing(file, name, initializers.keySet());
        }
        return initializer;
    }
}
