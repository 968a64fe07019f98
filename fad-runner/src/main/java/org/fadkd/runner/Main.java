package org.fadkd.runner;

import ai.djl.engine.Engine;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.runner.cli.RunnerCommand;
import picocli.CommandLine;

/** The {@code runner} entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("fad.home", ".")).toAbsolutePath().normalize();
        Path workingDirectory = Path.of("").toAbsolutePath();
        System.exit(execute(args, ProjectLayout.of(home, workingDirectory), System.out, System.err));
    }

    /**
     * Runs the command line and returns the exit code: 0 success, 1 internal error or failed job,
     * 2 user error.
     */
    public static int execute(String[] args, ProjectLayout layout, PrintStream out, PrintStream err) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        try {
            // Before anything can load a plugin: picocli builds the commands, and with them the registry, right below.
            startEngine();
        } catch (FadException e) {
            return report(e, err, verbose);
        }
        Injector injector = Guice.createInjector(new RunnerModule(layout, out, Main.class.getClassLoader()));
        CommandLine commandLine;
        try {
            commandLine = new CommandLine(RunnerCommand.class, new GuiceFactory(injector));
        } catch (RuntimeException e) {
            return report(e, err, verbose); // e.g. two plugins offering the same component
        }
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((exception, cl, parseResult) -> report(exception, err, verbose));
        return commandLine.execute(args);
    }

    /** DJL must find its engine before any plugin code runs (it resolves engines through the context class loader). */
    private static void startEngine() {
        try {
            Engine.getInstance();
        } catch (RuntimeException | LinkageError e) {
            throw new FadException(ErrorCode.ENGINE_UNAVAILABLE,
                    "The PyTorch engine could not start: " + e.getMessage()
                            + ". Check that pytorch-native-cpu (or a GPU build) is on the class path.", e);
        }
    }

    private static int report(Exception exception, PrintStream err, boolean verbose) {
        Throwable error = exception;
        // Guice and picocli wrap what commands throw while being built; the user's error is inside.
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof FadException) {
                error = cause;
                break;
            }
        }
        if (error instanceof FadException fad) {
            err.println("Error: " + fad.getMessage());
            if (verbose) {
                fad.printStackTrace(err);
            }
            return fad.getErrorCode().getKind() == ErrorCode.Kind.USER ? 2 : 1;
        }
        err.println("Internal error: " + error);
        if (verbose) {
            error.printStackTrace(err);
            err.println("Please report this with the output above.");
        } else {
            err.println("Run again with --verbose for the stack trace.");
        }
        return 1;
    }

    /** Lets picocli create commands through Guice, so they get constructor injection. */
    private record GuiceFactory(Injector injector) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return injector.getInstance(type);
            } catch (com.google.inject.ConfigurationException notInjectable) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
