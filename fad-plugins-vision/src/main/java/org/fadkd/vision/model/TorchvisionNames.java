package org.fadkd.vision.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.api.FileTensor;

/**
 * torchvision's {@code state_dict} names for the plugin's torchvision layouts (a model section's
 * {@code weights.names = torchvision}).
 */
final class TorchvisionNames {
    /** The convention's name in {@code weights.names}. */
    static final String CONVENTION = "torchvision";

    /** A DJL parameter's own name and the torchvision suffix it corresponds to. */
    private static final Map<String, String> SUFFIXES = Map.of(
            "weight", "weight",
            "bias", "bias",
            "gamma", "weight",
            "beta", "bias",
            "runningMean", "running_mean",
            "runningVar", "running_var");

    private TorchvisionNames() {}

    /**
     * Pairs a block's parameters with torchvision's names listed in the same order, which holds
     * where the block adds its layers in torchvision's definition order (convolution, then batch
     * norm's weight, bias, running mean and variance; the residual branch before the shortcut).
     * Each pair is checked to be the same kind of parameter, so a layout that drifted from
     * torchvision's fails here rather than loading weights into the wrong layers.
     *
     * @param torchvisionNames the state_dict's names in order, without {@code num_batches_tracked}
     * @throws IllegalStateException when the counts or the kinds differ: the layout is not torchvision's
     */
    static Map<String, FileTensor> inOrder(String architecture, Block block, List<String> torchvisionNames) {
        List<Pair<String, Parameter>> parameters = new ArrayList<>();
        block.getParameters().forEach(parameters::add);
        if (parameters.size() != torchvisionNames.size()) {
            throw new IllegalStateException(String.format("%s has %d parameters, torchvision's layout %d", architecture,
                    parameters.size(), torchvisionNames.size()));
        }
        Map<String, FileTensor> names = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            String parameter = parameters.get(i).getKey();
            String torchvision = torchvisionNames.get(i);
            String suffix = SUFFIXES.get(parameters.get(i).getValue().getName());
            if (suffix == null || !torchvision.endsWith("." + suffix)) {
                throw new IllegalStateException(String.format(
                        "%s's parameter %s does not correspond to torchvision's %s", architecture, parameter, torchvision));
            }
            names.put(parameter, FileTensor.whole(torchvision));
        }
        return names;
    }

    /** A layer with a weight only (the convolutions before batch norm in torchvision's ResNets). */
    static void weight(List<String> names, String prefix) {
        names.add(prefix + ".weight");
    }

    /** Batch norm's affine parameters and running statistics, in torchvision's order. */
    static void batchNorm(List<String> names, String prefix) {
        for (String suffix : List.of("weight", "bias", "running_mean", "running_var")) {
            names.add(prefix + "." + suffix);
        }
    }

    /** torchvision's Conv2dNormActivation: convolution {@code 0} (no bias), batch norm {@code 1}. */
    static void convolutionUnit(List<String> names, String prefix) {
        weight(names, prefix + ".0");
        batchNorm(names, prefix + ".1");
    }

    /** A layer with a weight and a bias (a linear layer, a convolution with bias). */
    static void weightAndBias(List<String> names, String prefix) {
        names.add(prefix + ".weight");
        names.add(prefix + ".bias");
    }
}
