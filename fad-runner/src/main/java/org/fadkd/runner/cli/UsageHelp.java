package org.fadkd.runner.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The usage help of every command, laid out once at the help's width.
 *
 * <p>Picocli wraps text wherever {@link java.text.BreakIterator} allows, which includes the dot
 * inside {@code method.temperature} and {@code .conf}, and it wraps again lines that a description
 * already broke by hand, leaving stubs such as {@code jobs)} on a line of their own. Its command
 * list shows only the first line of a description, which ends mid-sentence when the description
 * is wrapped by hand. Here:
 *
 * <ul>
 *   <li>a description's prose lines are joined into paragraphs (a line that ends a sentence, or a
 *       blank line, ends one) and wrapped at spaces only; indented lines (examples) are kept as
 *       written, and one too long for the width continues on the next line after {@code " \"},
 *       as a shell command would;
 *   <li>option, parameter and exit-code descriptions wrap at spaces only;
 *   <li>the command list shows each command's {@code header}, or else the first sentence of its
 *       description, whole.
 * </ul>
 */
public final class UsageHelp {
    /** A sentence ends at '.', '!' or '?' followed by a space and a capital letter (not "e.g. x"). */
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=\\s+[A-Z(]|\\s*$)");
    private static final int EXAMPLE_CONTINUATION_INDENT = 4;

    private UsageHelp() {}

    /** Lays out the usage help of {@code commandLine} and of all its subcommands this way. */
    public static void install(CommandLine commandLine) {
        commandLine.setHelpFactory(SpaceWrappingHelp::new);
        commandLine.getSubcommands().values().forEach(UsageHelp::install);
    }

    /**
     * Breaks {@code text} at spaces into lines of at most {@code width} characters; a word longer
     * than the width gets a line of its own.
     */
    static List<String> wrap(String text, int width) {
        return wrap(text, width, width);
    }

    /** Like {@link #wrap(String, int)}, the lines after the first at most {@code restWidth} long. */
    static List<String> wrap(String text, int firstWidth, int restWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split(" +")) {
            int width = lines.isEmpty() ? firstWidth : restWidth;
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * Lays out a description: paragraphs of prose wrapped at {@code width}, blank lines kept,
     * indented lines kept as written unless too long (then continued after {@code " \"}).
     */
    static List<String> layOut(String[] description, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        for (String line : description) {
            boolean prose = !line.isBlank() && !Character.isWhitespace(line.charAt(0));
            if (prose && paragraph.length() > 0 && !endsSentence(paragraph)) {
                paragraph.append(' ').append(line.strip());
                continue;
            }
            if (paragraph.length() > 0) {
                lines.addAll(wrap(paragraph.toString(), width));
                paragraph.setLength(0);
            }
            if (prose) {
                paragraph.append(line.strip());
            } else if (line.isBlank()) {
                lines.add("");
            } else {
                lines.addAll(example(line, width));
            }
        }
        if (paragraph.length() > 0) {
            lines.addAll(wrap(paragraph.toString(), width));
        }
        return lines;
    }

    /** A line ending a sentence (or introducing a list) ends a paragraph of hand-wrapped prose. */
    private static boolean endsSentence(CharSequence text) {
        char last = text.charAt(text.length() - 1);
        return last == '.' || last == ':' || last == '!' || last == '?';
    }

    /** An indented line, continued after {@code " \"} on lines indented further when too long. */
    private static List<String> example(String line, int width) {
        String trimmed = line.stripTrailing();
        if (trimmed.length() <= width) {
            return List.of(trimmed);
        }
        int indent = trimmed.length() - trimmed.stripLeading().length();
        List<String> lines = new ArrayList<>();
        // room for " \" after each piece but the last
        List<String> pieces = wrap(trimmed.strip(), width - indent - 2,
                width - indent - EXAMPLE_CONTINUATION_INDENT - 2);
        for (int i = 0; i < pieces.size(); i++) {
            int pieceIndent = indent + (i == 0 ? 0 : EXAMPLE_CONTINUATION_INDENT);
            lines.add(" ".repeat(pieceIndent) + pieces.get(i) + (i < pieces.size() - 1 ? " \\" : ""));
        }
        return lines;
    }

    /**
     * The summary of a command in its parent's command list: its header, or else the first
     * sentence of its description (which may span several hand-wrapped lines), never cut short.
     */
    static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        if (header.length > 0) {
            return String.join(" ", header).strip();
        }
        StringBuilder text = new StringBuilder();
        for (String line : spec.usageMessage().description()) {
            if (line.isBlank()) {
                break;
            }
            text.append(text.length() > 0 ? " " : "").append(line.strip());
        }
        Matcher end = SENTENCE_END.matcher(text);
        return end.find() ? text.substring(0, end.end()) : text.toString();
    }

    /** Picocli's help with the layout above. */
    private static final class SpaceWrappingHelp extends Help {
        SpaceWrappingHelp(CommandSpec spec, ColorScheme colorScheme) {
            super(spec, colorScheme);
        }

        private int width() {
            return commandSpec().usageMessage().width();
        }

        @Override
        public String description(Object... params) {
            StringBuilder text = new StringBuilder();
            for (String line : layOut(commandSpec().usageMessage().description(), width())) {
                text.append(line).append(System.lineSeparator());
            }
            return text.toString();
        }

        @Override
        public Layout createDefaultLayout(
                List<OptionSpec> options, List<PositionalParamSpec> positionals, ColorScheme colorScheme) {
            Layout layout = super.createDefaultLayout(options, positionals, colorScheme);
            return new Layout(colorScheme, SpaceWrappingTable.like(colorScheme, layout.textTable()),
                    layout.optionRenderer(), layout.parameterRenderer());
        }

        @Override
        public TextTable createTextTable(Map<?, ?> map) {
            TextTable original = super.createTextTable(map);
            if (map == null || map.isEmpty()) {
                return original;
            }
            TextTable table = SpaceWrappingTable.like(colorScheme(), original);
            map.forEach((key, value) -> table.addRowValues(String.valueOf(key), String.valueOf(value)));
            return table;
        }

        @Override
        public String commandList(Map<String, Help> subcommands) {
            if (subcommands.isEmpty()) {
                return "";
            }
            int nameWidth = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0);
            int textColumn = 2 + nameWidth + 2;
            StringBuilder text = new StringBuilder();
            subcommands.forEach((name, help) -> {
                if (help.commandSpec().usageMessage().hidden()) {
                    return;
                }
                List<String> lines = wrap(summary(help.commandSpec()), width() - textColumn, width() - textColumn - 2);
                for (int i = 0; i < lines.size(); i++) {
                    String lead = i == 0 ? "  " + name : "";
                    // continuation lines indented by 2 more, as picocli indents wrapped lines
                    text.append(lead).append(" ".repeat(textColumn - lead.length() + (i == 0 ? 0 : 2)))
                            .append(lines.get(i)).append(System.lineSeparator());
                }
            });
            return text.toString();
        }
    }

    /** A picocli text table whose wrapping columns break lines at spaces only. */
    private static final class SpaceWrappingTable extends TextTable {
        private final ColorScheme colorScheme;

        private SpaceWrappingTable(ColorScheme colorScheme, Column[] columns, int indentWrappedLines) {
            super(colorScheme, columns);
            this.colorScheme = colorScheme;
            this.indentWrappedLines = indentWrappedLines;
        }

        static SpaceWrappingTable like(ColorScheme colorScheme, TextTable table) {
            SpaceWrappingTable copy = new SpaceWrappingTable(colorScheme, table.columns(), table.indentWrappedLines);
            copy.setAdjustLineBreaksForWideCJKCharacters(table.isAdjustLineBreaksForWideCJKCharacters());
            return copy;
        }

        @Override
        public Cell putValue(int row, int col, Text value) {
            Column column = columns()[col];
            if (value == null || column.overflow != Column.Overflow.WRAP) {
                return super.putValue(row, col, value);
            }
            String plain = value.plainString();
            int first = column.width - column.indent;
            if (plain.length() <= first) {
                return super.putValue(row, col, value);
            }
            // Break at spaces: the first line at the column's indent, the rest further in.
            List<String> lines = new ArrayList<>();
            String rest = plain;
            int width = first;
            while (rest.length() > width) {
                int space = rest.lastIndexOf(' ', width);
                if (space <= 0) {
                    space = rest.indexOf(' ', width);
                }
                if (space <= 0) {
                    break;
                }
                lines.add(rest.substring(0, space));
                rest = rest.substring(space + 1).stripLeading();
                width = column.width - column.indent - indentWrappedLines;
            }
            lines.add(rest);
            Cell cell = super.putValue(row, col, colorScheme.text(lines.get(0)));
            for (int i = 1; i < lines.size(); i++) {
                addEmptyRow();
                cell = super.putValue(cell.row + 1, col, colorScheme.text(" ".repeat(indentWrappedLines) + lines.get(i)));
            }
            return cell;
        }
    }
}
