/**
 * The subcommands of {@code runner} (picocli): run, {@code list}, {@code validate}, {@code select},
 * {@code evaluate}, {@code precompute-teacher}, {@code report}, {@code sync}, {@code data fetch} and
 * {@code --info}. A command parses its options and hands the work to {@code job}, {@code config},
 * {@code report} or {@code tracking}; it holds no training logic of its own.
 *
 * <p>May depend on every other runner package, fad-engine and fad-api; nothing depends on it but
 * {@link org.fadkd.runner.Main} and {@link org.fadkd.runner.RunnerModule}.
 */
package org.fadkd.runner.cli;
