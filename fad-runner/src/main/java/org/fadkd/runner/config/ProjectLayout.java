package org.fadkd.runner.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the runner finds config groups, experiments, data and caches, and where it writes outputs.
 *
 * @param configDirs config-group search path, earlier wins
 * @param experimentDirs experiment search path, earlier wins
 * @param dataSearchPath directories datasets look in ({@code $FAD_DATA}, {@code ~/.fad/data})
 * @param cacheDir trained teachers and other caches ({@code $FAD_CACHE} or {@code ~/.fad/cache})
 * @param outputDir where {@code multirun/} and {@code outputs/} go (the working directory)
 */
public record ProjectLayout(
        List<Path> configDirs, List<Path> experimentDirs, List<Path> dataSearchPath, Path cacheDir, Path outputDir) {
    /**
     * The cache directory a worker process is given by its runner (before {@code FAD_CACHE}), so
     * that its command carries everything the job needs.
     */
    public static final String CACHE_PROPERTY = "fad.cache";
    /** The data search path a worker process is given by its runner, joined by the path separator. */
    public static final String DATA_PROPERTY = "fad.data";

    /** The layout of a project checkout at {@code home} (the {@code runner} script passes {@code fad.home}). */
    public static ProjectLayout of(Path home, Path workingDirectory) {
        Path userHome = Path.of(System.getProperty("user.home"));
        List<Path> data = new ArrayList<>();
        String workerData = System.getProperty(DATA_PROPERTY);
        if (workerData != null) {
            // A worker process: exactly its runner's search path.
            for (String entry : workerData.split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    data.add(Path.of(entry));
                }
            }
        } else {
            String fadData = System.getenv("FAD_DATA");
            if (fadData != null && !fadData.isBlank()) {
                data.add(Path.of(fadData));
            }
            data.add(userHome.resolve(".fad/data"));
        }
        String fadCache = System.getProperty(CACHE_PROPERTY, System.getenv("FAD_CACHE"));
        Path cache = fadCache != null && !fadCache.isBlank() ? Path.of(fadCache) : userHome.resolve(".fad/cache");
        List<Path> configs = new ArrayList<>();
        List<Path> experiments = new ArrayList<>();
        for (Path root : List.of(workingDirectory, home)) {
            addIfDirectory(configs, root.resolve("configs"));
            addIfDirectory(experiments, root.resolve("experiments"));
        }
        return new ProjectLayout(configs, experiments, data, cache, workingDirectory);
    }

    /** This layout with {@code dirs} searched for config groups before the others ({@code --config-dir}). */
    public ProjectLayout withConfigDirsFirst(List<Path> dirs) {
        List<Path> configs = new ArrayList<>();
        dirs.forEach(dir -> addIfDirectory(configs, dir));
        configDirs.forEach(dir -> addIfDirectory(configs, dir));
        return new ProjectLayout(configs, experimentDirs, dataSearchPath, cacheDir, outputDir);
    }

    private static void addIfDirectory(List<Path> paths, Path candidate) {
        Path normalized = candidate.toAbsolutePath().normalize();
        if (Files.isDirectory(normalized) && !paths.contains(normalized)) {
            paths.add(normalized);
        }
    }
}
