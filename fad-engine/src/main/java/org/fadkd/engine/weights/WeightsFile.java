package org.fadkd.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;

/**
 * An open weights file: its tensors' names, stored types and shapes, and their data as float32
 * (floating-point tensors) or 64-bit integers (integer tensors), one tensor at a time, so that a
 * file larger than memory can be mapped tensor by tensor.
 *
 * <p>No array of a bfloat16 or float16 type is ever created: such tensors are widened to float32
 * in Java before a DJL array exists (DJL 0.35.1's PyTorch engine aborts the JVM on bfloat16).
 *
 * <p>Implementations are thread-safe: tensors may be read concurrently. {@link #close()} must not
 * race with reads.
 *
 * @since 0.2
 */
public interface WeightsFile extends AutoCloseable {
    /**
     * Returns the file this was opened from.
     *
     * @return the path, never null
     * @since 0.2
     */
    Path getFile();

    /**
     * Returns every tensor of the file, in the file's order (data order for safetensors,
     * initializer order for ONNX).
     *
     * @return an unmodifiable list, never null
     * @since 0.2
     */
    List<WeightInfo> getTensors();

    /**
     * Returns one tensor's description.
     *
     * @param name the tensor's name, never null
     * @return the description, never null
     * @throws org.fadkd.api.FadException with {@link org.fadkd.api.ErrorCode#DATA_MISSING} when
     *     the file has no tensor of that name; the message suggests the nearest name
     * @since 0.2
     */
    default WeightInfo getInfo(String name) {
        return WeightsFailures.find(this, name);
    }

    /**
     * Reads a floating-point tensor as float32, widening float16 and bfloat16 exactly and rounding
     * float64 to nearest. Integer tensors are read too, converted to float (exact up to 2^24).
     *
     * @param name the tensor's name, never null
     * @return a new array of {@link WeightInfo#size()} elements in row-major order, never null
     * @throws org.fadkd.api.FadException when the tensor is missing, has more elements than a Java
     *     array holds, or cannot be read
     * @since 0.2
     */
    float[] readFloats(String name);

    /**
     * Reads an integer tensor as 64-bit integers.
     *
     * @param name the tensor's name, never null
     * @return a new array of {@link WeightInfo#size()} elements in row-major order, never null
     * @throws IllegalArgumentException when the tensor is a floating-point one: narrowing it to
     *     integers would lose what it holds, so that is the caller's mistake
     * @throws org.fadkd.api.FadException when the tensor is missing or cannot be read
     * @since 0.2
     */
    long[] readLongs(String name);

    /**
     * Reads a tensor into a new DJL array: float32 for floating-point tensors, int64 for integer
     * ones, with the tensor's shape.
     *
     * @param name the tensor's name, never null
     * @param manager the manager the array is attached to, never null; the caller closes it (or
     *     the array)
     * @return a new array attached to {@code manager}, never null
     * @throws org.fadkd.api.FadException as {@link #readFloats} and {@link #readLongs}
     * @since 0.2
     */
    default NDArray read(String name, NDManager manager) {
        WeightInfo info = getInfo(name);
        if (info.storedType().isFloatingPoint()) {
            return manager.create(readFloats(name), info.shape());
        }
        return manager.create(readLongs(name), info.shape());
    }

    /**
     * Releases the file. Reads after closing fail with {@link IllegalStateException}.
     *
     * @since 0.2
     */
    @Override
    void close();
}
