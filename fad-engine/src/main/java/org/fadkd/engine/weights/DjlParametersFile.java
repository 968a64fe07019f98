package org.fadkd.engine.weights;

import static java.util.Objects.requireNonNull;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.FadException;

/**
 * A DJL {@code .params} file ({@code Model.save}: FAD's checkpoints and exported students) read
 * as named tensors. The format records no names, only the parameters in block order, so it is
 * loaded into a scratch block of the same architecture and read back under the scratch block's
 * parameter names; DJL loads each parameter with the shape it was saved with, so shapes are then
 * checked like any file's.
 */
final class DjlParametersFile implements WeightsFile {
    private static final String FORMAT = "DJL .params";

    private final Path file;
    private final Model scratch;
    private final Map<String, Parameter> parameters;
    private final List<WeightInfo> tensors;

    private DjlParametersFile(Path file, Model scratch) {
        this.file = file;
        this.scratch = scratch;
        Map<String, Parameter> byName = new LinkedHashMap<>();
        List<WeightInfo> infos = new ArrayList<>();
        for (Pair<String, Parameter> pair : scratch.getBlock().getParameters()) {
            NDArray array = pair.getValue().getArray();
            byName.put(pair.getKey(), pair.getValue());
            infos.add(new WeightInfo(pair.getKey(), StoredType.F32, array.getShape(), array.getShape().size()));
        }
        this.parameters = byName;
        this.tensors = List.copyOf(infos);
    }

    /**
     * Loads {@code file} into {@code block} in a scratch model of its own.
     *
     * @param block a new, uninitialised block of the architecture the file was saved from
     * @param architecture the architecture's description, for messages
     * @throws FadException with {@link org.fadkd.api.ErrorCode#DATA_MISSING} when the file is not
     *     DJL parameters of such a block
     */
    static DjlParametersFile open(Path file, Block block, String architecture) {
        requireNonNull(file, "file is null");
        Model scratch = Model.newInstance("weights");
        try (InputStream in = Files.newInputStream(file)) {
            scratch.setBlock(block);
            scratch.load(in, Map.of());
            return new DjlParametersFile(file, scratch);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            scratch.close();
            if (e instanceof FadException fad) {
                throw fad;
            }
            String reason = e.getMessage() == null || e.getMessage().isBlank()
                    ? e.getClass().getSimpleName() : e.getMessage();
            throw WeightsFailures.malformed(file, FORMAT, String.format(
                    "it does not load into %s (%s)", architecture, reason),
                    "A .params file loads only into the architecture and settings it was saved from (the model.json of"
                            + " an exported student names them); it may also be truncated.", e);
        }
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
    public float[] readFloats(String name) {
        Parameter parameter = parameters.get(requireNonNull(name, "name is null"));
        if (parameter == null) {
            throw WeightsFailures.missing(file, name, parameters.keySet());
        }
        NDArray array = parameter.getArray();
        return array.getDataType() == DataType.FLOAT32
                ? array.toFloatArray()
                : floats(array);
    }

    private static float[] floats(NDArray array) {
        try (NDArray converted = array.toType(DataType.FLOAT32, true)) {
            return converted.toFloatArray();
        }
    }

    @Override
    public long[] readLongs(String name) {
        throw new IllegalArgumentException("tensor '" + name + "' of '" + file + "' is a DJL parameter, not an integer");
    }

    @Override
    public void close() {
        scratch.close();
    }
}
