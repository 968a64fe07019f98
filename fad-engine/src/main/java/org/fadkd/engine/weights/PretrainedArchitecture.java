package org.fadkd.engine.weights;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fadkd.api.Architecture;
import org.fadkd.api.EmbeddingSource;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.api.FileTensor;
import org.fadkd.api.PretrainedWeights;

/**
 * A native architecture whose models bring trained weights from a file (a model section's {@code
 * weights}): the host wraps the architecture a factory created, so that no factory needs to know
 * about weights files. Its blocks are {@link PretrainedBlock}s, which load the file when they are
 * initialised; taps, embedding and parameter names are the native architecture's.
 *
 * <p>Thread-safety: immutable apart from the lazily computed fingerprint; safe to share.
 *
 * @since 0.2
 */
public final class PretrainedArchitecture implements Architecture {
    private final Architecture architecture;
    private final WeightsSettings weights;
    private final String description;
    private String fingerprint;

    /**
     * @param architecture what the factory created, never null
     * @param weights the section's settings, never null
     * @param description the architecture as messages name it, e.g. {@code architecture
     *     'imagenet-resnet' (depth = 18, width-multiplier = 1.0)}
     */
    public PretrainedArchitecture(Architecture architecture, WeightsSettings weights, String description) {
        this.architecture = requireNonNull(architecture, "architecture is null");
        this.weights = requireNonNull(weights, "weights is null");
        this.description = requireNonNull(description, "description is null");
        if (architecture.getPretrainedWeights().isPresent()) {
            throw new FadException(ErrorCode.CONFIG_INVALID, String.format(
                    "%s brings its own weights from %s; remove its 'weights' section.", description,
                    architecture.getPretrainedWeights().get().file()));
        }
    }

    /** The settings of the weights section. */
    public WeightsSettings getWeights() {
        return weights;
    }

    /**
     * Builds the native block and checks that the architecture knows the file's parameter names;
     * the file itself is read when the block is initialised.
     *
     * @throws FadException with {@link ErrorCode#INCOMPATIBLE_COMPONENTS} when the architecture
     *     does not know the file's name convention
     */
    @Override
    public Block newBlock(Shape sampleShape, int outputSize) {
        Block model = architecture.newBlock(sampleShape, outputSize);
        Map<String, FileTensor> sources = sources(model);
        return new PretrainedBlock(model, initialised -> load(initialised, sources, sampleShape, outputSize));
    }

    private Map<String, FileTensor> sources(Block model) {
        List<String> parameters = new ArrayList<>();
        for (Pair<String, Parameter> pair : model.getParameters()) {
            parameters.add(pair.getKey());
        }
        if (weights.names().equals(WeightsSettings.DJL_NAMES)) {
            Map<String, FileTensor> identity = new LinkedHashMap<>();
            parameters.forEach(name -> identity.put(name, FileTensor.whole(name)));
            return identity;
        }
        boolean auto = weights.names().equals(WeightsSettings.AUTO_NAMES);
        List<String> conventions = auto ? WeightsSettings.FOREIGN_NAMES : List.of(weights.names());
        Map<String, FileTensor> sources = Map.of();
        for (String convention : conventions) {
            sources = architecture.getParameterNames(convention, model);
            if (!sources.isEmpty()) {
                break;
            }
        }
        if (sources.isEmpty()) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Weights file '%s' uses %s parameter names (weights.names), which %s does not know%s. Use a file"
                            + " that names the block's DJL parameters (names = djl), e.g. a FAD export, or an"
                            + " architecture that knows the names.", weights.file(), conventions.get(0), description,
                    auto ? ", nor " + String.join(" or ", conventions.subList(1, conventions.size()))
                            + " names (names = auto tries each)" : ""));
        }
        Map<String, FileTensor> mapped = sources;
        List<String> unmapped = parameters.stream().filter(name -> !mapped.containsKey(name)).toList();
        if (!unmapped.isEmpty()) {
            throw new IllegalStateException(String.format("%s maps no %s tensor onto parameters %s", description,
                    weights.names(), unmapped));
        }
        return sources;
    }

    private void load(Block model, Map<String, FileTensor> sources, Shape sampleShape, int outputSize) {
        try (WeightsFile file = weights.open(path -> DjlParametersFile.open(path,
                architecture.newBlock(sampleShape, outputSize), description))) {
            WeightsLoader.load(file, sources, model, description, outputSize, weights);
        }
    }

    @Override
    public List<String> getTapNames() {
        return architecture.getTapNames();
    }

    @Override
    public EmbeddingSource getEmbeddingSource() {
        return architecture.getEmbeddingSource();
    }

    @Override
    public Map<String, FileTensor> getParameterNames(String convention, Block block) {
        Block model = block instanceof PretrainedBlock pretrained ? pretrained.getModel() : block;
        return architecture.getParameterNames(convention, model);
    }

    /** The file, fingerprinted by its SHA-256 (read once) so that caches keyed on it notice a replaced file. */
    @Override
    public synchronized Optional<PretrainedWeights> getPretrainedWeights() {
        if (fingerprint == null) {
            fingerprint = weights.fingerprint();
        }
        return Optional.of(new PretrainedWeights(weights.file(), fingerprint));
    }
}
