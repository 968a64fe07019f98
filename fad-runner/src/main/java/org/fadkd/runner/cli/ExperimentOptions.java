package org.fadkd.runner.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options of a subcommand that composes an experiment's jobs as a run does: the experiment,
 * the overrides after it, and {@code --verbose} (read by {@code Main} before picocli parses).
 */
final class ExperimentOptions {
    @Option(names = {"-e", "--experiment"}, required = true, paramLabel = "NAME|PATH",
            description = "An experiment name from experiments/ or a path to a .conf file.")
    String experiment;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Parameters(paramLabel = "OVERRIDE",
            description = "Overrides, as for a run (see runner --help): a config key (trainer.epochs=5) or a config"
                    + " group (method=kd).")
    List<String> overrides = new ArrayList<>();
}
