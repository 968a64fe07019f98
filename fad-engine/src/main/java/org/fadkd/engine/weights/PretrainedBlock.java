package org.fadkd.engine.weights;

import static java.util.Objects.requireNonNull;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.fadkd.api.block.MacCounted;

/**
 * A native architecture's block that loads trained weights from a file when it is initialised.
 *
 * <p>It is transparent: its children and parameters are the native block's own (same names, same
 * order), and it saves and loads parameters exactly as the native block does. So checkpoints,
 * the best-weights copy and exports hold the native block's {@code .params}, an exported student
 * loads into the bare architecture, the stage-wise trainers find the native top-level stages, and
 * the MAC counter counts the native block. Only {@link #initialize} adds something: after the
 * native block has initialised its parameters, the file's tensors replace them. Parameters that
 * come from {@link #loadParameters} (a checkpoint being resumed, a cached copy) are not replaced.
 */
final class PretrainedBlock extends AbstractBlock implements MacCounted {
    private static final byte VERSION = 1;

    private final Block model;
    private final Consumer<Block> loadWeights;
    private boolean weightsLoaded;

    /**
     * @param model the native block, not initialised
     * @param loadWeights copies the file's tensors into the initialised native block
     */
    PretrainedBlock(Block model, Consumer<Block> loadWeights) {
        super(VERSION);
        this.model = requireNonNull(model, "model is null");
        this.loadWeights = requireNonNull(loadWeights, "loadWeights is null");
    }

    /** The native block. */
    Block getModel() {
        return model;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return model.forward(parameterStore, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return model.getOutputShapes(inputShapes);
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        beforeInitialize(inputShapes);
        model.initialize(manager, dataType, inputShapes);
        if (!weightsLoaded) {
            loadWeights.accept(model);
            weightsLoaded = true;
        }
    }

    @Override
    public boolean isInitialized() {
        return weightsLoaded && model.isInitialized();
    }

    @Override
    public BlockList getChildren() {
        return model.getChildren();
    }

    @Override
    public ParameterList getDirectParameters() {
        return model.getDirectParameters();
    }

    @Override
    public ParameterList getParameters() {
        return model.getParameters();
    }

    @Override
    public void setInitializer(Initializer initializer, Parameter.Type type) {
        model.setInitializer(initializer, type);
    }

    @Override
    public void setInitializer(Initializer initializer, String paramName) {
        model.setInitializer(initializer, paramName);
    }

    @Override
    public void setInitializer(Initializer initializer, Predicate<Parameter> predicate) {
        model.setInitializer(initializer, predicate);
    }

    @Override
    public PairList<String, Shape> describeInput() {
        return model.describeInput();
    }

    @Override
    public Shape[] getInputShapes() {
        return model.getInputShapes();
    }

    @Override
    public DataType[] getOutputDataTypes() {
        return model.getOutputDataTypes();
    }

    @Override
    public void clear() {
        model.clear();
    }

    @Override
    public void cast(DataType dataType) {
        model.cast(dataType);
    }

    /** Exactly the native block's bytes, so that the file loads into the bare architecture too. */
    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        model.saveParameters(os);
    }

    /** Loaded weights (a checkpoint, a cached copy) supersede the file's. */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        model.loadParameters(manager, is);
        weightsLoaded = true;
    }

    @Override
    public long countMultiplyAccumulates(Shape[] inputShapes, Children children) {
        return children.count(model, inputShapes);
    }

    @Override
    public String toString() {
        return model.toString();
    }
}
