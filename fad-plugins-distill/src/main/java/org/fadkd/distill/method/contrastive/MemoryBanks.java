package org.fadkd.distill.method.contrastive;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The memory banks {@code M^S} and {@code M^T} of crd ({@code n × dim} each) as parameters that do
 * not require a gradient. They are a block only so that the engine's checkpoints, which save every
 * parameter of a method's blocks, save and restore them; the optimizer never sees them (they are
 * not fetched through the parameter store) and the block is never run.
 *
 * <p>Rows are read and written through {@link #student()} and {@link #teacher()}, which return the
 * current arrays: restoring a checkpoint replaces them.
 */
final class MemoryBanks extends AbstractBlock {
    /** Rows initialised per chunk, so that no Java array of the whole bank is needed. */
    private static final int CHUNK_ROWS = 8192;

    private final Parameter student;
    private final Parameter teacher;

    private MemoryBanks(NDArray studentBank, NDArray teacherBank) {
        student = addParameter(bank("student_memory", studentBank));
        teacher = addParameter(bank("teacher_memory", teacherBank));
    }

    /**
     * Banks of {@code rows × dim} entries drawn uniformly from {@code [−a, a]}, {@code a =
     * 1/sqrt(dim/3)} (RepDistiller's initialisation), from generators derived from {@code seed}.
     */
    static MemoryBanks seeded(NDManager manager, long rows, int dim, long seed, DataType type) {
        double bound = 1 / Math.sqrt(dim / 3.0);
        SplittableRandom random = new SplittableRandom(seed);
        NDArray studentBank = uniform(manager, rows, dim, bound, random.split(), type);
        NDArray teacherBank = uniform(manager, rows, dim, bound, random.split(), type);
        return of(manager, studentBank, teacherBank);
    }

    /** Banks holding the given arrays (same shape and type), which they take over. */
    static MemoryBanks of(NDManager manager, NDArray studentBank, NDArray teacherBank) {
        if (!studentBank.getShape().equals(teacherBank.getShape()) || studentBank.getShape().dimension() != 2) {
            throw new IllegalArgumentException("banks of shapes " + studentBank.getShape() + " and "
                    + teacherBank.getShape() + "; both must be (n, dim)");
        }
        MemoryBanks banks = new MemoryBanks(studentBank, teacherBank);
        // No input: this only marks the block initialised, as the engine requires of a method's blocks.
        banks.initialize(manager, studentBank.getDataType());
        return banks;
    }

    /** Returns {@code M^S}, the student-side memory (rows are teacher anchors' negatives). */
    NDArray student() {
        return student.getArray();
    }

    /** Returns {@code M^T}, the teacher-side memory. */
    NDArray teacher() {
        return teacher.getArray();
    }

    /** Returns {@code n}, the number of rows. */
    long rows() {
        return student().getShape().get(0);
    }

    /** Returns the width of a row. */
    long dim() {
        return student().getShape().get(1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("memory banks are read by index, not run");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[0];
    }

    /**
     * Loads saved banks and closes the arrays they replace: DJL's {@link Parameter#load} would
     * leave them on the run's manager until the run ends.
     */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        NDArray oldStudent = student();
        NDArray oldTeacher = teacher();
        super.loadParameters(manager, is);
        if (student() != oldStudent) {
            oldStudent.close();
        }
        if (teacher() != oldTeacher) {
            oldTeacher.close();
        }
    }

    private static Parameter bank(String name, NDArray array) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(array.getShape())
                .optArray(array)
                .optRequiresGrad(false)
                .build();
    }

    private static NDArray uniform(
            NDManager manager, long rows, int dim, double bound, SplittableRandom random, DataType type) {
        NDArray bank = manager.zeros(new Shape(rows, dim), type);
        for (long start = 0; start < rows; start += CHUNK_ROWS) {
            int count = (int) Math.min(CHUNK_ROWS, rows - start);
            float[] values = new float[count * dim];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble(-bound, bound);
            }
            try (NDManager scratch = manager.newSubManager()) {
                NDArray chunk = scratch.create(values, new Shape(count, dim)).toType(type, false);
                bank.set(new NDIndex("{}:{}", start, start + count), chunk);
            }
        }
        return bank;
    }
}
