package org.fadkd.runner;

import com.fasterxml.jackson.databind.JsonNode;
import org.fadkd.engine.util.Json;
import org.fadkd.runner.config.ProjectLayout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Runs the {@code runner} command line in process, as the CLI tests do, and keeps what it printed. */
public final class TestingCommandLine {
    /** The repository's config groups, as a user's checkout has them. */
    public static final Path REPOSITORY_CONFIGS = Path.of("..", "configs").toAbsolutePath().normalize();
    /**
     * Timings of a few passes, no minimum duration: the defaults (fad-spec §14.1) spend seconds
     * per model, which a suite of many jobs does not need to check the wiring.
     */
    public static final String QUICK_MEASUREMENT = "measurement { latency-warmup = 1, latency-runs = 3,"
            + " throughput-batch-size = 8, throughput-warmup = 1, throughput-min-batches = 2, throughput-min-seconds = 0 }";

    private TestingCommandLine() {}

    /**
     * Writes {@code experiments/tiny_sweep.conf} into {@code root}: the quick start's shape (resnet
     * teacher, cnn student, a sweep {@code method = [kd, fad]}) on the tiny {@code testing-images}
     * data, two epochs each, seed 3, quick measurements, then {@code extra} (HOCON) last.
     *
     * @return root
     */
    public static Path tinySweepProject(Path root, String extra) throws IOException {
        Files.createDirectories(root.resolve("experiments"));
        Files.writeString(root.resolve("experiments/tiny_sweep.conf"), """
                defaults = [
                  { task: classification }
                  { data: fashion-mnist }
                  { "model@teacher": resnet }
                  { "model@student": cnn }
                  { method: fad }
                  _self_
                ]
                data { type = testing-images }
                seed = 3
                teacher-training { epochs = 2, batch-size = 32, eval-batch-size = 64 }
                trainer { epochs = 2, batch-size = 32, eval-batch-size = 64 }
                %s
                sweep { method = [kd, fad] }
                %s
                """.formatted(QUICK_MEASUREMENT, extra));
        return root;
    }

    /** A project at {@code root} with its own experiments, data and cache, and the repository's configs. */
    public static ProjectLayout repositoryLayout(Path root) {
        return repositoryLayout(root, root.resolve("cache"));
    }

    /** Like {@link #repositoryLayout(Path)}, with a cache shared with other projects (a trained teacher). */
    public static ProjectLayout repositoryLayout(Path root, Path cache) {
        return new ProjectLayout(List.of(REPOSITORY_CONFIGS), List.of(root.resolve("experiments")),
                List.of(root.resolve("data")), cache, root);
    }

    /**
     * What a command line did.
     *
     * @param exitCode the process exit code it would have had
     * @param out what it printed to standard output
     * @param err what it printed to standard error
     */
    public record Run(int exitCode, String out, String err) {}

    /** Runs {@code args} in a project at {@code root} with no configs or experiments of its own. */
    public static Run run(Path root, String... args) {
        return run(new ProjectLayout(List.of(), List.of(), List.of(), root.resolve("cache"), root), args);
    }

    /** Runs {@code args} with the plugins of the class path in {@code layout}. */
    public static Run run(ProjectLayout layout, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(args, layout, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Every {@code summary.json} below {@code directory}, read, in no particular order; none when
     * the directory does not exist (nothing ran).
     */
    public static List<JsonNode> summaries(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> found = files.filter(file -> file.getFileName().toString().equals("summary.json")).toList();
            List<JsonNode> read = new ArrayList<>();
            for (Path file : found) {
                read.add(Json.MAPPER.readTree(file.toFile()));
            }
            return read;
        }
    }
}
