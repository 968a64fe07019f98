package org.fadkd.flow;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FlowMetric;
import org.fadkd.api.TapLayout;

/**
 * Flow profiles (fad-spec §1): the divergences {@code D_k = D(A_k, A_{k+1})} of a flow metric
 * between adjacent taps, in execution order.
 *
 * @since 0.1
 */
public final class FlowProfiles {
    private FlowProfiles() {}

    /**
     * Computes the flow profile of one batch's taps. Half-precision taps are widened to float32
     * first; float64 taps stay float64 for the metric (no precision is lost), and every divergence
     * is cast to float32. All casts keep the autograd graph ({@link Casts}).
     *
     * <p>Gradient: the profile is differentiable w.r.t. the taps when they carry gradient (the
     * student) and carries none when they do not (the teacher, run in inference mode). Points the
     * metric declares degenerate are constants.
     *
     * @param metric the flow metric, never null
     * @param taps the tap outputs {@code (B, …)} in execution order, at least two, never null
     * @return a float32 array of {@code P = L − 1} divergences, attached to the first tap's manager
     * @throws IllegalArgumentException when fewer than two taps are given
     * @since 0.1
     */
    public static NDArray profile(FlowMetric metric, List<NDArray> taps) {
        return profile(metric, taps, ProfiledTaps.unnamed());
    }

    /**
     * Like {@link #profile(FlowMetric, List)}, telling the metric whose taps these are: a metric
     * that reports on single taps ({@link TapNamingFlowMetric}) names the network and the tap,
     * and tells the teacher's taps from the student's although one metric instance serves both.
     *
     * @param metric the flow metric, never null
     * @param taps the tap outputs {@code (B, …)} in execution order, at least two, never null
     * @param source whose taps these are, e.g. {@code ProfiledTaps.of("teacher", layout)}, never null
     * @return a float32 array of {@code P = L − 1} divergences, attached to the first tap's manager
     * @throws IllegalArgumentException when fewer than two taps are given
     * @since 0.1
     */
    public static NDArray profile(FlowMetric metric, List<NDArray> taps, ProfiledTaps source) {
        requireNonNull(metric, "metric is null");
        requireNonNull(taps, "taps is null");
        requireNonNull(source, "source is null");
        if (taps.size() < 2) {
            throw new IllegalArgumentException(
                    "a flow profile needs at least 2 taps, got " + taps.size());
        }
        List<NDArray> widened = new ArrayList<>(taps.size());
        for (NDArray tap : taps) {
            widened.add(toFloat32(tap));
        }
        NDList profile = metric instanceof TapNamingFlowMetric naming
                ? naming.divergences(widened, source)
                : metric.divergences(widened);
        if (profile.size() != taps.size() - 1) {
            throw new IllegalStateException(metric.getClass().getName() + ".divergences gave " + profile.size()
                    + " values for " + taps.size() + " taps; a profile has one per adjacent pair");
        }
        NDList divergences = new NDList(profile.size());
        for (NDArray divergence : profile) {
            divergences.add(Casts.to(divergence, DataType.FLOAT32));
        }
        return NDArrays.stack(divergences);
    }

    /**
     * Fails early when a network cannot be profiled with a metric: fewer than two taps, or a pair
     * of adjacent taps the metric rejects ({@link FlowMetric#checkAdjacentTaps}).
     *
     * @param metric the flow metric, never null
     * @param layout the network's taps with per-sample shapes, never null
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS}
     * @since 0.1
     */
    public static void checkTaps(FlowMetric metric, TapLayout layout) {
        checkTaps(metric, layout, "the network");
    }

    /**
     * Like {@link #checkTaps(FlowMetric, TapLayout)}, naming the network in the message.
     *
     * @param metric the flow metric, never null
     * @param layout the network's taps with per-sample shapes, never null
     * @param network how messages name the network, e.g. {@code the teacher}, never null
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS}
     * @since 0.1
     */
    public static void checkTaps(FlowMetric metric, TapLayout layout, String network) {
        requireNonNull(metric, "metric is null");
        requireNonNull(layout, "layout is null");
        requireNonNull(network, "network is null");
        if (layout.size() < 2) {
            throw new FadException(
                    ErrorCode.INCOMPATIBLE_COMPONENTS,
                    "A flow profile needs at least 2 taps, but " + network + " declares '"
                            + layout.size() + "' " + layout.names()
                            + ". Declare at least two taps in its architecture.");
        }
        for (int k = 1; k < layout.size(); k++) {
            metric.checkAdjacentTaps(
                    layout.names().get(k - 1), layout.shapes().get(k - 1),
                    layout.names().get(k), layout.shapes().get(k));
        }
    }

    private static NDArray toFloat32(NDArray tap) {
        requireNonNull(tap, "tap is null");
        return Casts.atLeastFloat32(tap);
    }
}
