package org.fadkd.vision.model;

import static java.util.Objects.requireNonNull;

import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.block.MacCounted;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a TorchScript module and returns its outputs in the order of the architecture contract,
 * {@code [logits, tap_0, …]}, looked up by their keys in the module's output dict (DJL returns a
 * dict's entries named but in no fixed order).
 *
 * <p>The module is loaded twice, on purpose: {@link #probe} loads it into a scratch manager, runs
 * one zero sample to check it against the task and learn its output shapes (which the host asks
 * for before it initialises anything), and closes it; {@link #initializeChildBlocks} then loads it
 * for real into the model's own manager, so its weights live and die with the model. Parameters are
 * loaded trainable ({@code trainParam}), so the same block serves as teacher and as student.
 */
final class TorchScriptBlock extends AbstractBlock implements MacCounted {
    private static final byte VERSION = 1;

    private final Path file;
    private final String logitsKey;
    private final List<String> tapKeys;
    /** Shapes of logits and taps for a batch of one, as the probe saw them. */
    private final List<Shape> probedShapes;
    private PtSymbolBlock module;

    private TorchScriptBlock(Path file, String logitsKey, List<String> tapKeys, List<Shape> probedShapes) {
        super(VERSION);
        this.file = file;
        this.logitsKey = logitsKey;
        this.tapKeys = List.copyOf(tapKeys);
        this.probedShapes = List.copyOf(probedShapes);
    }

    /**
     * Loads the module, runs one zero sample of {@code sampleShape} through it and checks that it
     * returns the logits with {@code classes} entries and every tap, then returns an unloaded block.
     *
     * @throws FadException naming the file and the mismatch: {@link ErrorCode#CONFIG_INVALID} for a
     *     file that is not TorchScript, {@link ErrorCode#INCOMPATIBLE_COMPONENTS} for a module that
     *     does not fit the task
     */
    static TorchScriptBlock probe(Path file, String logitsKey, List<String> tapKeys, Shape sampleShape, int classes) {
        requireNonNull(file, "file is null");
        try (NDManager scratch = NDManager.newBaseManager("PyTorch")) {
            PtSymbolBlock probe = load(file, scratch, false);
            Map<String, Shape> outputs;
            try {
                NDList result = probe.forward(new ParameterStore(scratch, false),
                        new NDList(scratch.zeros(new Shape(1).addAll(sampleShape))), false);
                outputs = named(file, result);
            } catch (EngineException e) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                        "The TorchScript module %s fails on a sample of the task's input shape %s: %s. Export it for"
                                + " inputs (N, %s).", file, sampleShape, firstLine(e.getMessage()), shapeText(sampleShape)), e);
            } finally {
                probe.close();
            }
            List<Shape> shapes = new ArrayList<>();
            Shape logits = require(file, outputs, logitsKey, "logits");
            if (logits.dimension() != 2 || logits.get(1) != classes) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                        "The TorchScript module %s returns logits '%s' of shape %s for one sample, but the task has %d"
                                + " classes: (1, %d) is needed. Export the model with a %d-class head.",
                        file, logitsKey, logits, classes, classes, classes));
            }
            shapes.add(logits);
            for (String tap : tapKeys) {
                shapes.add(require(file, outputs, tap, "tap"));
            }
            return new TorchScriptBlock(file, logitsKey, tapKeys, shapes);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (module == null) {
            throw new IllegalStateException("the TorchScript module of " + file + " is not loaded: initialise the block");
        }
        Map<String, NDArray> outputs = new LinkedHashMap<>();
        for (NDArray output : module.forward(parameterStore, inputs, training, params)) {
            outputs.put(output.getName(), output);
        }
        NDList ordered = new NDList(1 + tapKeys.size());
        ordered.add(outputs.get(logitsKey));
        tapKeys.forEach(key -> ordered.add(outputs.get(key)));
        return ordered;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return probedShapes.stream()
                .map(shape -> new Shape(batch).addAll(shape.slice(1)))
                .toArray(Shape[]::new);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (module == null) {
            attach(load(file, manager, true));
        }
    }

    @Override
    public boolean isInitialized() {
        return module != null && super.isInitialized();
    }

    /** Loads the module that {@link #saveParameters} wrote (the host's checkpoints and exports). */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        if (module == null) {
            attach(new PtSymbolBlock((PtNDManager) manager));
        }
        super.loadParameters(manager, is);
    }

    /** Its graph is opaque to the JVM. */
    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        return MacCounted.UNKNOWN;
    }

    private void attach(PtSymbolBlock loaded) {
        module = addChildBlock("module", loaded);
    }

    private static PtSymbolBlock load(Path file, NDManager manager, boolean trainable) {
        if (!(manager instanceof PtNDManager pytorch)) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Architecture 'torchscript' needs DJL's PyTorch engine, but the model lives on engine '%s'.",
                    manager.getEngine().getEngineName()));
        }
        try {
            return JniUtils.loadModule(pytorch, file, true, new String[0], new String[0], trainable);
        } catch (EngineException e) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "%s is not a TorchScript module PyTorch can load (%s). Save one with torch.jit.save(torch.jit.script(model),"
                            + " path).", file, firstLine(e.getMessage())), e);
        }
    }

    private static Map<String, Shape> named(Path file, NDList result) {
        Map<String, Shape> outputs = new LinkedHashMap<>();
        for (NDArray output : result) {
            if (output.getName() == null || output.getName().isEmpty()) {
                throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                        "The TorchScript module %s returns unnamed outputs (a tensor, tuple or list). Its forward must"
                                + " return a Dict[str, Tensor] with the logits and the feature maps by name.", file));
            }
            outputs.put(output.getName(), output.getShape());
        }
        return outputs;
    }

    private static Shape require(Path file, Map<String, Shape> outputs, String key, String what) {
        Shape shape = outputs.get(key);
        if (shape == null) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "The TorchScript module %s returns no '%s' (the %s named in its settings); it returns %s. Set"
                            + " 'logits' and 'taps' to keys it returns, or export it returning them.",
                    file, key, what, outputs.keySet()));
        }
        return shape;
    }

    private static String shapeText(Shape sampleShape) {
        StringBuilder text = new StringBuilder();
        for (long dimension : sampleShape.getShape()) {
            text.append(text.length() == 0 ? "" : ", ").append(dimension);
        }
        return text.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
