package org.fadkd.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fadkd.engine.model.TappedModel;
import org.fadkd.engine.util.FileTrees;

/**
 * The student's weights at its best validation epoch, kept so that the model a job evaluates on
 * test and exports is the one chosen on validation (fad-spec §12.1), not whatever the last
 * epoch left. A copy of every parameter (batch-norm statistics included) lives in a manager of its
 * own, replaced at each new best; {@link #restore} copies it back in place, so the parameters keep
 * their arrays and gradients. With checkpoints the copy is saved beside them, so a resumed run
 * still ends on the best epoch it saw before the interruption.
 */
final class BestWeights implements AutoCloseable {
    static final String FILE_NAME = "best-student.ndlist";

    private final NDManager parent;
    private NDManager manager;
    private NDList copy;
    private int epoch;

    BestWeights(NDManager parent) {
        this.parent = parent;
    }

    /** Copies the student's parameters as they are after {@code epoch}. */
    void capture(TappedModel student, int epoch) {
        NDManager next = parent.newSubManager();
        NDList arrays = new NDList();
        for (Parameter parameter : parameters(student)) {
            NDArray duplicate = parameter.getArray().duplicate();
            duplicate.attach(next);
            arrays.add(duplicate);
        }
        close();
        manager = next;
        copy = arrays;
        this.epoch = epoch;
    }

    /** The epoch of the copy; 0 when there is none. */
    int epoch() {
        return copy == null ? 0 : epoch;
    }

    /** Copies the kept weights back into the student's parameters. */
    void restore(TappedModel student) {
        List<Parameter> parameters = parameters(student);
        if (copy == null || copy.size() != parameters.size()) {
            throw new IllegalStateException("no best weights of this student to restore");
        }
        for (int i = 0; i < parameters.size(); i++) {
            copy.get(i).copyTo(parameters.get(i).getArray());
        }
    }

    /** Saves the copy into {@code directory} (a checkpoint), atomically. */
    void save(Path directory) {
        if (copy == null) {
            return;
        }
        Path file = directory.resolve(FILE_NAME);
        Path temporary = directory.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(directory);
            Files.write(temporary, copy.encode());
            FileTrees.move(temporary, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the best weights in " + directory, e);
        }
    }

    /** Loads a copy saved with a checkpoint, the weights of {@code epoch}; nothing when there is none. */
    void load(Path directory, int epoch) {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            NDManager next = parent.newSubManager();
            NDList arrays = NDList.decode(next, Files.readAllBytes(file));
            close();
            manager = next;
            copy = arrays;
            this.epoch = epoch;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the best weights in " + directory, e);
        }
    }

    private static List<Parameter> parameters(TappedModel student) {
        return student.model().getBlock().getParameters().values();
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
            copy = null;
        }
    }
}
