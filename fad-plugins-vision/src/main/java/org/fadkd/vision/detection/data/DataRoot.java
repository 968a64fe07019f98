package org.fadkd.vision.detection.data;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where a file-based detection dataset is: its {@code root} setting, else {@code <dir>/<name>/} on the data search path. */
final class DataRoot {
    private DataRoot() {}

    /**
     * @param root the {@code root} setting; when set it is the only place looked at
     * @param marker a path relative to a root that a complete root holds (an annotation file, a folder)
     * @param layout how the folder must look, for the error
     */
    static Path find(String dataset, Optional<Path> root, FadContext context, String marker, String layout) {
        if (root.isPresent()) {
            if (!Files.exists(root.get().resolve(marker))) {
                throw new FadException(ErrorCode.DATA_MISSING, String.format("Dataset '%s': setting 'root' = '%s'"
                        + " lacks '%s'. %s", dataset, root.get(), marker, layout));
            }
            return root.get();
        }
        StringBuilder searched = new StringBuilder();
        List<Path> directories = context.getDataSearchPath();
        for (Path directory : directories) {
            Path candidate = directory.resolve(dataset);
            if (Files.exists(candidate.resolve(marker))) {
                return candidate;
            }
            searched.append(String.format("%n  '%s': %s", candidate,
                    Files.isDirectory(candidate) ? "missing " + marker : "no such directory"));
        }
        throw new FadException(ErrorCode.DATA_MISSING, String.format("Dataset '%s' not found: set data.root=DIR.%s%s",
                dataset, directories.isEmpty() ? "" : " Looked in:" + searched + "\n", layout));
    }

    /** Expands a leading {@code ~}: HOCON values are not shell-expanded, yet "~/data" is what users write. */
    static Optional<Path> setting(String path) {
        String stripped = path.strip();
        if (stripped.isEmpty()) {
            return Optional.empty();
        }
        if (stripped.equals("~") || stripped.startsWith("~/")) {
            return Optional.of(Path.of(System.getProperty("user.home") + stripped.substring(1)));
        }
        return Optional.of(Path.of(stripped));
    }
}
