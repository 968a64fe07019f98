package org.fadkd.runner.config;

import org.fadkd.engine.util.Suggestions;
import static java.util.Objects.requireNonNull;

import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds experiment files ({@code <name>.conf}) in a search path of directories. Earlier directories
 * win when two hold the same name, so a {@code --config-dir} placed first shadows the project's
 * experiments. Thread-safe; the directories are read on every call.
 */
public final class ExperimentCatalog {
    static final String EXTENSION = ".conf";

    private final List<Path> experimentDirs;

    /**
     * Creates a catalog.
     *
     * @param experimentDirs the directories to search, in order; missing ones are skipped
     */
    public ExperimentCatalog(List<Path> experimentDirs) {
        this.experimentDirs = List.copyOf(requireNonNull(experimentDirs, "experimentDirs is null"));
    }

    /**
     * Finds an experiment by name, or by the path of a {@code .conf} file (absolute, or relative to
     * the current directory).
     *
     * @param nameOrPath an experiment name such as {@code kd-sweep}, or a file path
     * @return the experiment file, absolute and normalized
     * @throws FadException UNKNOWN_COMPONENT when neither exists; the message lists the available
     *     experiments and the nearest name
     */
    public Path find(String nameOrPath) {
        requireNonNull(nameOrPath, "nameOrPath is null");
        String name =
                nameOrPath.endsWith(EXTENSION)
                        ? nameOrPath.substring(0, nameOrPath.length() - EXTENSION.length())
                        : nameOrPath;
        for (Path dir : experimentDirs) {
            Path candidate = resolve(dir, name + EXTENSION);
            if (candidate != null && Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        if (looksLikePath(nameOrPath)) {
            Path file = resolve(Path.of("").toAbsolutePath(), nameOrPath);
            if (file != null && Files.isRegularFile(file)) {
                return file.toAbsolutePath().normalize();
            }
        }
        throw new FadException(ErrorCode.UNKNOWN_COMPONENT, unknownMessage(nameOrPath, name));
    }

    /**
     * Returns the names of every experiment in every directory, sorted, without duplicates.
     *
     * @return the names, never null
     */
    public List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        for (Path dir : experimentDirs) {
            names.addAll(confNames(dir));
        }
        return List.copyOf(names);
    }

    /**
     * Returns an experiment's name: its file name without {@code .conf}.
     *
     * @param experimentFile an experiment file, never null
     * @return the name, never null
     */
    public static String nameOf(Path experimentFile) {
        String fileName = experimentFile.getFileName().toString();
        return fileName.endsWith(EXTENSION)
                ? fileName.substring(0, fileName.length() - EXTENSION.length())
                : fileName;
    }

    private String unknownMessage(String nameOrPath, String name) {
        List<String> names = names();
        String where =
                experimentDirs.isEmpty()
                        ? "no experiment directories"
                        : experimentDirs.stream()
                                .map(Path::toString)
                                .collect(Collectors.joining(", "));
        String what =
                looksLikePath(nameOrPath)
                        ? "Experiment file '"
                                + nameOrPath
                                + "' does not exist, and no experiment has that name."
                        : "Unknown experiment '" + nameOrPath + "'.";
        if (names.isEmpty()) {
            return what + " There are no experiments (*.conf) in " + where + ".";
        }
        String lookup = nameOf(Path.of(name.isEmpty() ? EXTENSION : name + EXTENSION));
        return what
                + " Available experiments (in "
                + where
                + "): "
                + String.join(", ", names)
                + "."
                + Suggestions.didYouMean(lookup, names);
    }

    private static boolean looksLikePath(String nameOrPath) {
        return nameOrPath.endsWith(EXTENSION)
                || nameOrPath.contains("/")
                || nameOrPath.contains("\\");
    }

    private static Path resolve(Path dir, String relative) {
        try {
            return dir.resolve(relative);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** The {@code *.conf} names in one directory, without extension; empty if it is missing. */
    static List<String> confNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(path -> path.getFileName().toString())
                    .filter(fileName -> fileName.endsWith(EXTENSION))
                    .map(fileName -> fileName.substring(0, fileName.length() - EXTENSION.length()))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }
}
