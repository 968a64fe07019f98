package org.fadkd.engine.measure;

import static java.util.Objects.requireNonNull;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/**
 * The {@code params} figure of fad-spec §13: the trainable parameters of a network. Buffers such
 * as batch norm's running statistics are DJL parameters that require no gradient, and are left
 * out. A method's extra modules are separate blocks, so counting the student's block leaves them
 * out too.
 *
 * @since 0.1
 */
public final class ParameterCount {
    private ParameterCount() {}

    /**
     * Counts the trainable parameters of {@code block}.
     *
     * @param block an initialised block, or one whose parameter shapes are known; never null
     * @return the number of scalars in parameters that require a gradient
     * @throws IllegalStateException when a trainable parameter has no shape yet
     */
    public static long trainable(Block block) {
        requireNonNull(block, "block is null");
        long total = 0;
        for (Parameter parameter : block.getParameters().values()) {
            if (!parameter.requiresGradient()) {
                continue;
            }
            if (parameter.isInitialized()) {
                total += parameter.getArray().getShape().size();
            } else if (parameter.getShape() != null) {
                total += parameter.getShape().size();
            } else {
                throw new IllegalStateException("parameter '" + parameter.getName()
                        + "' has no shape yet: initialise the block before counting its parameters");
            }
        }
        return total;
    }
}
