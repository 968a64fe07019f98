package org.fadkd.runner;

import org.fadkd.runner.tracking.Redaction;
import org.fadkd.runner.config.ProjectLayout;

import ai.djl.engine.Engine;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fadkd.api.ErrorCode;
import org.fadkd.api.FadException;
import org.fadkd.engine.util.IoFailures;
import org.fadkd.runner.cli.RunnerCommand;
import org.fadkd.runner.cli.UsageHelp;
import org.fadkd.runner.job.WorkerOptions;
import org.fadkd.runner.plugin.LoadedPlugins;
import picocli.CommandLine;

/** The {@code runner} entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("fad.home", ".")).toAbsolutePath().normalize();
        Path workingDirectory = Path.of("").toAbsolutePath();
        System.exit(execute(args, ProjectLayout.of(home, workingDirectory), pluginRoots(home, workingDirectory),
                System.out, System.err));
    }

    /**
     * Where plugin directories are looked for: the built-in plugins the build assembles (the
     * {@code runner} script passes {@code fad.builtin-plugins}), then {@code plugins/} of the
     * project checkout and of the working directory.
     */
    static List<Path> pluginRoots(Path home, Path workingDirectory) {
        List<Path> roots = new ArrayList<>();
        String builtIn = System.getProperty("fad.builtin-plugins");
        if (builtIn != null && !builtIn.isBlank()) {
            roots.add(Path.of(builtIn).toAbsolutePath().normalize());
        }
        for (Path root : List.of(home, workingDirectory)) {
            Path plugins = root.resolve("plugins").toAbsolutePath().normalize();
            if (!roots.contains(plugins)) {
                roots.add(plugins);
            }
        }
        return roots;
    }

    /** Runs the command line with the plugins of the class path and of {@code --plugins-dir} only. */
    public static int execute(String[] args, ProjectLayout layout, PrintStream out, PrintStream err) {
        return execute(args, layout, List.of(), out, err);
    }

    /**
     * Runs the command line and returns the exit code: 0 success, 1 internal error or failed job,
     * 2 user error.
     */
    public static int execute(
            String[] commandLineArgs, ProjectLayout layout, List<Path> pluginRoots, PrintStream out, PrintStream err) {
        EarlyOptions early = EarlyOptions.extract(commandLineArgs);
        String[] args = early.remaining();
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        try {
            // Before anything can load a plugin: picocli builds the commands, and with them the registry, right below.
            startEngine();
        } catch (FadException e) {
            return report(e, err, verbose);
        }
        List<Path> roots = new ArrayList<>(pluginRoots);
        for (Path dir : early.configDirs()) {
            if (!Files.isDirectory(dir)) {
                return report(new FadException(ErrorCode.CONFIG_INVALID, String.format(
                        "--config-dir '%s' is not a directory. It must hold config groups (e.g. DIR/method/kd.conf).",
                        dir)), err, verbose);
            }
        }
        layout = layout.withConfigDirsFirst(early.configDirs());
        for (Path dir : early.pluginDirs()) {
            if (!Files.isDirectory(dir)) {
                return report(new FadException(ErrorCode.PLUGIN_LOAD_FAILED, String.format(
                        "--plugins-dir '%s' is not a directory. It must hold one subdirectory per plugin.", dir)),
                        err, verbose);
            }
            roots.add(dir.toAbsolutePath().normalize());
        }
        Injector injector = Guice.createInjector(new RunnerModule(layout, out, Main.class.getClassLoader(), roots,
                new WorkerOptions(early.pluginDirs())));
        CommandLine commandLine;
        try {
            commandLine = new CommandLine(RunnerCommand.class, new GuiceFactory(injector));
            // A plugin that cannot be used is reported, not fatal: experiments that do not need it still run.
            for (String problem : injector.getInstance(LoadedPlugins.class).problems()) {
                err.println("Plugin error: " + problem);
            }
        } catch (RuntimeException e) {
            return report(e, err, verbose);
        }
        EarlyOptions.describeIn(commandLine);
        commandLine.getSubcommands().values().forEach(EarlyOptions::describeIn);
        UsageHelp.install(commandLine);
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
            err.println("Error: " + Redaction.redact(fad.getMessage()));
            if (verbose) {
                fad.printStackTrace(err);
            }
            return fad.getErrorCode().getKind() == ErrorCode.Kind.USER ? 2 : 1;
        }
        String io = IoFailures.describe(error);
        if (io != null) {
            // A file the runner could not read or write: the system's reason is the cause, not a bug.
            err.println("Error: " + io);
            if (verbose) {
                error.printStackTrace(err);
            }
            return 1;
        }
        err.println("Internal error: " + Redaction.redact(String.valueOf(error)));
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
