package org.fadkd.nlp.data;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadContext;
import org.fadkd.api.FadException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a text dataset finds its files: the {@code root} setting when it is set (the only place looked
 * at: the data a user names is never silently replaced by another copy), else {@code <dir>/<name>}
 * for every directory of {@link FadContext#getDataSearchPath()}, the first that holds every file.
 */
final class DataDirectories {
    private DataDirectories() {}

    /**
     * Returns the directory to read.
     *
     * @param name the dataset's name: the folder looked for under each data directory
     * @param root the {@code root} setting, empty when not set
     * @param missing what a directory lacks (paths relative to it), empty when it is complete
     * @param howToGet what to do when nothing is found, completing the message
     * @throws FadException with {@link ErrorCode#DATA_MISSING} when no directory is complete
     */
    static Path find(
            String name,
            Optional<Path> root,
            FadContext context,
            Function<Path, List<String>> missing,
            String howToGet) {
        if (root.isPresent()) {
            Path directory = root.get();
            List<String> lacking = missing.apply(directory);
            if (lacking.isEmpty()) {
                return directory;
            }
            throw new FadException(
                    ErrorCode.DATA_MISSING,
                    String.format(
                            "Dataset '%s': setting 'root' = '%s' %s. %s Or remove 'root' to use the"
                                    + " data search path.",
                            name,
                            directory,
                            describe(directory, lacking),
                            howToGet));
        }
        StringBuilder searched = new StringBuilder();
        List<Path> directories = context.getDataSearchPath();
        for (int i = 0; i < directories.size(); i++) {
            Path directory = directories.get(i).resolve(name);
            List<String> lacking = missing.apply(directory);
            if (lacking.isEmpty()) {
                return directory;
            }
            searched.append(
                    String.format("%n  %d. '%s': %s", i + 1, directory, describe(directory, lacking)));
        }
        throw new FadException(
                ErrorCode.DATA_MISSING,
                String.format(
                        "Dataset '%s' not found. Looked in:%s%n%s Or set 'root' to a directory"
                                + " holding the files.",
                        name,
                        searched.length() == 0 ? " (the data search path is empty)" : searched,
                        howToGet));
    }

    private static String describe(Path directory, List<String> lacking) {
        if (!Files.isDirectory(directory)) {
            return "is not a directory";
        }
        int shown = Math.min(lacking.size(), 5);
        return "lacks "
                + String.join(", ", lacking.subList(0, shown))
                + (lacking.size() > shown ? " and " + (lacking.size() - shown) + " more" : "");
    }

    /**
     * Expands a leading {@code ~}: HOCON values are not shell-expanded, yet "~/data" is what users
     * write. Empty for an empty or blank setting.
     */
    static Optional<Path> root(String setting) {
        String path = setting.strip();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        if (path.equals("~") || path.startsWith("~/")) {
            return Optional.of(Path.of(System.getProperty("user.home") + path.substring(1)));
        }
        return Optional.of(Path.of(path));
    }
}
