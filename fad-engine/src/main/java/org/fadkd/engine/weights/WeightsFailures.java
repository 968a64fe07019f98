package org.fadkd.engine.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.util.IoFailures;
import org.fadkd.engine.util.Suggestions;

/** The messages both readers raise, so that a bad safetensors file and a bad ONNX file read alike. */
final class WeightsFailures {
    /**
     * The code for a file that is there but cannot be read as weights. fad-api has no code for
     * malformed input data yet; DATA_MISSING ("input data, a weights file, is not where it was
     * looked for") is the nearest, and like a data code it is the user's to fix (exit code 2).
     */
    static final ErrorCode MALFORMED = ErrorCode.DATA_MISSING;

    private WeightsFailures() {}

    /** A file whose content breaks its format: names the file, the format, the fault and the fix. */
    static FadException malformed(Path file, String format, String problem, String fix) {
        return malformed(file, format, problem, fix, null);
    }

    static FadException malformed(Path file, String format, String problem, String fix, Throwable cause) {
        return new FadException(MALFORMED, String.format("Weights file '%s' is not a valid %s file: %s. %s",
                file, format, problem, fix), cause);
    }

    /** A file that cannot be opened or read at all (missing, unreadable, an I/O error). */
    static FadException unreadable(Path file, IOException error) {
        String reason = IoFailures.describe(error);
        return new FadException(ErrorCode.DATA_MISSING, String.format(
                "Cannot read weights file '%s': %s. Check the path and that the file is readable.",
                file, reason != null ? reason : error.toString()), error);
    }

    static WeightInfo find(WeightsFile weights, String name) {
        List<WeightInfo> tensors = weights.getTensors();
        for (WeightInfo info : tensors) {
            if (info.name().equals(name)) {
                return info;
            }
        }
        throw missing(weights.getFile(), name, tensors.stream().map(WeightInfo::name).toList());
    }

    static FadException missing(Path file, String name, Collection<String> names) {
        return new FadException(ErrorCode.DATA_MISSING, String.format("Weights file '%s' has no tensor '%s'.%s",
                file, name, Suggestions.didYouMean(name, names)));
    }

    /** Checks that a tensor fits one Java array, the unit {@link WeightsFile} reads. */
    static int arrayLength(Path file, WeightInfo info) {
        // The largest array length HotSpot allocates.
        if (info.size() > Integer.MAX_VALUE - 8) {
            throw new FadException(ErrorCode.INCOMPATIBLE_COMPONENTS, String.format(
                    "Tensor '%s' of weights file '%s' has %d elements, more than one Java array holds. "
                            + "FAD cannot load tensors this large.", info.name(), file, info.size()));
        }
        return (int) info.size();
    }

    static void requireInteger(Path file, WeightInfo info) {
        if (info.storedType().isFloatingPoint()) {
            throw new IllegalArgumentException(String.format(
                    "tensor '%s' of '%s' is %s, not an integer type: read it with readFloats", info.name(), file,
                    info.storedType()));
        }
    }
}
