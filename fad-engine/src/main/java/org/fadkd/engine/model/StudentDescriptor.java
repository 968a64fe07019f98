package org.fadkd.engine.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an exported student's {@code model.json} says (see {@link StudentExport}): everything needed
 * to rebuild the network around its weights, and the evaluation the job reported, so that a later
 * evaluation can be checked against it.
 *
 * @param fadVersion the version of FAD that wrote the export
 * @param architecture the architecture's config section: {@code type} and every setting, merged
 *     over the architecture's defaults and resolved
 * @param inputShape one sample's input shape, without the batch axis: the shape the architecture
 *     built the network for ({@code LabeledDataset#getSampleShape})
 * @param inputShapes the shape of each input the network takes for one sample, without the batch
 *     axis ({@code LabeledDataset#getInputShapes}), with which a reload initialises a reference
 *     network: {@code [inputShape]} for a network of one input, and for exports written before
 *     FAD recorded them
 * @param classCount the number of outputs the network was built for
 * @param task the task's config section, with {@code type}
 * @param data the dataset's config section, with {@code type}: the splits and any transform an
 *     evaluation must use again
 * @param dataFingerprint the training data's fingerprint ({@code LabeledDataset#getFingerprint})
 * @param parameterCount trainable parameters of the network
 * @param weightsFile the name of the weight file inside the export directory
 * @param tapNames the network's taps, in execution order
 * @param evaluation the metrics the job reported for the exported weights
 * @since 0.1
 */
public record StudentDescriptor(
        String fadVersion,
        Config architecture,
        Shape inputShape,
        List<Shape> inputShapes,
        int classCount,
        Config task,
        Config data,
        String dataFingerprint,
        long parameterCount,
        String weightsFile,
        List<String> tapNames,
        ReportedEvaluation evaluation) {
    public StudentDescriptor {
        requireNonNull(fadVersion, "fadVersion is null");
        requireNonNull(architecture, "architecture is null");
        if (!architecture.hasPath("type")) {
            throw new IllegalArgumentException("the architecture section has no 'type'");
        }
        requireNonNull(inputShape, "inputShape is null");
        inputShapes = List.copyOf(inputShapes);
        if (inputShapes.isEmpty()) {
            throw new IllegalArgumentException("a network takes at least one input; inputShapes is empty");
        }
        requireNonNull(task, "task is null");
        requireNonNull(data, "data is null");
        requireNonNull(dataFingerprint, "dataFingerprint is null");
        requireNonNull(weightsFile, "weightsFile is null");
        tapNames = List.copyOf(tapNames);
        requireNonNull(evaluation, "evaluation is null");
    }

    /**
     * A descriptor of a network of one input, {@code inputShape}, as every export before FAD
     * recorded the shapes of several inputs.
     */
    public StudentDescriptor(
            String fadVersion,
            Config architecture,
            Shape inputShape,
            int classCount,
            Config task,
            Config data,
            String dataFingerprint,
            long parameterCount,
            String weightsFile,
            List<String> tapNames,
            ReportedEvaluation evaluation) {
        this(fadVersion, architecture, inputShape, List.of(requireNonNull(inputShape, "inputShape is null")),
                classCount, task, data, dataFingerprint, parameterCount, weightsFile, tapNames, evaluation);
    }

    /** Returns the architecture's component name, its {@code type}. */
    public String architectureType() {
        return architecture.getString("type");
    }

    /**
     * The evaluation a job reported for the weights it exported; a later evaluation reproduces it
     * when it runs on the same split with the same batch size ({@code runner evaluate}).
     *
     * @param split the split evaluated, e.g. {@code test}
     * @param batchSize the evaluation batch size
     * @param metrics the task's metrics, e.g. {@code top1}
     * @since 0.1
     */
    public record ReportedEvaluation(String split, int batchSize, Map<String, Double> metrics) {
        public ReportedEvaluation {
            requireNonNull(split, "split is null");
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size " + batchSize + " is not positive");
            }
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }
}
