package org.fadkd.engine.weights;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How a weights file is written, as a model's {@code weights.format} names it.
 *
 * @since 0.2
 */
public enum WeightsFormat {
    /** Chosen from the file's extension: {@code .params}, {@code .safetensors} or {@code .onnx}. */
    AUTO(""),
    /** DJL's own {@code .params} ({@code Model.save}), from a block of the same architecture. */
    DJL(".params"),
    /** A safetensors file. */
    SAFETENSORS(".safetensors"),
    /** The initializers of an ONNX model. */
    ONNX(".onnx");

    private final String extension;

    WeightsFormat(String extension) {
        this.extension = extension;
    }

    /**
     * The format a file's extension implies.
     *
     * @param file the file, never null
     * @return the format, or empty when the extension is none of the known ones
     * @since 0.2
     */
    public static Optional<WeightsFormat> fromExtension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (WeightsFormat format : values()) {
            if (format != AUTO && name.endsWith(format.extension)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
