package org.fadkd.engine.train;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A distillation method's extra modules (fad-spec §11: regressors, projection heads, generation
 * blocks, variance parameters, memory banks) while a run trains them: the method runs them through
 * {@link #parameterStore()}, and {@link #step()} updates every parameter fetched through it with an
 * optimizer of the student's settings. They are saved in checkpoints ({@link #save}, {@link #load})
 * and never exported with the student.
 *
 * <p>Why a store of its own rather than the student's trainer: DJL's {@code Trainer} updates only
 * the parameters its own {@code ParameterStore} handed out during the student's forward, and does
 * not expose that store; a second store with a {@link LocalParameterServer} is DJL's public way to
 * train further blocks with an optimizer.
 */
final class MethodModules implements AutoCloseable {
    private static final String FILE = "method-modules.params";

    private final List<Block> blocks;
    private final NDManager manager;
    private final ParameterStore store;
    private final LocalParameterServer server;

    /**
     * @param blocks the method's initialised blocks, in the method's order
     * @param manager the run's manager
     * @param optimizer a fresh optimizer with the student's settings (optimizers keep per-parameter state)
     * @param device the student's device
     */
    MethodModules(List<Block> blocks, NDManager manager, Optimizer optimizer, Device device) {
        this.blocks = List.copyOf(requireNonNull(blocks, "blocks is null"));
        this.manager = requireNonNull(manager, "manager is null");
        this.store = new ParameterStore(manager, false);
        this.server = new LocalParameterServer(optimizer);
        store.setParameterServer(server, new Device[] {device});
        for (Block block : this.blocks) {
            if (!block.isInitialized()) {
                throw new IllegalStateException("the method returned an extra block that prepare() did not initialise");
            }
        }
        attachGradients();
    }

    /** Loaded parameters come back as fresh arrays without a gradient buffer; training needs one. */
    private void attachGradients() {
        for (Block block : blocks) {
            for (Parameter parameter : block.getParameters().values()) {
                if (parameter.requiresGradient() && !parameter.getArray().hasGradient()) {
                    parameter.getArray().setRequiresGradient(true);
                }
            }
        }
    }

    /** The store the method runs its modules through; see {@link org.fadkd.api.DistillationBatch}. */
    ParameterStore parameterStore() {
        return store;
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    /**
     * Applies one optimizer update to every trainable module parameter used in this step, then
     * zeroes their gradients so the next step does not add onto them.
     */
    void step() {
        if (blocks.isEmpty()) {
            return;
        }
        store.updateAllParameters();
        for (Block block : blocks) {
            for (Parameter parameter : block.getParameters().values()) {
                NDArray array = parameter.getArray();
                if (parameter.requiresGradient() && array.hasGradient()) {
                    NDArray gradient = array.getGradient();
                    gradient.subi(gradient);
                    gradient.close();
                }
            }
        }
    }

    /** Counts the modules' parameters that train (memory banks and other buffers excluded). */
    long trainableParameterCount() {
        return blocks.stream()
                .flatMap(block -> block.getParameters().values().stream())
                .filter(Parameter::requiresGradient)
                .mapToLong(parameter -> parameter.getArray().getShape().size())
                .sum();
    }

    /** Writes every module's parameters (buffers included) into {@code directory}; nothing when there are none. */
    void save(Path directory) throws IOException {
        if (blocks.isEmpty()) {
            return;
        }
        try (OutputStream file = Files.newOutputStream(directory.resolve(FILE));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
            out.writeInt(blocks.size());
            for (Block block : blocks) {
                block.saveParameters(out);
            }
        }
    }

    /**
     * Loads what {@link #save} wrote in {@code directory} into the modules, which must have been
     * built by the same method with the same shapes.
     *
     * @throws IOException when the file is missing or does not fit the modules
     */
    void load(Path directory) throws IOException {
        if (blocks.isEmpty()) {
            return;
        }
        Path path = directory.resolve(FILE);
        try (InputStream file = Files.newInputStream(path);
                DataInputStream in = new DataInputStream(new BufferedInputStream(file))) {
            int count = in.readInt();
            if (count != blocks.size()) {
                throw new IOException(path + " holds " + count + " method modules, the method built " + blocks.size());
            }
            for (Block block : blocks) {
                // DJL's Parameter.load swaps in new arrays without closing the ones it replaces.
                List<NDArray> replaced = block.getParameters().values().stream().map(Parameter::getArray).toList();
                block.loadParameters(manager, in);
                for (NDArray array : replaced) {
                    if (block.getParameters().values().stream().noneMatch(p -> p.getArray() == array)) {
                        array.close();
                    }
                }
            }
            attachGradients();
        } catch (MalformedModelException e) {
            throw new IOException(path + " does not fit the method's modules: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
