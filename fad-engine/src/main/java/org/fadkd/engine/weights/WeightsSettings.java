package org.fadkd.engine.weights;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.fadkd.api.SettingsReader;

/**
 * A model section's {@code weights}: the file trained weights come from, its format and whose
 * parameter names it uses; documented in {@code weights-defaults.conf}.
 *
 * @param file the weights file, absolute
 * @param format how it is written, never {@link WeightsFormat#AUTO}
 * @param names the parameter-name convention: {@link #DJL_NAMES}, one an architecture knows, or
 *     {@link #AUTO_NAMES} for a safetensors or ONNX file, meaning the first of {@link
 *     #FOREIGN_NAMES} the architecture knows
 * @param newHead whether the model's head (its top-level child {@code head}) keeps its own
 *     initialisation instead of being read from the file
 * @param ignore glob patterns ({@code *} for any characters) of file tensors the model may leave
 *     unread, never null
 * @since 0.2
 */
public record WeightsSettings(Path file, WeightsFormat format, String names, boolean newHead, List<String> ignore) {
    /** The key of the section in a model section. */
    public static final String KEY = "weights";
    /** The convention of a file named as DJL names the block's own parameters. */
    public static final String DJL_NAMES = "djl";
    /** The convention of torchvision's state_dict names. */
    public static final String TORCHVISION_NAMES = "torchvision";
    /** The convention of Hugging Face transformers' state_dict names. */
    public static final String HUGGING_FACE_NAMES = "huggingface";
    /** A safetensors or ONNX file's names left to the architecture: the first of {@link #FOREIGN_NAMES} it knows. */
    public static final String AUTO_NAMES = "auto";
    /** The conventions of other frameworks, in the order {@link #AUTO_NAMES} tries them. */
    public static final List<String> FOREIGN_NAMES = List.of(TORCHVISION_NAMES, HUGGING_FACE_NAMES);
    private static final List<String> NAMES = List.of(AUTO_NAMES, TORCHVISION_NAMES, DJL_NAMES, HUGGING_FACE_NAMES);

    public WeightsSettings {
        requireNonNull(file, "file is null");
        requireNonNull(format, "format is null");
        requireNonNull(names, "names is null");
        ignore = List.copyOf(requireNonNull(ignore, "ignore is null"));
        if (format == WeightsFormat.AUTO) {
            throw new IllegalArgumentException("format auto must be resolved from " + file);
        }
    }

    /** The section's documented defaults. */
    public static Config defaults() {
        return ConfigFactory.parseResources(WeightsSettings.class, "weights-defaults.conf");
    }

    /**
     * Reads the {@code weights} section of a model section and checks it: a file that exists, a
     * known format (or an extension that tells it), a known name convention.
     *
     * @param model the model section holding {@code weights}, merged or not over the defaults
     * @param architecture the architecture's name, for messages
     * @throws org.fadkd.api.FadException with every problem, in {@link SettingsReader}'s shape
     *     (keys {@code weights.file}, ...)
     */
    public static WeightsSettings from(Config model, String architecture) {
        Config settings = model.withOnlyPath(KEY).withFallback(defaults().atKey(KEY));
        SettingsReader reader = new SettingsReader(settings, "architecture", architecture);
        String fileName = reader.getString(KEY + ".file");
        WeightsFormat format = reader.getEnum(KEY + ".format", WeightsFormat.class);
        String names = reader.getString(KEY + ".names");
        boolean newHead = reader.getBoolean(KEY + ".new-head");
        List<String> ignore = List.of();
        try {
            ignore = settings.getStringList(KEY + ".ignore");
        } catch (ConfigException e) {
            reader.check(false, KEY + ".ignore", "a list of tensor-name patterns such as [\"cls.*\"]");
        }
        Path file = null;
        try {
            file = fileName.isEmpty() ? null : Path.of(fileName).toAbsolutePath();
        } catch (InvalidPathException e) {
            // reported just below, as a missing file
        }
        reader.check(!fileName.isEmpty(), KEY + ".file", "the path of a weights file (.params, .safetensors, .onnx)");
        reader.check(fileName.isEmpty() || (file != null && Files.isRegularFile(file)), KEY + ".file",
                "an existing file (relative paths are read from the working directory, "
                        + Path.of("").toAbsolutePath() + ")");
        WeightsFormat resolved = format;
        if (format == WeightsFormat.AUTO && file != null) {
            resolved = WeightsFormat.fromExtension(file).orElse(WeightsFormat.AUTO);
            reader.check(resolved != WeightsFormat.AUTO, KEY + ".format",
                    "djl, safetensors or onnx: auto cannot tell the format of '" + file.getFileName()
                            + "' from its extension (.params, .safetensors, .onnx)");
        }
        reader.check(NAMES.contains(names), KEY + ".names", "one of " + String.join(", ", NAMES));
        reader.throwIfInvalid();
        String convention = names.equals(AUTO_NAMES) && resolved == WeightsFormat.DJL ? DJL_NAMES : names;
        return new WeightsSettings(file, resolved, convention, newHead, ignore);
    }

    /**
     * Opens the file in its format.
     *
     * @param djlParameters reads a {@link WeightsFormat#DJL} file, which needs a block of the
     *     architecture to load into
     * @return the open file; the caller closes it
     */
    WeightsFile open(Function<Path, WeightsFile> djlParameters) {
        return switch (format) {
            case SAFETENSORS -> SafetensorsReader.open(file);
            case ONNX -> OnnxInitializers.open(file);
            case DJL -> djlParameters.apply(file);
            case AUTO -> throw new IllegalStateException("unresolved format");
        };
    }

    /** The SHA-256 of the file's content, {@code sha256:<hex>}. */
    String fingerprint() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw WeightsFailures.unreadable(file, e);
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    /** Whether a file tensor matches one of the {@link #ignore} patterns. */
    boolean isIgnored(String tensor) {
        for (String pattern : ignore) {
            String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
            if (tensor.matches(regex)) {
                return true;
            }
        }
        return false;
    }
}
