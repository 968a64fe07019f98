package org.fadkd.runner;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs the {@code runner} command line in process, as the CLI tests do, and keeps what it printed. */
public final class TestingCommandLine {
    private TestingCommandLine() {}

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
}
