package org.fadkd.distill.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.flow.ProfiledTaps;
import org.fadkd.flow.Scalars;

/** Shared pieces of the flow metrics: flattening, norms, and the degenerate-tap rule. */
final class TapMatrices {
    /** A Gram matrix with a norm at or below this carries no direction (fad-spec §2). */
    static final double DEGENERATE_NORM = 1e-12;

    /**
     * Added under square roots whose argument can be exactly 0 (two identical rows, an all-zero
     * ReLU output): the value moves by at most 1e-12, and the gradient is 0 instead of NaN.
     */
    private static final double SQRT_GUARD = 1e-24;

    private TapMatrices() {}

    /** A tap's Gram matrix with its Frobenius norm, and whether it is degenerate (fad-spec §2). */
    record NormedGram(NDArray gram, NDArray norm, boolean degenerate) {
        static NormedGram of(NDArray gram) {
            NDArray norm = TapMatrices.norm(gram);
            return new NormedGram(gram, norm, value(norm) <= DEGENERATE_NORM);
        }
    }

    /**
     * The profile of a Gram-matrix metric: every tap's Gram matrix and norm once (an inner tap
     * belongs to two pairs, and the Gram products dominate the metric's cost, forward and
     * backward), then {@code divergence} on each adjacent pair, or the degenerate-tap rule where
     * either Gram matrix has no direction; each degenerate tap is reported to {@code degenerate}.
     *
     * @param taps at least two taps with the same batch axis
     * @param source whose taps these are, for the warning
     * @param gramOf a tap's Gram matrix
     * @param divergence {@code D} from two non-degenerate Gram matrices
     */
    static NDList profile(List<NDArray> taps, ProfiledTaps source, Function<NDArray, NDArray> gramOf,
            BiFunction<NormedGram, NormedGram, NDArray> divergence, DegenerateTaps degenerate) {
        NDList profile = new NDList(taps.size() - 1);
        NormedGram previous = normedGram(taps, 0, source, gramOf, degenerate);
        for (int k = 1; k < taps.size(); k++) {
            NormedGram next = normedGram(taps, k, source, gramOf, degenerate);
            profile.add(previous.degenerate() || next.degenerate()
                    ? degenerate(taps.get(k - 1))
                    : divergence.apply(previous, next));
            previous = next;
        }
        return profile;
    }

    private static NormedGram normedGram(List<NDArray> taps, int k, ProfiledTaps source,
            Function<NDArray, NDArray> gramOf, DegenerateTaps degenerate) {
        NormedGram gram = NormedGram.of(gramOf.apply(taps.get(k)));
        if (gram.degenerate()) {
            degenerate.found(source, k, taps.get(k));
        }
        return gram;
    }

    /** Checks a profile's taps before any work: the same batch axis everywhere, and at least two samples. */
    static void requireProfileTaps(String metric, List<NDArray> taps) {
        if (taps.size() < 2) {
            throw new IllegalArgumentException("a flow profile needs at least 2 taps, got " + taps.size());
        }
        for (int k = 1; k < taps.size(); k++) {
            batchSize(taps.get(k - 1), taps.get(k));
        }
        requireTwoSamples(metric, taps.get(0).getShape().get(0));
    }

    /** Returns the batch size, checking that both taps have the same one. */
    static long batchSize(NDArray previous, NDArray next) {
        Shape previousShape = previous.getShape();
        Shape nextShape = next.getShape();
        if (previousShape.dimension() < 1 || nextShape.dimension() < 1
                || previousShape.get(0) != nextShape.get(0)) {
            throw new IllegalArgumentException(
                    "adjacent taps need the same batch axis, got " + previousShape + " and " + nextShape);
        }
        return previousShape.get(0);
    }

    /** Fails when a Gram-matrix metric gets fewer than two samples. */
    static void requireTwoSamples(String metric, long batchSize) {
        if (batchSize < 2) {
            throw new FadException(
                    ErrorCode.CONFIG_INVALID,
                    "Flow metric '" + metric + "' needs a batch of at least 2 samples, got '" + batchSize
                            + "'. Use a batch size of 16 or more.");
        }
    }

    /** {@code flat(A)}: the {@code (B, F)} row-major reshape, which also works for non-contiguous outputs. */
    static NDArray flatten(NDArray tap) {
        return tap.reshape(tap.getShape().get(0), -1);
    }

    /** The Frobenius norm of the whole array. */
    static NDArray norm(NDArray array) {
        return array.square().sum().sqrt();
    }

    /** The L2 norm over the given axes, with a gradient of 0 rather than NaN where it is 0. */
    static NDArray guardedNorm(NDArray array, int... axes) {
        NDArray squares = axes.length == 0 ? array.square().sum() : array.square().sum(axes);
        return Scalars.add(squares, SQRT_GUARD).sqrt();
    }

    /** Reads a scalar of any floating type. */
    static double value(NDArray scalar) {
        if (scalar.getDataType() == DataType.FLOAT64) {
            return scalar.getDouble();
        }
        if (scalar.getDataType() == DataType.FLOAT32) {
            return scalar.getFloat();
        }
        try (NDArray copy = scalar.toType(DataType.FLOAT64, true)) {
            return copy.getDouble();
        }
    }

    /**
     * The degenerate-tap rule: {@code D = 1}, a constant without gradient, of the taps' data type and
     * attached to the first tap's manager.
     */
    static NDArray degenerate(NDArray previous) {
        return previous.getManager().ones(new Shape(), previous.getDataType());
    }
}
