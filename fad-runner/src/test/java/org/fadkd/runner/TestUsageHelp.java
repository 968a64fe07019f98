package org.fadkd.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fadkd.runner.TestingCommandLine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 18: {@code --help} fits its width (80 columns without a terminal) with every line
 * broken once, at a space, and the command list gives every command's summary whole.
 */
final class TestUsageHelp {
    private static final int WIDTH = 80;
    private static final List<String> COMMANDS = List.of(
            "data", "precompute-teacher", "validate", "select", "tune", "evaluate", "list", "report", "sync");

    @Test
    void testNoLineOfAnyCommandsHelpExceedsTheWidth(@TempDir Path root) {
        List<List<String>> commandLines = new ArrayList<>();
        commandLines.add(List.of("--help"));
        COMMANDS.forEach(command -> commandLines.add(List.of(command, "--help")));
        commandLines.add(List.of("data", "fetch", "--help"));
        for (List<String> args : commandLines) {
            Run run = TestingCommandLine.run(root, args.toArray(String[]::new));

            assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
            assertThat(run.out().lines())
                    .as(String.join(" ", args))
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(WIDTH));
        }
    }

    /** Three summaries used to stop at the end of the first hand-wrapped line of a description. */
    @Test
    void testTheCommandListGivesEverySummaryWhole(@TempDir Path root) {
        Map<String, String> summaries = commandList(TestingCommandLine.run(root, "--help").out());

        assertThat(summaries.keySet()).containsExactlyElementsOf(COMMANDS);
        assertThat(summaries.values()).allSatisfy(summary -> assertThat(summary).endsWith("."));
        assertThat(summaries.get("precompute-teacher")).isEqualTo("Obtain the teacher of an experiment's first job"
                + " (trained, or from the cache) and compute its mean flow profile into the teacher-flow cache"
                + " (fad-spec 9), or confirm that a matching entry exists.");
        assertThat(summaries.get("evaluate")).endsWith("compare every metric with the one the job reported.");
        assertThat(summaries.get("list")).endsWith("then the plugins and any plugin that could not be loaded.");
        // "e.g." and "fad-spec 9)" do not end a sentence; a summary is the first sentence only
        assertThat(summaries.get("select")).doesNotContain("--validate").endsWith("(run.dir).");
    }

    /** Picocli broke lines after any dot ("method.", ".conf") and broke hand-wrapped lines again. */
    @Test
    void testLinesBreakOnlyAtSpacesAndOnlyOnce(@TempDir Path root) {
        String help = TestingCommandLine.run(root, "--help").out();

        assertThat(help.lines()).contains(
                "  runner -e fashion_mnist_quickstart trainer.epochs=5 method.temperature=2",
                "  runner -e fashion_mnist_quickstart -m method=kd,fad seed=1,2      # 4 jobs",
                // an example too long for the width continues as a shell command would
                "  runner evaluate --model outputs/2026-01-01/10-00-00/student -e \\",
                "      fashion_mnist_quickstart");
        assertThat(help).contains(" .conf file.", "DIR/method/kd.conf", "multirun/<date>/<time>/<n>/.");
        List<String> lines = help.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            // "method." + "temperature=2", "a ." + "conf file": a break after a dot inside a word
            // (a line indented by 2 starts an entry of a list or an example, not a continuation)
            boolean brokenAfterDot = lines.get(i).matches(".*\\w\\.$")
                    && lines.get(i + 1).matches("(|\\s{3,})[a-z].*");
            assertThat(brokenAfterDot).as(lines.get(i) + "\n" + lines.get(i + 1)).isFalse();
        }
        // what was left of hand-wrapped lines wrapped again, each on a line of its own
        assertThat(lines).doesNotContain("jobs)", "new key),", "+group=option,", "1} (an object,");
    }

    /** The command list of a help text: each command with its summary, wrapped lines joined. */
    private static Map<String, String> commandList(String help) {
        Map<String, String> summaries = new LinkedHashMap<>();
        String current = null;
        boolean inList = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                inList = true;
            } else if (inList && line.isBlank()) {
                break;
            } else if (inList && line.startsWith("  ") && !line.startsWith("   ")) {
                String[] parts = line.strip().split(" +", 2);
                current = parts[0];
                summaries.put(current, parts[1]);
            } else if (inList && current != null) {
                summaries.put(current, summaries.get(current) + " " + line.strip());
            }
        }
        return summaries;
    }
}
